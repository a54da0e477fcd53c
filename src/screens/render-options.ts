// How Ink renders the dashboard: one constant for the composition root (src/cli/ui.ts) and the benchmark's probe
// (bench/probe/dashboard.ts), so what is measured is what the operator runs.
import type { RenderOptions } from 'ink';

/**
 * Ink throttles frames to `maxFps` with leading and trailing edges (ink build/ink.js, es-toolkit `throttle`): a
 * commit within 1000/maxFps ms of the last frame waits for the end of that window, and each further commit in it
 * pushes the frame back again up to that bound. At 20 fps a key pressed just after a watch batch or the clock's
 * tick waited up to 50 ms for its frame; at 60 it waits at most ~17 ms. Commits still coalesce (a key held down),
 * and what commits besides keys is already spaced out (watch batches every 100 ms, 250 ms under churn: the app
 * store; the one-second clock; the tunnel's stats), so the higher cap adds no frames there.
 *
 * Not `incrementalRendering`: in Ink 6.8 it left stale lines behind in tmux (seen in the e2e test); with the root
 * one row short of the terminal, the default rewrite does not clear the screen and does not flicker.
 */
export const renderOptions = {
  exitOnCtrlC: false,
  patchConsole: false,
  maxFps: 60,
} as const satisfies RenderOptions;

// Work a screen would otherwise do on its first render, done ahead while another screen shows. The Prow jobs table
// is summarised incrementally from a cache (kube/summarize/prow-jobs.ts), but only while something asks for it:
// switching to the jobs screen after the first sync, or after an hour on another screen, built 20,000 rows
// at once, about 140 ms with nothing on screen moving (bench/results.md, figure 3). Kept warm, the switch costs the
// jobs that changed since the last warm-up.
import type { AppStore } from './app-store.js';
import type { AppState } from './state.js';

/**
 * Calls `work` with the store's state `delayMs` after the first change that `changed` reports (and once after
 * starting), at most once per `delayMs` while changes keep coming; the timer never keeps the process alive.
 * Returns the stop function.
 */
export function keepWarm(store: AppStore, changed: (s: AppState, prev: AppState) => boolean, work: (s: AppState) => void, delayMs = 500): () => void {
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    timer = undefined;
    work(store.getState());
  };
  const schedule = () => {
    if (timer) return;
    timer = setTimeout(run, delayMs);
    timer.unref();
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (changed(s, prev)) schedule();
  });
  schedule();
  return () => {
    unsubscribe();
    clearTimeout(timer);
    timer = undefined;
  };
}

/** Whether what the Prow jobs table reads (ProwJobs and their pods) changed. */
export const prowJobsChanged = (s: AppState, prev: AppState): boolean =>
  s.cluster.model.prowJobs !== prev.cluster.model.prowJobs || s.cluster.model.pods !== prev.cluster.model.pods;

// The running runbook as the TUI sees it: a small store of its own next to the app and shell stores (the same
// pattern as shell-store.ts, so their slices stay untouched). start() asks the composition root's factory for a run
// (parameters validated there, before anything is read), then mirrors the engine's RunState; the other actions
// forward the operator's decisions to the engine. No kube or ssh here: the factory closes over them.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Decision, Run } from '../runbooks/engine.js';
import type { RunState } from '../runbooks/types.js';

export type { Decision } from '../runbooks/engine.js';
export { requestText } from '../runbooks/preview.js';
export type { RunState, StepPlan, StepState, TimelineEntry } from '../runbooks/types.js';

/** A runbook to start: its id and raw parameters (as a TUI request carries them), or an unfinished run to resume. */
export interface RunbookStart {
  id: string;
  params: Readonly<Record<string, string | number>>;
  /** The journal's run id of an unfinished run to resume instead of starting a new one. */
  resume?: string;
  /** Clean up: as soon as the run first asks for a decision, roll back what it applied (each rollback still asks). */
  rollback?: boolean;
}

/** Builds a run for a request, or says why it cannot (invalid parameters, read-only profile, no connection). */
export type RunFactory = (request: RunbookStart) => Promise<Run | { error: string }>;

/** The runbook slice. */
export interface RunbookSlice {
  run?: RunState;
  /** The runbook being prepared (connecting, discovering) before its run exists. */
  starting?: string;
  /** Why the last start failed. */
  error?: string;
  /** The last answer to an operator action that was refused (shown under the plan). */
  refusal?: string;
  actions: RunbookActions;
}

/** What the screen calls. */
export interface RunbookActions extends Pick<Run, 'confirm' | 'acknowledge' | 'setInput' | 'skip' | 'retry' | 'rollback' | 'abort'> {
  start(request: RunbookStart): Promise<void>;
  /** Forgets a finished run (the screen goes back to "no runbook running"). */
  clear(): void;
}

/** The store type. */
export type RunbookStore = StoreApi<RunbookSlice>;

/** Creates the runbook store around a factory from the composition root. */
export function createRunbookStore(factory: RunFactory): RunbookStore {
  let current: Run | undefined;
  let off: (() => void) | undefined;
  return createStore<RunbookSlice>()((set, get) => {
    const answer = (decision: Decision): Decision => {
      set({ refusal: decision.ok ? undefined : decision.reason });
      return decision;
    };
    const none: Decision = { ok: false, reason: 'no runbook is running' };
    return {
      actions: {
        async start(request) {
          const running = get().run;
          if (running && (running.phase === 'running' || running.phase === 'awaiting')) {
            set({ error: `${running.runbook} is still running: finish or abort it first` });
            return;
          }
          if (get().starting) {
            set({ error: `${get().starting} is being started already` });
            return;
          }
          set({ starting: request.id, error: undefined });
          let made: Run | { error: string };
          try {
            made = await factory(request);
          } catch (err) {
            made = { error: (err as Error).message };
          }
          set({ starting: undefined });
          if ('error' in made) {
            set({ error: made.error });
            return;
          }
          off?.();
          current = made;
          let rollback = request.rollback === true;
          off = made.subscribe((run) => {
            set({ run });
            // The engine offers a rollback wherever it waits (a confirmation or a failure): take it the first time.
            if (rollback && run.phase === 'awaiting') {
              rollback = false;
              queueMicrotask(() => made.rollback());
            }
          });
          set({ run: made.state(), error: undefined, refusal: undefined });
          void made.start().catch((err: unknown) => set({ error: `the run stopped: ${(err as Error).message}` }));
        },
        confirm: (typed) => answer(current?.confirm(typed) ?? none),
        acknowledge: (id) => answer(current?.acknowledge(id) ?? none),
        setInput: (id, value) => answer(current?.setInput(id, value) ?? none),
        skip: () => answer(current?.skip() ?? none),
        retry: () => answer(current?.retry() ?? none),
        rollback: () => answer(current?.rollback() ?? none),
        abort: () => current?.abort(),
        clear() {
          const run = get().run;
          if (run && (run.phase === 'running' || run.phase === 'awaiting')) return;
          off?.();
          off = undefined;
          current = undefined;
          set({ run: undefined, error: undefined, refusal: undefined });
        },
      },
    };
  });
}

/** A hook over the runbook store (shallow-compared, like useApp). */
export type UseRunbook = <T>(selector: (state: RunbookSlice) => T) => T;

/** Binds the hook to a store. */
export function createUseRunbook(store: RunbookStore): UseRunbook {
  return function useRunbook<T>(selector: (state: RunbookSlice) => T): T {
    return useStore(store, useShallow(selector));
  };
}

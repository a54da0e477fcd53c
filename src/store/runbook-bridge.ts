// Where a context key's request meets the runbook engine: a request recorded in the shell state (R, +/-, B) is taken
// at once, the runbook view opens, and the run is started with the request's parameters (the factory validates them
// before anything is read). Without this bridge (no engine wired) a request just stays pending on screen.
import type { RunbookStore } from './runbook-slice.js';
import type { ShellStore } from './shell-store.js';

/** Starts every new request on `runbooks`; returns the function that stops listening. */
export function bridgeRunbookRequests(shell: ShellStore, runbooks: RunbookStore): () => void {
  const take = () => {
    const request = shell.getState().pendingRunbook;
    if (!request) return;
    shell.getState().actions.clearRunbookRequest();
    shell.getState().actions.showRunbook(true);
    void runbooks.getState().actions.start({ id: request.id, params: request.params });
  };
  take();
  return shell.subscribe((state, previous) => {
    if (state.pendingRunbook && state.pendingRunbook !== previous.pendingRunbook) take();
  });
}

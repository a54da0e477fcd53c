// Context keys start runbooks by recording a request (runbook id and parameters filled in from the selection) in
// the shell state; the runbook engine (src/runbooks) picks it up from there (store/runbook-bridge.ts) and previews
// every step before any change. Parameter names are those of `deckhand runbook <id>` (node, machine, namespace; md, namespace, replicas;
// cluster, image), so the engine can validate them as they are. Nothing here changes the cluster.
import type { OpenStackClusterView } from '../../kube/types.js';
import type { RunbookRequest } from '../../store/shell-store.js';
import type { Deck } from '../context.js';

/** A request before it is time-stamped. */
export type NewRequest = Omit<RunbookRequest, 'at'>;

/** Records the request; without an engine wired (the runbook view opens otherwise), says that it waits. */
export function requestRunbook(deck: Deck, request: NewRequest): void {
  deck.shell.getState().actions.requestRunbook(request);
  if (!deck.runbooks) deck.app.getState().actions.flash('info', `requested ${request.summary} — ${pendingExplanation}`);
}

/** Why nothing happened yet: said wherever a request is made or shown. */
export const pendingExplanation = 'nothing changed yet; the runbook engine previews each step for confirmation';

/** Explains why a key did nothing here. */
export function refuse(deck: Deck, text: string): void {
  deck.app.getState().actions.flash('warn', text);
}

/** recover-node for a node (and its Machine when known). */
export function recoverNodeRequest(node: string | undefined, machine?: { namespace: string; name: string }): NewRequest {
  const params: Record<string, string> = {};
  if (node) params.node = node;
  if (machine) {
    params.machine = machine.name;
    params.namespace = machine.namespace;
  }
  const summary = node ? `recover-node --node ${node}` : `recover-node --machine ${machine?.name ?? '?'}`;
  return { id: 'recover-node', params, summary };
}

/** scale-md for a MachineDeployment to `replicas`. */
export function scaleRequest(md: { namespace: string; name: string }, replicas: number): NewRequest {
  return { id: 'scale-md', params: { md: md.name, namespace: md.namespace, replicas }, summary: `scale-md --md ${md.name} --replicas ${replicas}` };
}

/** bastion-swap for an OpenStackCluster, keeping its current image unless the runbook is told otherwise. */
export function bastionSwapRequest(cluster: OpenStackClusterView, image: string | undefined): NewRequest {
  return {
    id: 'bastion-swap',
    params: { cluster: cluster.name, ...(image ? { image } : {}) },
    summary: `bastion-swap --cluster ${cluster.name}${image ? ` --image ${image}` : ''}`,
  };
}

// The catalog: every runbook deckhand offers, one per file under catalog/, declared as data.
import { bastionSwap } from './catalog/bastion-swap.js';
import { recoverNode } from './catalog/recover-node.js';
import { scaleMd } from './catalog/scale-md.js';
import type { Runbook, RunbookId } from './types.js';

/** The runbooks, in the order `deckhand runbook --list` shows them. */
export const catalog: readonly Runbook<never>[] = [recoverNode as unknown as Runbook<never>, bastionSwap as unknown as Runbook<never>, scaleMd as unknown as Runbook<never>];

/** A runbook by id, or undefined. */
export function findRunbook(id: string): Runbook<never> | undefined {
  return catalog.find((r) => r.id === (id as RunbookId));
}

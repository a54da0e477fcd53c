// The dashboard's first words when the journal holds unfinished runs: each is offered (resume, clean up, discard,
// later) before anything else, an unfinished bastion-swap that may have left the API open to a temporary address
// first of all, naming that entry and the last-resort recovery. The offer is shown from the journal at once and
// sharpened when the cluster answers (the entry is, or is no longer, in the OpenStackCluster).
import type { KubeClient } from '../kube/client.js';
import type { Discovery } from '../kube/discovery.js';
import { findRunbook } from '../runbooks/index.js';
import { discardRun, findUnfinished, type ResumePoint } from '../runbooks/journal.js';
import { temporaryEntryPresent, unfinishedNotice } from '../runbooks/startup.js';
import type { PromptStore, ResumeChoice } from '../store/prompt-store.js';
import type { RunbookStore } from '../store/runbook-slice.js';
import type { ShellStore } from '../store/shell-store.js';
import type { Log } from './ui-log.js';

/** What the offer needs. */
export interface ResumeOfferOptions {
  journalDir: string;
  prompts: PromptStore;
  runbooks: RunbookStore;
  shell: ShellStore;
  /** Ways to ask the cluster whether a temporary entry is still there, tried in order (e.g. direct, then the tunnel). */
  clusters: (() => Promise<{ client: KubeClient; discovery: Discovery; release?(): void }>)[];
  log: Log;
}

/** The last-resort recovery line of a run's runbook, if it has one (bastion-swap). */
function recoveryOf(point: ResumePoint): string | undefined {
  return findRunbook(point.runbook)?.recovery?.({ memory: point.memory, params: point.params as never });
}

/** Offers these runs (default: every unfinished run in the journal); resolves once each was answered. */
export async function offerUnfinished(options: ResumeOfferOptions, points?: ResumePoint[]): Promise<void> {
  const { prompts, log } = options;
  const found = points ?? (await findUnfinished(options.journalDir));
  if (found.length === 0) return;
  const waiting = new Set(prompts.getState().prompts.flatMap((p) => (p.kind === 'resume' ? [p.runId] : [])));
  const fresh = found.filter((p) => !waiting.has(p.runId));
  const first = (p: ResumePoint) => unfinishedNotice(p, undefined, 'tui').swap;
  const ordered = [...fresh.filter(first), ...fresh.filter((p) => !first(p))];
  const answers = ordered.map((point) => {
    const { text, swap } = unfinishedNotice(point, undefined, 'tui');
    const recovery = recoveryOf(point);
    return prompts.getState().actions.offerResume({ runId: point.runId, runbook: point.runbook, notice: text, swap, ...(recovery ? { recovery } : {}) })
      .then((choice) => act(options, point, choice));
  });
  void sharpen(options, ordered.filter(first));
  log(`offered ${ordered.length} unfinished run(s): ${ordered.map((p) => p.runId).join(', ')}`);
  await Promise.all(answers);
}

/** Asks the cluster about each bastion-swap's temporary entry and rewrites its offer accordingly. */
async function sharpen(options: ResumeOfferOptions, swaps: ResumePoint[]): Promise<void> {
  for (const point of swaps) {
    let present: boolean | undefined;
    for (const cluster of options.clusters) {
      try {
        const { client, discovery, release } = await cluster();
        present = await temporaryEntryPresent(point, client, discovery);
        release?.();
      } catch (err) {
        options.log(`unfinished ${point.runId}: cannot check the temporary entry this way: ${(err as Error).message}`);
      }
      if (present !== undefined) break;
    }
    const { text, swap } = unfinishedNotice(point, present, 'tui');
    options.prompts.getState().actions.updateResume(point.runId, { notice: text, swap });
  }
}

async function act(options: ResumeOfferOptions, point: ResumePoint, choice: ResumeChoice): Promise<void> {
  options.log(`unfinished ${point.runId}: ${choice}`);
  if (choice === 'later') return;
  if (choice === 'discard') return discardRun(options.journalDir, point.runId);
  options.shell.getState().actions.showRunbook(true);
  await options.runbooks.getState().actions.start({ id: point.runbook, params: {}, resume: point.runId, ...(choice === 'cleanup' ? { rollback: true } : {}) });
}

// How the dashboard builds a run, the same way `deckhand runbook` does: parameters validated before anything is
// read, the journal and audit log in the XDG state directory, the profile as runbooks see it, and deckhand's own
// connection (switchable by bastion-swap) as the run's client. A new run is refused while an older one is
// unfinished in the journal (it is offered again instead), and a resumed run must be on the context it started on.
import { discover } from '../kube/discovery.js';
import { watchedFamilies } from '../kube/kinds.js';
import { openAuditLog } from '../runbooks/audit.js';
import type { ConnectionControl } from '../runbooks/connection-types.js';
import { createRun } from '../runbooks/engine.js';
import { findRunbook } from '../runbooks/index.js';
import { findUnfinished, newRunId, openJournal, type ResumePoint } from '../runbooks/journal.js';
import { validateParams } from '../runbooks/params.js';
import type { RunProfile } from '../runbooks/types.js';
import type { RunFactory } from '../store/runbook-slice.js';
import type { Log } from './ui-log.js';

/** What the dashboard's run factory needs. */
export interface DashboardRuns {
  journalDir: string;
  auditLog: string;
  profile: RunProfile;
  /** Cluster seconds per real second (the demo's simulator runs faster). */
  clusterTimeScale: number;
  /** deckhand's connection for the context the dashboard shows now. */
  connection(): Promise<ConnectionControl>;
  /** Called when a new run is refused because of an unfinished one, so it can be offered again. */
  onUnfinished?(points: ResumePoint[]): void;
  log: Log;
}

/** The factory createRunbookStore() is given by the composition root. */
export function dashboardRunFactory(options: DashboardRuns): RunFactory {
  return async (request) => {
    const { profile, log } = options;
    if (profile.readOnly) return { error: `profile ${profile.name} is read-only: runbooks can only be planned (deckhand runbook --plan)` };
    const unfinished = await findUnfinished(options.journalDir);
    let resume: ResumePoint | undefined;
    if (request.resume) {
      resume = unfinished.find((p) => p.runId === request.resume);
      if (!resume) return { error: `no unfinished run ${request.resume} in ${options.journalDir}` };
    } else if (unfinished.length > 0) {
      options.onUnfinished?.(unfinished);
      return { error: `an unfinished run exists (${unfinished[0]!.runId}): resume, clean up or discard it first` };
    }
    const runbook = findRunbook(resume?.runbook ?? request.id);
    if (!runbook) return { error: `unknown runbook ${request.id}` };
    const validated = resume ? { ok: true as const, params: resume.params } : validateParams(runbook, request.params, profile);
    if (!validated.ok) return { error: validated.errors.join('; ') };
    let connection: ConnectionControl;
    try {
      connection = await options.connection();
    } catch (err) {
      return { error: `cannot reach the cluster for ${runbook.id}: ${(err as Error).message}` };
    }
    const client = connection.client();
    if (resume && resume.context !== client.target.context) {
      return { error: `run ${resume.runId} was on context ${resume.context}: switch to it first (:ctx ${resume.context})` };
    }
    const discovery = await discover(client, watchedFamilies);
    const runId = resume?.runId ?? newRunId(runbook.id, Date.now());
    log(`runbook ${resume ? 'resuming' : 'starting'} ${runId} on context ${client.target.context}`);
    return createRun({
      runbook, params: validated.params, client, discovery, profile, connection,
      journal: openJournal(options.journalDir, runId), audit: openAuditLog(options.auditLog), clusterTimeScale: options.clusterTimeScale,
      ...(resume ? { resume } : {}),
    });
  };
}

// The journal: one JSON-lines file per run in the XDG state directory. The engine writes a record before each
// transition's work starts and after it ends (around every request too), each appended and awaited before going
// on, so after a crash the last records say exactly where the run stopped. Resuming never re-applies a step whose
// requests may have reached the server: it re-verifies it, or previews again (the preview sees the change and the
// resourceVersion precondition refuses a second write).
// @see https://sqitch.org/docs/manual/sqitch-deploy/ (a plan's state recorded change by change)
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsonValue, RunbookId, StepPhase, StepPlan } from './types.js';

/** What the journal records. */
export type JournalRecord =
  | { type: 'start'; at: number; runId: string; runbook: RunbookId; params: Record<string, JsonValue>; context: string; server?: string; profile: string; production: boolean }
  | { type: 'step'; at: number; index: number; id: string; phase: StepPhase; plan?: StepPlan; error?: string }
  | { type: 'apply-begin'; at: number; index: number; id: string; plan: StepPlan }
  | { type: 'request'; at: number; index: number; n: number; summary: string }
  | { type: 'response'; at: number; index: number; n: number; code: number; resourceVersion?: string }
  | { type: 'apply-end'; at: number; index: number; id: string }
  | { type: 'memory'; at: number; key: string; value: JsonValue }
  | { type: 'input'; at: number; id: string; value: string }
  | { type: 'ack'; at: number; id: string }
  | { type: 'finish'; at: number; phase: 'done' | 'aborted' | 'rolled-back' | 'discarded' };

/** A record without its time (the journal stamps it). */
export type NewRecord = JournalRecord extends infer R ? (R extends JournalRecord ? Omit<R, 'at'> : never) : never;

/** An open journal. */
export interface Journal {
  readonly runId: string;
  readonly file: string;
  write(record: NewRecord): Promise<void>;
}

/** A new run id: runbook, UTC time, 4 random hex digits (sortable by time). */
export function newRunId(runbook: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${runbook}-${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Opens the journal of a run (the directory is created 0700, the file 0600). */
export function openJournal(dir: string, runId: string, now: () => number = Date.now): Journal {
  const file = join(dir, `${runId}.jsonl`);
  let ready: Promise<unknown> | undefined;
  return {
    runId,
    file,
    async write(record) {
      await (ready ??= mkdir(dir, { recursive: true, mode: 0o700 }));
      await appendFile(file, `${JSON.stringify({ ...record, at: now() })}\n`, { mode: 0o600 });
    },
  };
}

/** Reads a journal; a torn last line (crash mid-write) is ignored. */
export async function readJournal(file: string): Promise<JournalRecord[]> {
  const text = await readFile(file, 'utf8');
  const out: JournalRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as JournalRecord);
    } catch {
      break;
    }
  }
  return out;
}

/** Where an unfinished run stopped, and what a resumed run must do first. */
export interface ResumePoint {
  runId: string;
  file: string;
  runbook: RunbookId;
  params: Record<string, JsonValue>;
  context: string;
  server?: string;
  profile: string;
  production: boolean;
  startedAt: number;
  lastAt: number;
  memory: Record<string, JsonValue>;
  inputs: Record<string, string>;
  acknowledged: string[];
  /** The step to continue with. */
  index: number;
  /** preview: start the step over; verify: its requests were answered, re-verify with `plan`; failed: it had failed. */
  action: 'preview' | 'verify' | 'failed';
  plan?: StepPlan;
  error?: string;
  /** Steps before `index` that completed, and how. */
  finished: { index: number; phase: 'done' | 'skipped' }[];
  /** One line: "scale-md stopped at step 4 (applying), 2 min ago". */
  lastPhase: StepPhase;
}

/** Folds a journal into its resume point; undefined when the run finished (or the journal is empty). */
export function resumePoint(records: readonly JournalRecord[], file: string): ResumePoint | undefined {
  const start = records[0];
  if (!start || start.type !== 'start' || records.some((r) => r.type === 'finish')) return undefined;
  const point: ResumePoint = {
    runId: start.runId, file, runbook: start.runbook, params: start.params, context: start.context, profile: start.profile,
    production: start.production, startedAt: start.at, lastAt: start.at, memory: {}, inputs: {}, acknowledged: [],
    index: 0, action: 'preview', finished: [], lastPhase: 'pending', ...(start.server ? { server: start.server } : {}),
  };
  const ok = new Map<number, boolean>();
  let applying: { index: number; plan: StepPlan } | undefined;
  for (const r of records) {
    point.lastAt = r.at;
    switch (r.type) {
      case 'memory': point.memory[r.key] = r.value; break;
      case 'input': point.inputs[r.id] = r.value; break;
      case 'ack': if (!point.acknowledged.includes(r.id)) point.acknowledged.push(r.id); break;
      case 'apply-begin': applying = { index: r.index, plan: r.plan }; ok.clear(); break;
      case 'request': ok.set(r.n, false); break;
      case 'response': ok.set(r.n, r.code >= 200 && r.code < 300); break;
      case 'apply-end': break;
      case 'step':
        point.index = r.index;
        point.lastPhase = r.phase;
        point.error = r.error;
        if (r.plan) point.plan = r.plan;
        if (r.phase === 'done' || r.phase === 'skipped') {
          point.finished = [...point.finished.filter((f) => f.index !== r.index), { index: r.index, phase: r.phase }];
          point.index = r.index + 1;
        }
        if (r.phase === 'previewing') applying = undefined;
        break;
      default: break;
    }
  }
  const phase = point.lastPhase;
  const requested = applying && applying.index === point.index;
  const answered = requested && ok.size > 0 && [...ok.values()].every(Boolean) && ok.size === applying!.plan.requests.length;
  if (phase === 'done' || phase === 'skipped') point.action = 'preview';
  else if (phase === 'failed' || phase === 'rolling-back' || phase === 'rolled-back') point.action = 'failed';
  else if (phase === 'verifying' || answered) {
    point.action = 'verify';
    if (requested) point.plan = applying!.plan;
  } else point.action = 'preview';
  return point;
}

/** Unfinished runs in a journal directory, newest first. */
export async function findUnfinished(dir: string): Promise<ResumePoint[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: ResumePoint[] = [];
  for (const name of names.filter((n) => n.endsWith('.jsonl'))) {
    const file = join(dir, name);
    const point = resumePoint(await readJournal(file), file);
    if (point) out.push(point);
  }
  return out.sort((a, b) => b.lastAt - a.lastAt);
}

/** Marks a run finished without resuming it (the operator discarded it). */
export async function discardRun(dir: string, runId: string, now: () => number = Date.now): Promise<void> {
  await openJournal(dir, runId, now).write({ type: 'finish', phase: 'discarded' });
}

// The Prow components table as data: per Deployment, ready/desired, restarts, why pods wait, age and the latest
// Warning event (a missing secret shows up here as FailedMount with its message).
import { ageSince } from '../../format/duration.js';
import type { ComponentRow } from '../../store/screen-data.js';
import { ageMs } from '../table/age.js';
import type { Column } from '../table/columns.js';

/** `ContainerCreating ×1, Pending ×2`. */
export const waitingText = (r: ComponentRow) => r.waiting.map((w) => `${w.reason} ×${w.pods}`).join(', ');

/** `FailedMount: MountVolume.SetUp failed … secret "github-token" not found`. */
export const lastWarningText = (r: ComponentRow) => {
  const e = r.events[0];
  return e ? `${e.reason}${e.count > 1 ? ` ×${e.count}` : ''}: ${e.message}` : '';
};

/** Unhealthy components first (they are what triage is about), then by name. */
export function componentOrder(rows: readonly ComponentRow[]): ComponentRow[] {
  return [...rows].sort((a, b) => Number(a.healthy) - Number(b.healthy) || a.name.localeCompare(b.name));
}

/** The columns of the components table; `created` gives each Deployment's creation time. */
export function componentColumns(created: (row: ComponentRow) => string | undefined, nowMs: number): Column<ComponentRow>[] {
  return [
    { id: 'name', title: 'NAME', width: 18, text: (r) => r.name, tone: (r) => (r.healthy ? undefined : 'error') },
    { id: 'ready', title: 'READY', width: 5, align: 'right', text: (r) => `${r.ready}/${r.desired}`, sortKey: (r) => r.ready - r.desired, tone: (r) => (r.ready < r.desired ? 'error' : 'ok') },
    { id: 'restarts', title: 'RESTARTS', width: 8, align: 'right', text: (r) => String(r.restarts), sortKey: (r) => r.restarts, tone: (r) => (r.restarts > 0 ? 'warn' : undefined) },
    { id: 'waiting', title: 'WAITING', width: 20, priority: 2, text: waitingText, tone: () => 'warn' },
    { id: 'age', title: 'AGE', width: 5, align: 'right', text: (r) => ageSince(created(r), nowMs), sortKey: (r) => ageMs(ageSince(created(r), nowMs)) },
    { id: 'warning', title: 'LAST WARNING', width: 20, flex: 1, text: lastWarningText, tone: () => 'warn' },
  ];
}

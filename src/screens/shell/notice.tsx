// Why a screen has nothing to show: not connected yet, the API family is not installed, or the kind is still
// being listed or cannot be read. Screens show this instead of an empty table, so "no rows" is never ambiguous.
import { Text } from 'ink';
import { selectKindStatus } from '../../store/selectors.js';
import type { KindId } from '../../kube/types.js';
import { useDeck, useNow } from '../context.js';
import type { Tone } from '../theme.js';

/** A message and its tone, or undefined when the kind is there. */
export interface KindNotice {
  text: string;
  tone: Tone;
}

/** What keeps `kind` from being shown; `hasRows` says whether anything arrived already. */
export function useKindNotice(kind: KindId, what: string, hasRows: boolean): KindNotice | undefined {
  const { useApp } = useDeck();
  const now = useNow();
  const connection = useApp((s) => ({ status: s.connection.status, error: s.connection.error, server: s.connection.target?.server }));
  // Only what the notice reads: the status's staleness changes with every event of the kind, and a component that
  // selects it renders (and Ink redraws the whole frame) on every watch batch although the notice stays the same.
  const status = useApp((s) => {
    const { phase, reason, error, synced } = selectKindStatus(s, kind, now);
    return { phase, reason, error, synced };
  });
  if (status.phase === 'not-installed') return { text: status.reason ?? `${what}: not installed`, tone: 'warn' };
  if (hasRows) return undefined;
  if (connection.status === 'failed') return { text: `cannot read the cluster: ${connection.error ?? 'unknown error'}`, tone: 'error' };
  if (connection.status !== 'connected') return { text: `connecting to ${connection.server ?? 'the API server'}…`, tone: 'muted' };
  if (status.error) return { text: `cannot list ${what}: ${status.error}`, tone: 'error' };
  if (!status.synced) return { text: `listing ${what}…`, tone: 'muted' };
  return undefined;
}

/** Renders a notice as the body of a screen. */
export function Notice({ notice }: { notice: KindNotice }) {
  const { theme } = useDeck();
  return <Text {...theme.style(notice.tone)}>{`  ${notice.text}`}</Text>;
}

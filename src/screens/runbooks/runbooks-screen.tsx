// Screen 5, Runbooks: the three runbooks and what each would act on right now. Its key (R, +/-, B) records a
// request with the parameters filled in; with the engine wired the run starts at once (its line is shown here),
// without it the pending request is shown until something takes it.
import { useMemo } from 'react';
import { Box, Text } from 'ink';
import { humanAge } from '../../format/duration.js';
import { pendingJobPods } from '../../store/screen-data.js';
import { selectRollouts } from '../../store/selectors.js';
import { useDeck, useNow, type Deck, type ScreenProps } from '../context.js';
import { DetailPane } from '../detail/detail-pane.js';
import { fields, section } from '../detail/lines.js';
import type { Column } from '../table/columns.js';
import { Table } from '../table/table.js';
import { useTable } from '../table/use-table.js';
import { useKeymap } from '../use-keymap.js';
import { CurrentRun } from './current-run.js';
import { pendingExplanation, refuse, requestRunbook, scaleRequest } from './requests.js';
import { runbookSteps, runbookTargets, type RunbookTarget } from './targets.js';

const columns: readonly Column<RunbookTarget>[] = [
  { id: 'key', title: 'KEY', width: 4, text: (t) => t.key },
  { id: 'runbook', title: 'RUNBOOK', width: 13, text: (t) => t.id },
  { id: 'now', title: 'RIGHT NOW', width: 30, flex: 1, text: (t) => t.text, tone: (t) => t.tone },
];

function act(deck: Deck, target: RunbookTarget | undefined, delta = 0): void {
  if (!target?.request) return refuse(deck, target ? `${target.id}: ${target.text}` : 'nothing to act on');
  if (delta < 0 && target.scale) {
    const { md, replicas } = target.scale;
    if (replicas <= 0) return refuse(deck, `${md.name} is already at 0 replicas`);
    return requestRunbook(deck, scaleRequest(md, replicas - 1));
  }
  requestRunbook(deck, target.request);
}

/** The Runbooks screen. */
export function RunbooksScreen({ width, height, active }: ScreenProps) {
  const deck = useDeck();
  const { useApp, useShell, shell, theme } = deck;
  const now = useNow();
  const model = useApp((s) => s.cluster.model);
  const { machineDeployments } = useApp((s) => selectRollouts(s, now));
  const capi = useApp((s) => s.cluster.sources.machines?.reason);
  const capo = useApp((s) => s.cluster.sources.openstackClusters?.reason);
  const detail = useShell((s) => s.detail);
  const targets = useMemo(
    () => runbookTargets({ model, machineDeployments, pendingJobs: pendingJobPods(model).length, missing: { capi, capo } }),
    [model, machineDeployments, capi, capo],
  );
  const table = useTable({
    id: 'runbooks', place: 'runbooks', rows: targets, columns, rowKey: (t) => t.id, width, height: targets.length,
    active: active && !detail, filtered: false, onOpen: () => shell.getState().actions.setDetail(true),
  });
  const find = (id: RunbookTarget['id']) => targets.find((t) => t.id === id);
  useKeymap(
    {
      'runbook.recover-node': () => act(deck, find('recover-node')),
      'runbook.scale-up': () => act(deck, find('scale-md'), +1),
      'runbook.scale-down': () => act(deck, find('scale-md'), -1),
      'runbook.bastion-swap': () => act(deck, find('bastion-swap')),
    },
    { place: 'runbooks', active: active && !detail },
  );
  const selected = table.selected;
  if (detail && selected) {
    const lines = [
      ...fields([['Right now', selected.text, selected.tone], ['Key', selected.key], ['Would request', selected.request?.summary ?? 'nothing (no target)']]),
      ...section('Steps', runbookSteps[selected.id].map((step, i) => ({ text: `  ${i + 1}. ${step}` }))),
    ];
    return <DetailPane title={`Runbook ${selected.id}`} lines={lines} height={height} active={active} />;
  }
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" {...theme.style('heading')}>Runbooks — what each would act on right now</Text>
      <Table model={table} empty="no runbooks" />
      <Text> </Text>
      {deck.runbooks ? <CurrentRun store={deck.runbooks} /> : <PendingRequest />}
    </Box>
  );
}

/** Without an engine: the request a key recorded, waiting. */
function PendingRequest() {
  const { useShell, theme } = useDeck();
  const now = useNow();
  const pending = useShell((s) => s.pendingRunbook);
  return (
    <>
      <Text wrap="truncate" {...theme.style('heading')}>Pending request</Text>
      {pending ? (
        <>
          <Text wrap="truncate" {...theme.style('accent')}>{`  ${pending.summary}  (requested ${humanAge(Math.max(0, now - pending.at))} ago)`}</Text>
          <Text wrap="truncate" {...theme.style('muted')}>{`  parameters: ${Object.entries(pending.params).map(([k, v]) => `${k}=${v}`).join(' ')}`}</Text>
          <Text wrap="truncate" {...theme.style('muted')}>{`  waiting for the runbook engine: ${pendingExplanation}`}</Text>
        </>
      ) : (
        <Text wrap="truncate" {...theme.style('muted')}>{'  none: R, +/- or B (here, on Nodes or on Machines) asks for a runbook with its parameters filled in'}</Text>
      )}
    </>
  );
}

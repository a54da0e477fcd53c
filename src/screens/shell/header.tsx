// The header, always visible: where deckhand points (context, profile, PRODUCTION and READ-ONLY badges), how the
// API is reached and how fresh the data is, and the screens with their number keys.
import { Box, Text } from 'ink';
import { newestEventAt, troubledSources } from '../../store/screen-data.js';
import { useDeck, useNow } from '../context.js';
import { screenIds, screenTitles } from '../keymap.js';
import { apiPart, metricsPart, tunnelPart, type HeaderPart } from './header-text.js';

const separator = ' │ ';

function Parts({ parts }: { parts: HeaderPart[] }) {
  const { theme } = useDeck();
  return (
    <Text wrap="truncate">
      {parts.map((p, i) => (
        <Text key={i}>
          {i > 0 ? <Text {...theme.style('muted')}>{separator}</Text> : null}
          <Text {...theme.style(p.tone)}>{p.text}</Text>
        </Text>
      ))}
    </Text>
  );
}

/** Context, profile and badges. */
function Identity() {
  const { useShell, useApp, theme } = useDeck();
  const session = useShell((s) => s.session);
  const context = useApp((s) => s.connection.target?.context) ?? session.context;
  return (
    <Text wrap="truncate">
      <Text {...theme.style('heading')}>deckhand</Text>
      <Text>{`  ctx ${context ?? '?'}`}</Text>
      <Text {...theme.style('muted')}>{`  profile ${session.profile ?? 'none'}`}</Text>
      {session.production ? <Text> <Text {...theme.style('danger-badge')}> PRODUCTION </Text></Text> : null}
      {session.readOnly ? <Text> <Text {...theme.style('badge')}> READ-ONLY </Text></Text> : null}
      {session.demo ? <Text {...theme.style('muted')}>{'  demo: simulated cluster'}</Text> : null}
    </Text>
  );
}

/** Tunnel, API and metrics freshness. */
function Links() {
  const { useShell, useApp } = useDeck();
  const now = useNow();
  const tunnel = useShell((s) => s.tunnel);
  const target = useApp((s) => s.connection.target);
  // The API part as text: every watch batch moves the newest event's time, which the header shows in seconds, so
  // selecting the sources would render the header (and Ink would redraw the whole frame) on each batch for nothing.
  const api = useApp((s) => apiPart(s.connection, newestEventAt(s.cluster.sources), troubledSources(s.cluster.sources), now));
  const metrics = useApp((s) => ({ available: s.metrics.available, reason: s.metrics.reason, error: s.metrics.error, lastPollAt: s.metrics.history.lastPollAt }));
  const parts = [
    tunnelPart(tunnel, target?.proxyUrl, now, target !== undefined && target.proxyUrl === undefined),
    api,
    metricsPart(metrics, now),
  ];
  return <Parts parts={parts} />;
}

/** The screens with their keys; the current one highlighted. */
function Tabs() {
  const { useApp, theme } = useDeck();
  const screen = useApp((s) => s.ui.screen);
  return (
    <Text wrap="truncate">
      {screenIds.map((id, i) => (
        <Text key={id}>
          {' '}
          <Text {...theme.style(id === screen ? 'selected' : 'muted')}>{id === screen ? `[${i + 1} ${screenTitles[id]}]` : ` ${i + 1} ${screenTitles[id]} `}</Text>
        </Text>
      ))}
    </Text>
  );
}

/** The three header lines. */
export function Header() {
  return (
    <Box flexDirection="column">
      <Identity />
      <Links />
      <Tabs />
    </Box>
  );
}

/** Lines the header takes. */
export const headerHeight = 3;

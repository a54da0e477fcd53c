// The shell's own state, next to the application store: where deckhand is connected (context, profile, production,
// read-only), the tunnel as the header shows it, how the operator is interacting (input mode, detail pane, sort and
// sub-view per table) and the runbook request a context key made. A separate small store so the cluster store's
// slices stay as they are; the composition root creates both and hands them to the screens.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { TunnelState } from '../tunnel/types.js';

/** The runbooks a context key can request (the engine that runs them is src/runbooks). */
export type RunbookId = 'recover-node' | 'scale-md' | 'bastion-swap';

/** A runbook the operator asked for, with its parameters filled in from the selection. */
export interface RunbookRequest {
  id: RunbookId;
  params: Readonly<Record<string, string | number>>;
  /** One line for the screen, e.g. "recover-node --node prow-md-0-xx8k7". */
  summary: string;
  at: number;
}

/** Where deckhand points and how careful it must be. */
export interface SessionInfo {
  context?: string;
  profile?: string;
  production: boolean;
  readOnly: boolean;
  /** Contexts of the kubeconfig, for `:ctx`. */
  contexts: readonly string[];
  /** Running against the built-in simulated cluster. */
  demo: boolean;
  /** Where the log file is, for error messages. */
  logFile?: string;
}

/** What keys currently go to: the tables, the filter line, the command line, help, or a target's name being typed. */
export type InputMode = 'normal' | 'filter' | 'command' | 'help' | 'type-name';

/** A table's sort: a column id and its direction. */
export interface SortState {
  column: string;
  descending: boolean;
}

/** The shell state and its actions. */
export interface ShellState {
  session: SessionInfo;
  /** Undefined when no tunnel is used (direct connection or the kubeconfig's own proxy). */
  tunnel?: TunnelState;
  mode: InputMode;
  /** The text typed on the filter or command line. */
  input: string;
  /** Whether the current screen shows the detail pane of its selected row. */
  detail: boolean;
  /** Sort per table id; undefined = the table's natural order. */
  sorts: Readonly<Record<string, SortState | undefined>>;
  /** Sub-view per screen (jobs: jobs | usage; machines: machines | rollouts). */
  views: Readonly<Record<string, string | undefined>>;
  pendingRunbook?: RunbookRequest;
  /** Whether the runbook view covers the screen (the run itself lives in the runbook store). */
  runbookView: boolean;
  actions: ShellActions;
}

/** Everything that changes the shell state. */
export interface ShellActions {
  setTunnel(state: TunnelState | undefined): void;
  setSession(patch: Partial<SessionInfo>): void;
  setMode(mode: InputMode, input?: string): void;
  setInput(text: string): void;
  setDetail(open: boolean): void;
  setSort(table: string, sort: SortState | undefined): void;
  setView(screen: string, view: string): void;
  requestRunbook(request: Omit<RunbookRequest, 'at'>): void;
  clearRunbookRequest(): void;
  showRunbook(open: boolean): void;
  /** Asks the composition root to reconnect to another context; returns false when nothing handles it. */
  switchContext(name: string): boolean;
}

/** The shell store type. */
export type ShellStore = StoreApi<ShellState>;

/** Options of createShellStore. */
export interface ShellStoreOptions {
  session?: Partial<SessionInfo>;
  tunnel?: TunnelState;
  /** Called by switchContext; the composition root reconnects and updates the session. */
  onSwitchContext?: (name: string) => void;
  now?: () => number;
}

/** Creates the shell store. */
export function createShellStore(options: ShellStoreOptions = {}): ShellStore {
  const now = options.now ?? Date.now;
  return createStore<ShellState>()((set) => ({
    session: { production: false, readOnly: false, contexts: [], demo: false, ...options.session },
    ...(options.tunnel ? { tunnel: options.tunnel } : {}),
    mode: 'normal',
    input: '',
    detail: false,
    sorts: {},
    views: {},
    runbookView: false,
    actions: {
      setTunnel: (tunnel) => set({ tunnel }),
      setSession: (patch) => set((s) => ({ session: { ...s.session, ...patch } })),
      setMode: (mode, input) => set((s) => ({ mode, input: input ?? s.input })),
      setInput: (input) => set({ input }),
      setDetail: (detail) => set({ detail }),
      setSort: (table, sort) => set((s) => ({ sorts: { ...s.sorts, [table]: sort } })),
      setView: (screen, view) => set((s) => ({ views: { ...s.views, [screen]: view } })),
      requestRunbook: (request) => set({ pendingRunbook: { ...request, at: now() } }),
      clearRunbookRequest: () => set({ pendingRunbook: undefined }),
      showRunbook: (runbookView) => set({ runbookView }),
      switchContext: (name) => {
        if (!options.onSwitchContext) return false;
        options.onSwitchContext(name);
        return true;
      },
    },
  }));
}

/** A hook reading a narrow part of the shell state (shallow-compared, like useApp). */
export type UseShell = <T>(selector: (state: ShellState) => T) => T;

/** Binds `useShell` to a shell store. */
export function createUseShell(store: ShellStore): UseShell {
  return function useShell<T>(selector: (state: ShellState) => T): T {
    return useStore(store, useShallow(selector));
  };
}

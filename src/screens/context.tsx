// What every screen component reads: the stores (through their shallow-comparing hooks), the theme and the
// current time. Provided once by <App>, so components take no store props and tests render the real tree.
import { createContext, useContext } from 'react';
import type { AppStore } from '../store/app-store.js';
import type { PromptStore, UsePrompts } from '../store/prompt-store.js';
import type { RunbookStore } from '../store/runbook-slice.js';
import type { ShellStore, UseShell } from '../store/shell-store.js';
import type { UseApp } from '../store/use-app.js';
import type { KeyRegistry } from './key-registry.js';
import type { Theme } from './theme.js';

/** The stores and theme of one running dashboard. */
export interface Deck {
  useApp: UseApp;
  useShell: UseShell;
  /** The raw stores, for calling actions from key handlers. */
  app: AppStore;
  shell: ShellStore;
  /** Questions that take the keys until answered (host key, passphrase, unfinished runs). */
  prompts: PromptStore;
  usePrompts: UsePrompts;
  /** The runbook engine's store; absent when no engine is wired (requests then stay pending). */
  runbooks?: RunbookStore;
  theme: Theme;
  /** Where components register their key handlers; the shell dispatches into it. */
  keys: KeyRegistry;
}

/** Provides the Deck to the tree. */
export const DeckContext = createContext<Deck | null>(null);

/** The time screens render at (ms); ticks once a second in the app, fixed in tests. */
export const NowContext = createContext<number>(0);

/** The Deck of the enclosing <App>. */
export function useDeck(): Deck {
  const deck = useContext(DeckContext);
  if (!deck) throw new Error('useDeck() outside <App>: render screens inside <App>');
  return deck;
}

/** The current time (ms) as the screens see it. */
export function useNow(): number {
  return useContext(NowContext);
}

/** Size of the area a screen renders into, and whether its keys are live. */
export interface ScreenProps {
  width: number;
  height: number;
  /** False while the filter or command line or help has the keys. */
  active: boolean;
}

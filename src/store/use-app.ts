// The screens' door to the store. The store is not a module singleton, so the composition root binds the hook
// to its store once; every selector goes through useShallow, so a selector returning a fresh object or array
// cannot trigger zustand 5's "getSnapshot should be cached" loop (libraries.md §6).
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AppStore } from './app-store.js';
import type { AppState } from './state.js';

/** A hook reading a narrow slice of the state: `useApp((s) => s.ui.screen)`. */
export type UseApp = <T>(selector: (state: AppState) => T) => T;

/** Binds `useApp` to a store (call once in the composition root, hand the hook to the screens). */
export function createUseApp(store: AppStore): UseApp {
  return function useApp<T>(selector: (state: AppState) => T): T {
    return useStore(store, useShallow(selector));
  };
}

// How components take keys: they register handlers by command for a place; the shell's dispatcher (one useInput for
// the whole app, see key-registry.ts) calls them. The registration is a ref, so handlers may close over each
// render's values without re-subscribing anything (libraries.md §4: useInput re-subscribes on handler identity).
import { useEffect, useRef } from 'react';
import { useDeck } from './context.js';
import type { CommandHandlers, Registration } from './key-registry.js';
import type { Place } from './keymap.js';

export type { CommandHandlers } from './key-registry.js';

/** Registers `handlers` for keys resolved in `place` (`any`: wherever the operator is), while `active`. */
export function useKeymap(handlers: CommandHandlers, options: { place: Place | 'any'; active: boolean }): void {
  const { keys } = useDeck();
  const ref = useRef<Registration>({ ...options, handlers });
  ref.current = { place: options.place, active: options.active, handlers };
  useEffect(() => keys.add(ref), [keys]);
}

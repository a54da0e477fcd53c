// The one way components listen to keys: resolve the key through the key table, then call the handler this
// component registered for that command. Handlers live in a ref so the useInput subscription stays put while
// their closures change on every render (libraries.md §4: useInput re-subscribes on handler identity).
import { useCallback, useRef } from 'react';
import { useInput, type Key } from 'ink';
import { useDeck } from './context.js';
import { keyName, resolveKey, type CommandId, type Place } from './keymap.js';

/** Handlers by command; commands without a handler here are left to other components. */
export type CommandHandlers = Partial<Record<CommandId, () => void>>;

/** Calls `handlers[command]` for keys that resolve to a command in `place`, while `active`. */
export function useKeymap(handlers: CommandHandlers, options: { place: Place; active: boolean }): void {
  const { useShell } = useDeck();
  const readOnly = useShell((s) => s.session.readOnly);
  const ref = useRef(handlers);
  ref.current = handlers;
  const { place } = options;
  const onInput = useCallback(
    (input: string, key: Key) => {
      const command = resolveKey(keyName(input, key), { place, readOnly });
      if (command) ref.current[command]?.();
    },
    [place, readOnly],
  );
  useInput(onInput, { isActive: options.active });
}

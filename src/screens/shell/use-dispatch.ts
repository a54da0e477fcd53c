// The dashboard's one key listener: each key press of a read goes either to the open filter/command line or,
// resolved through the key table for where the operator is at that moment, to the registered handler.
import { useCallback, useRef } from 'react';
import { useInput, type Key } from 'ink';
import { useDeck } from '../context.js';
import { keyPresses, resolveKey, screenIds, type Place, type ScreenId } from '../keymap.js';
import { inputLineKey, type InputLineOps } from './input-line.js';

/** The screen id in the UI slice, or Nodes for anything unknown. */
export function currentScreen(id: string): ScreenId {
  return (screenIds as readonly string[]).includes(id) ? (id as ScreenId) : 'nodes';
}

/** Where key bindings are resolved right now, from the stores. */
export function currentPlace(mode: string, detail: boolean, screen: string): Place {
  return mode === 'help' ? 'help' : detail ? 'detail' : currentScreen(screen);
}

/** Listens to stdin for the whole app; `onlyQuit` while the terminal is too small to lay anything out. */
export function useKeyDispatch(ops: InputLineOps, onlyQuit: boolean): void {
  const deck = useDeck();
  const ref = useRef({ ops, onlyQuit });
  ref.current = { ops, onlyQuit };
  const onInput = useCallback(
    (input: string, key: Key) => {
      for (const press of keyPresses(input, key)) {
        const { mode, detail, session } = deck.shell.getState();
        if (mode === 'filter' || mode === 'command') {
          inputLineKey(deck, press.name, press.text, ref.current.ops);
          continue;
        }
        const place = currentPlace(mode, detail, deck.app.getState().ui.screen);
        const command = resolveKey(press.name, { place, readOnly: session.readOnly });
        if (!command) continue;
        if (ref.current.onlyQuit) {
          if (command === 'quit') ref.current.ops.quit();
          continue;
        }
        deck.keys.dispatch(command, place);
      }
    },
    [deck],
  );
  useInput(onInput);
}

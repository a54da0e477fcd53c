// The dashboard's one key listener: each key press of a read goes either to the open filter/command line, or to the
// text of a prompt that takes typing (a target's name, a passphrase), or, resolved through the key table for where
// the operator is at that moment, to the registered handler.
import { useCallback, useRef } from 'react';
import { useInput, type Key } from 'ink';
import type { Deck } from '../context.js';
import { useDeck } from '../context.js';
import { keyPresses, resolveKey, screenIds, textPlaces, type Place, type ScreenId } from '../keymap.js';
import { inputLineKey, type InputLineOps } from './input-line.js';

/** The screen id in the UI slice, or Nodes for anything unknown. */
export function currentScreen(id: string): ScreenId {
  return (screenIds as readonly string[]).includes(id) ? (id as ScreenId) : 'nodes';
}

/** What decides where keys are resolved. */
export interface PlaceInput {
  mode: string;
  detail: boolean;
  screen: string;
  /** The runbook view is open (and an engine is wired). */
  runbook: boolean;
  /** The kind of the question on screen, if any. */
  prompt?: 'host-key' | 'passphrase' | 'resume';
}

/** Where key bindings are resolved right now: a question first, then a name being typed, help, the runbook view, detail, the screen. */
export function currentPlace(input: PlaceInput): Place {
  if (input.prompt) return input.prompt;
  if (input.mode === 'type-name') return 'type-name';
  if (input.mode === 'help') return 'help';
  if (input.runbook) return 'runbook';
  return input.detail ? 'detail' : currentScreen(input.screen);
}

/** The place from the stores of a dashboard. */
export function placeOf(deck: Deck): Place {
  const { mode, detail, runbookView } = deck.shell.getState();
  return currentPlace({ mode, detail, screen: deck.app.getState().ui.screen, runbook: runbookView && deck.runbooks !== undefined, prompt: deck.prompts.getState().prompts[0]?.kind });
}

const printable = (name: string, text: string) => name === text && [...text].length === 1 && text >= ' ' && text !== '\x7f';

/** Typing in a text place: characters and backspace edit the text; true when the press was taken. */
function textKey(deck: Deck, place: Place, name: string, text: string): boolean {
  if (!textPlaces.includes(place)) return false;
  const erase = name === 'backspace';
  if (!erase && !printable(name, text)) return false;
  if (place === 'passphrase') {
    const { actions } = deck.prompts.getState();
    if (erase) actions.erasePassphrase();
    else actions.typePassphrase(text);
    return true;
  }
  const { input, actions } = deck.shell.getState();
  actions.setInput(erase ? input.slice(0, -1) : input + text);
  return true;
}

/** Listens to stdin for the whole app; `onlyQuit` while the terminal is too small to lay anything out. */
export function useKeyDispatch(ops: InputLineOps, onlyQuit: boolean): void {
  const deck = useDeck();
  const ref = useRef({ ops, onlyQuit });
  ref.current = { ops, onlyQuit };
  const onInput = useCallback(
    (input: string, key: Key) => {
      for (const press of keyPresses(input, key)) {
        const { mode, session } = deck.shell.getState();
        if (mode === 'filter' || mode === 'command') {
          inputLineKey(deck, press.name, press.text, ref.current.ops);
          continue;
        }
        const place = placeOf(deck);
        if (!ref.current.onlyQuit && textKey(deck, place, press.name, press.text)) continue;
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

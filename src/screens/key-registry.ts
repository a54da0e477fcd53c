// One dispatcher for every key: components register their command handlers here (useKeymap) and the shell's single
// useInput resolves each key through the key table and calls the handler registered for that command where the
// operator is. Keys of one read are handled one after another against the state each left behind, so `:ctx sim⏎`
// typed fast (or pasted) opens the command line, fills it and runs it, instead of reaching several listeners at once.
import type { CommandId, Place } from './keymap.js';

/** Handlers by command; commands without a handler are left to other registrations. */
export type CommandHandlers = Partial<Record<CommandId, () => void>>;

/** What a component registered: where its handlers apply (`any` = everywhere) and whether they are live. */
export interface Registration {
  place: Place | 'any';
  active: boolean;
  handlers: CommandHandlers;
}

/** The registrations of one dashboard. */
export class KeyRegistry {
  private readonly entries = new Set<{ current: Registration }>();

  /** Adds a registration (read through the ref at dispatch time); returns its removal. */
  add(entry: { current: Registration }): () => void {
    this.entries.add(entry);
    return () => void this.entries.delete(entry);
  }

  /** Calls the first live handler for `command` in `place`; false when nobody handles it. */
  dispatch(command: CommandId, place: Place): boolean {
    for (const { current } of this.entries) {
      if (!current.active || (current.place !== 'any' && current.place !== place)) continue;
      const handler = current.handlers[command];
      if (handler) {
        handler();
        return true;
      }
    }
    return false;
  }
}

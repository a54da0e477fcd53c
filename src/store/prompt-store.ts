// Questions the dashboard must ask before it can go on: a bastion's unknown host key (trust it or not), the
// passphrase of an encrypted identity, and an unfinished runbook found in the journal (resume, clean up, discard
// or later). The tunnel and the composition root ask through these actions and await the answer; the screens show
// the first question and answer it. Offers of unfinished runs go before any other question. A passphrase lives
// here only while it is typed and is gone once submitted.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';

/** An unknown host key as the tunnel presents it. */
export interface HostKeyQuestion {
  /** The known_hosts name, e.g. `[203.0.113.10]:22`. */
  name: string;
  keyType: string;
  /** `SHA256:…`, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  /** Where the key is recorded if trusted. */
  file: string;
}

/** An unfinished run from the journal, offered for resume. */
export interface ResumeOffer {
  runId: string;
  runbook: string;
  /** What the journal (and, once checked, the cluster) says about it. */
  notice: string;
  /** bastion-swap's last-resort recovery line. */
  recovery?: string;
  /** An unfinished bastion-swap that may have left the API open to a temporary address. */
  swap: boolean;
}

/** What the operator decided about an unfinished run. */
export type ResumeChoice = 'resume' | 'cleanup' | 'discard' | 'later';

/** One question, with an id to answer it by. */
export type Prompt = { id: number } & (
  | ({ kind: 'host-key' } & HostKeyQuestion)
  | { kind: 'passphrase'; file: string }
  | ({ kind: 'resume' } & ResumeOffer)
);

/** The questions waiting, the first one shown, and the masked text typed for a passphrase. */
export interface PromptState {
  prompts: readonly Prompt[];
  /** Characters typed at the passphrase prompt (never rendered, only counted). */
  input: string;
  actions: PromptActions;
}

/** Asking (composition root, tunnel hooks) and answering (screens). */
export interface PromptActions {
  confirmHostKey(question: HostKeyQuestion): Promise<boolean>;
  askPassphrase(file: string): Promise<string | undefined>;
  offerResume(offer: ResumeOffer): Promise<ResumeChoice>;
  answerHostKey(trust: boolean): void;
  typePassphrase(text: string): void;
  erasePassphrase(): void;
  /** Answers with the typed passphrase; `skip` answers that this identity is to be left out. */
  submitPassphrase(skip?: boolean): void;
  chooseResume(choice: ResumeChoice): void;
  /** Replaces an offer's text once the cluster was checked (the temporary entry is or is not still there). */
  updateResume(runId: string, patch: Partial<Pick<ResumeOffer, 'notice' | 'swap' | 'recovery'>>): void;
  /** Answers everything with its safe default (refuse, skip, later): the dashboard is closing. */
  cancelAll(): void;
}

/** The prompt store type. */
export type PromptStore = StoreApi<PromptState>;

type Question = Prompt extends infer P ? (P extends Prompt ? Omit<P, 'id'> : never) : never;

/** Creates an empty prompt store. */
export function createPromptStore(): PromptStore {
  const resolvers = new Map<number, (answer: unknown) => void>();
  let next = 1;
  return createStore<PromptState>()((set, get) => {
    const ask = <T>(question: Question): Promise<T> => new Promise<T>((resolve) => {
      const prompt = { ...question, id: next++ } as Prompt;
      resolvers.set(prompt.id, resolve as (answer: unknown) => void);
      set((s) => {
        if (prompt.kind !== 'resume') return { prompts: [...s.prompts, prompt] };
        // Unfinished runs are said before anything else, in the order they were offered.
        const at = s.prompts.findIndex((p) => p.kind !== 'resume');
        return { prompts: at < 0 ? [...s.prompts, prompt] : [...s.prompts.slice(0, at), prompt, ...s.prompts.slice(at)] };
      });
    });
    const answer = (kind: Prompt['kind'], value: unknown) => {
      const first = get().prompts[0];
      if (!first || first.kind !== kind) return;
      const resolve = resolvers.get(first.id);
      resolvers.delete(first.id);
      set((s) => ({ prompts: s.prompts.slice(1), input: '' }));
      resolve?.(value);
    };
    return {
      prompts: [],
      input: '',
      actions: {
        confirmHostKey: (question) => ask<boolean>({ kind: 'host-key', ...question }),
        askPassphrase: (file) => ask<string | undefined>({ kind: 'passphrase', file }),
        offerResume: (offer) => ask<ResumeChoice>({ kind: 'resume', ...offer }),
        answerHostKey: (trust) => answer('host-key', trust),
        typePassphrase: (text) => set((s) => (s.prompts[0]?.kind === 'passphrase' ? { input: s.input + text } : {})),
        erasePassphrase: () => set((s) => ({ input: s.input.slice(0, -1) })),
        submitPassphrase: (skip = false) => answer('passphrase', skip ? undefined : get().input),
        chooseResume: (choice) => answer('resume', choice),
        updateResume: (runId, patch) =>
          set((s) => ({ prompts: s.prompts.map((p) => (p.kind === 'resume' && p.runId === runId ? { ...p, ...patch } : p)) })),
        cancelAll: () => {
          const waiting = get().prompts;
          set({ prompts: [], input: '' });
          for (const p of waiting) {
            const resolve = resolvers.get(p.id);
            resolvers.delete(p.id);
            resolve?.(p.kind === 'host-key' ? false : p.kind === 'resume' ? 'later' : undefined);
          }
        },
      },
    };
  });
}

/** A hook over the prompt store (shallow-compared, like useApp). */
export type UsePrompts = <T>(selector: (state: PromptState) => T) => T;

/** Binds the hook to a store. */
export function createUsePrompts(store: PromptStore): UsePrompts {
  return function usePrompts<T>(selector: (state: PromptState) => T): T {
    return useStore(store, useShallow(selector));
  };
}

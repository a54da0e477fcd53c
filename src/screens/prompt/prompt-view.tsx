// The question on screen until it is answered, over everything else: an unfinished run from the journal (resume,
// clean up, discard, later; a bastion-swap that may have left the API open comes first and names the temporary
// entry and the last-resort recovery), a bastion host key never seen before (its SHA256 fingerprint, trusted only
// on `y`), or the passphrase of an encrypted identity (masked). Keys come from the key table's prompt places.
import { Box, Text } from 'ink';
import type { Prompt } from '../../store/prompt-store.js';
import { useDeck } from '../context.js';
import { useKeymap } from '../use-keymap.js';

/** Renders the first waiting question and binds its answers. */
export function PromptView({ height }: { width: number; height: number }) {
  const { usePrompts, useShell, prompts, theme } = useDeck();
  const { prompt, typed, offers } = usePrompts((s) => ({ prompt: s.prompts[0], typed: s.input.length, offers: s.prompts.filter((p) => p.kind === 'resume').length }));
  const readOnly = useShell((s) => s.session.readOnly);
  const actions = prompts.getState().actions;
  useKeymap({ 'host-key.trust': () => actions.answerHostKey(true), 'host-key.refuse': () => actions.answerHostKey(false) }, { place: 'host-key', active: true });
  useKeymap({ 'passphrase.submit': () => actions.submitPassphrase(), 'passphrase.skip': () => actions.submitPassphrase(true) }, { place: 'passphrase', active: true });
  useKeymap(
    {
      'resume.resume': () => actions.chooseResume('resume'),
      'resume.cleanup': () => actions.chooseResume('cleanup'),
      'resume.discard': () => actions.chooseResume('discard'),
      'resume.later': () => actions.chooseResume('later'),
    },
    { place: 'resume', active: true },
  );
  if (!prompt) return null;
  return (
    <Box flexDirection="column" height={height} overflowY="hidden">
      {lines(prompt, { typed, offers, readOnly }).map((line, i) => (
        <Text key={i} wrap="wrap" {...theme.style(line.tone)}>{line.text}</Text>
      ))}
    </Box>
  );
}

type Line = { text: string; tone?: 'heading' | 'warn' | 'error' | 'muted' | 'accent' };

/** The question's lines (pure, so the wording is tested with the screen). */
function lines(prompt: Prompt, view: { typed: number; offers: number; readOnly: boolean }): Line[] {
  switch (prompt.kind) {
    case 'host-key':
      return [
        { text: 'Unknown bastion host key', tone: 'heading' },
        { text: `The bastion ${prompt.name} presents a host key that is in none of deckhand's known_hosts files:` },
        { text: `  ${prompt.keyType} ${prompt.fingerprint}`, tone: 'accent' },
        { text: 'Compare it with the fingerprint the bastion itself reports (e.g. its console log) before trusting it.', tone: 'muted' },
        { text: `y trusts it and records it in ${prompt.file} · n refuses (no tunnel is opened)`, tone: 'warn' },
      ];
    case 'passphrase':
      return [
        { text: 'Passphrase needed', tone: 'heading' },
        { text: `The identity ${prompt.file} is encrypted. Passphrase: ${'•'.repeat(view.typed)}▌` },
        { text: 'Enter unlocks it · Esc skips this identity (the passphrase is never shown, stored or logged)', tone: 'muted' },
      ];
    case 'resume':
      return [
        { text: `Unfinished runbook${view.offers > 1 ? ` (${view.offers} waiting)` : ''} — before anything else`, tone: 'heading' },
        { text: prompt.notice, tone: prompt.swap ? 'error' : 'warn' },
        ...(prompt.recovery ? [{ text: `last resort: ${prompt.recovery}`, tone: 'warn' as const }] : []),
        view.readOnly
          ? { text: `read-only session: nothing can be resumed here (deckhand runbook --resume --run ${prompt.runId} can) · Esc later`, tone: 'muted' }
          : { text: 'r resume where it stopped · c clean up (resume, then roll back what it applied) · d discard · Esc later', tone: 'accent' },
      ];
  }
}

// The tunnel's two interactive hooks answered inside the dashboard: an unknown bastion host key is shown with its
// SHA256 fingerprint and trusted only on `y` (the tunnel then records it in deckhand's known_hosts), and an
// encrypted identity's passphrase is typed at a masked prompt. Nothing is trusted silently: closing the dashboard
// answers "no".
import type { HostKeyInfo } from '../tunnel/types.js';
import type { PromptStore } from './prompt-store.js';

/** The hooks of TunnelOptions that ask the operator. */
export interface TunnelPromptHooks {
  confirmUnknownHost(key: HostKeyInfo): Promise<boolean>;
  askPassphrase(file: string): Promise<string | undefined>;
}

/** Hooks that ask through `prompts`; `knownHostsFile` is where an accepted key is recorded (shown in the question). */
export function tunnelPromptHooks(prompts: PromptStore, knownHostsFile: string): TunnelPromptHooks {
  return {
    confirmUnknownHost: (key) => prompts.getState().actions.confirmHostKey({ name: key.name, keyType: key.type, fingerprint: key.fingerprint, file: knownHostsFile }),
    askPassphrase: (file) => prompts.getState().actions.askPassphrase(file),
  };
}

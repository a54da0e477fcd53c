// What a runbook may do to deckhand's own connection to the API (bastion-swap): check the API directly, switch to
// direct, look at a new bastion's host key without trusting it, trust it once the operator said so, and tunnel
// through it. The composition root provides it (connection.ts builds one from a kubeconfig and tunnel options).
import type { KubeClient } from '../kube/client.js';
import type { BastionAddress } from '../tunnel/types.js';

/** How the API is reached right now. */
export type ConnectionMode = 'tunnel' | 'direct' | 'proxy';

/** A bastion's host key as presented, and what deckhand's known_hosts says about it. */
export interface HostKeyProbe {
  /** known: already trusted; unknown: never seen (ask); changed: refused, never offered. */
  status: 'known' | 'unknown' | 'changed';
  /** The known_hosts name, e.g. `[203.0.113.7]:22`. */
  name: string;
  type: string;
  fingerprint: string;
  /** The public key blob, base64 (public: safe to journal). */
  blob: string;
  message?: string;
}

/** deckhand's connection, switchable by bastion-swap. */
export interface ConnectionControl {
  mode(): ConnectionMode;
  /** The client runbook steps use now. */
  client(): KubeClient;
  /** The bastion tunnelled through, when mode is `tunnel`. */
  bastion(): BastionAddress | undefined;
  /** A client that bypasses any proxy (to check that the allowlist admits us). */
  directClient(): KubeClient;
  /** Makes the direct connection current and closes the tunnel. */
  useDirect(): Promise<void>;
  /** Connects far enough to see the host key; trusts nothing, forwards nothing. */
  probeHostKey(address: BastionAddress): Promise<HostKeyProbe>;
  /** Records an accepted key in deckhand's known_hosts; returns the file. */
  trustHostKey(probe: HostKeyProbe): Promise<string>;
  /** known_hosts lines (file:line) that name this address, e.g. the old bastion's, to report. */
  knownHostsEntries(address: BastionAddress): Promise<string[]>;
  /** Opens a tunnel through this bastion (host key must be known) and makes it current. */
  useTunnel(address: BastionAddress): Promise<void>;
  /** Records the new bastion address for the profile; returns what was updated (for the plan and the audit). */
  updateProfileBastion?(address: BastionAddress): Promise<string>;
  /** Closes whatever this control opened. */
  close(): Promise<void>;
}

// Where deckhand keeps files, per the XDG Base Directory spec: configuration under $XDG_CONFIG_HOME (default
// ~/.config), state that should survive restarts (known_hosts, last working bastion, journal, audit) under
// $XDG_STATE_HOME (default ~/.local/state). Relative values are ignored, as the spec requires.
// @see https://specifications.freedesktop.org/basedir-spec/latest/
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** The environment variables paths depend on. */
export type PathEnv = Record<string, string | undefined>;

/** Every file and directory deckhand reads or writes outside the repository. */
export interface DeckhandPaths {
  configDir: string;
  /** The profile file: `$XDG_CONFIG_HOME/deckhand/config.yaml`. */
  configFile: string;
  stateDir: string;
  /** deckhand's own known_hosts: keys accepted with --accept-new or at the TUI prompt. */
  knownHostsFile: string;
  /** Last working bastion address per profile (JSON). */
  bastionsFile: string;
  /** Runbook journals (one file per run), so an interrupted runbook can resume. */
  journalDir: string;
  /** Append-only log of every mutation deckhand made. */
  auditLog: string;
}

function xdg(env: PathEnv, name: string, fallback: string): string {
  const value = env[name];
  return value && isAbsolute(value) ? value : fallback;
}

/** Resolves deckhand's paths from the environment (defaults: process.env and the user's home). */
export function deckhandPaths(env: PathEnv = process.env, home: string = env.HOME || homedir()): DeckhandPaths {
  const configDir = join(xdg(env, 'XDG_CONFIG_HOME', join(home, '.config')), 'deckhand');
  const stateDir = join(xdg(env, 'XDG_STATE_HOME', join(home, '.local', 'state')), 'deckhand');
  return {
    configDir,
    configFile: join(configDir, 'config.yaml'),
    stateDir,
    knownHostsFile: join(stateDir, 'known_hosts'),
    bastionsFile: join(stateDir, 'bastions.json'),
    journalDir: join(stateDir, 'journal'),
    auditLog: join(stateDir, 'audit.log'),
  };
}

/** Expands a leading `~` or `~/` to the home directory, as shells and ssh_config(5) do for paths. */
export function expandHome(path: string, home: string = process.env.HOME || homedir()): string {
  return path === '~' || path.startsWith('~/') ? home + path.slice(1) : path;
}

// How the dashboard reaches the API, as one thing both the watches and the runbooks follow: through the tunnel (the
// header shows whichever tunnel is current), or direct while bastion-swap replaces the bastion. Runbooks get a
// ConnectionControl that adopts the dashboard's own tunnel instead of opening a second one, so when bastion-swap
// switches to direct and later to a tunnel through the new bastion, the watches reconnect on the new route and the
// header follows. Contexts that do not go through the tunnel get a control of their own, as their kubeconfig says.
import { proxyUrl } from '../tunnel/address.js';
import type { Tunnel } from '../tunnel/manager.js';
import type { BastionAddress } from '../tunnel/types.js';
import { createConnection } from '../runbooks/connection.js';
import type { ConnectionControl } from '../runbooks/connection-types.js';
import type { ShellStore } from '../store/shell-store.js';
import type { Log } from './ui-log.js';
import type { OpenedTunnel } from './ui-tunnel.js';

/** What the route is built from. */
export interface RouteOptions {
  shell: ShellStore;
  log: Log;
  opened?: OpenedTunnel;
  kubeconfig?: string;
  /** The context reached through the tunnel (all contexts when undefined). */
  tunnelContext?: string;
  /** Reconnects the watches after a switch (the model stays; the relist brings it up to date). */
  onSwitch(): void;
  updateProfileBastion?(address: BastionAddress): Promise<string>;
  /** How long a runbook waits for the tunnel to listen before it gives up starting. */
  readyTimeoutMs?: number;
}

/** The dashboard's route to the API. */
export interface Route {
  /** For the tunnelled context: the current tunnel's proxy URL, or null while direct (bastion-swap). */
  proxy(): Promise<string | null>;
  /** deckhand's connection for a context, created once per context (runbooks act through it). */
  control(context: string | undefined): Promise<ConnectionControl>;
  close(): Promise<void>;
}

/** Creates the route; the header starts following the dashboard's tunnel at once. */
export function createRoute(options: RouteOptions): Route {
  const { shell, log, opened } = options;
  const controls = new Map<string, Promise<ConnectionControl>>();
  let current: Tunnel | undefined = opened?.tunnel;
  let direct = false;
  let unfollow: (() => void) | undefined;

  const follow = (tunnel: Tunnel | undefined) => {
    unfollow?.();
    unfollow = undefined;
    shell.getState().actions.setTunnel(tunnel?.getState());
    if (!tunnel) return;
    // Every event carries the state after it (the phase included), so the header needs nothing but the events.
    unfollow = tunnel.subscribe((event) => {
      shell.getState().actions.setTunnel(event.state);
      if (event.type !== 'stats') log(`tunnel ${event.type}: ${'error' in event ? event.error.message : (event.state.target ?? '')}`);
    });
  };
  follow(current);

  const ready = async (tunnel: Tunnel) => {
    let timer: NodeJS.Timeout | undefined;
    const ms = options.readyTimeoutMs ?? 20_000;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the tunnel is not up after ${ms / 1000}s (${tunnel.getState().phase})`)), ms)));
    try {
      return await Promise.race([tunnel.ready(), late]);
    } finally {
      clearTimeout(timer);
    }
  };
  const tunnelled = (context: string | undefined) => opened !== undefined && (options.tunnelContext === undefined || options.tunnelContext === context);

  const open = async (context: string | undefined): Promise<ConnectionControl> => {
    const base = { ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}), ...(context ? { context } : {}) };
    if (!tunnelled(context) || !opened || !current) return createConnection({ ...base, initial: { mode: 'proxy' } });
    await ready(current);
    return createConnection({
      ...base,
      tunnel: opened.settings,
      initial: direct ? { mode: 'direct' } : { mode: 'tunnel', bastion: await opened.bastion(), tunnel: current },
      onSwitch: (mode, _client, tunnel) => {
        direct = mode === 'direct';
        if (tunnel) current = tunnel;
        log(`route: ${mode}${tunnel ? ` through ${tunnel.getState().target ?? 'the new bastion'}` : ''}`);
        follow(mode === 'tunnel' ? tunnel : undefined);
        options.onSwitch();
      },
      ...(options.updateProfileBastion ? { updateProfileBastion: options.updateProfileBastion } : {}),
    });
  };

  return {
    async proxy() {
      if (direct || !current) return null;
      return proxyUrl(await current.ready());
    },
    control(context) {
      const key = context ?? '';
      let made = controls.get(key);
      if (!made) {
        made = open(context);
        controls.set(key, made);
        // A failed attempt (tunnel down) is not remembered: the next runbook tries again.
        made.catch(() => controls.delete(key));
      }
      return made;
    },
    async close() {
      unfollow?.();
      for (const made of controls.values()) {
        await made.then((c) => c.close(), () => undefined).catch((err: unknown) => log(`connection: ${(err as Error).message}`));
      }
      await opened?.close();
    },
  };
}

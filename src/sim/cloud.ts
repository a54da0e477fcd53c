// The simulated cloud around a cluster's API server: the API load balancer (Octavia with allowed CIDRs), an
// echo-IP endpoint, and ssh2 bastions that the simulated CAPO creates and deletes through the `Cloud` interface.
// The API server behind the load balancer can be the simulated one or a real kube-apiserver (the conformance
// suite runs the controllers against one), so this takes only its address.
import { randomUUID } from 'node:crypto';
import { generateUserKey, startBastion, type Bastion } from './bastion.js';
import type { Cloud } from './controllers/index.js';
import { startEchoIp, startLoadBalancer, type EchoIp, type LoadBalancer } from './network.js';

/** Loopback addresses standing for the hosts of the simulated network (all of 127/8 is loopback on Linux). */
export const simAddresses = {
  api: '127.0.0.1',
  loadBalancer: '127.0.0.20',
  echo: '127.0.0.30',
  operator: '127.0.0.1',
  /** Bastion floating IPs ("public") and internal IPs (the cluster network). */
  floating: (n: number) => `127.0.5.${10 + n}`,
  internal: (n: number) => `127.0.6.${10 + n}`,
  clusterNetwork: '127.0.6.0/24',
  apiHostname: 'api.prow.internal',
};

/** How to start the cloud. */
export interface CloudOptions {
  /** The API server the load balancer forwards to. */
  api: { host: string; port: number };
  /** The "allowlist never takes effect" fault: the first list applies, later changes are ignored. */
  allowlistStuck?: boolean;
  /** Called after each bastion is up (the sim writes known_hosts and sim.json then). */
  onBastion?(bastion: Bastion): Promise<void>;
  log?(line: string): void;
}

/** A running simulated cloud; `Cloud` is what the controllers see, the rest is for its owner. */
export interface SimCloud extends Cloud {
  lb: LoadBalancer;
  echo: EchoIp;
  /** The key the operator logs in to bastions with. */
  operatorKey: { privateKey: string; publicKey: string };
  /** The newest bastion still running. */
  current(): Bastion | undefined;
  /** Every running bastion by server id. */
  bastions: ReadonlyMap<string, Bastion>;
  /** Closes every bastion, the load balancer and the echo endpoint. */
  stop(): Promise<void>;
}

/** Starts the load balancer and echo endpoint; bastions start when the controllers ask for them. */
export async function startCloud(options: CloudOptions): Promise<SimCloud> {
  const log = options.log ?? (() => undefined);
  const lb = await startLoadBalancer(simAddresses.loadBalancer, 0, options.api);
  const echo = await startEchoIp(simAddresses.echo, 0);
  const operatorKey = generateUserKey();
  const bastions = new Map<string, Bastion>();
  let current: Bastion | undefined;
  let count = 0;
  // A recreated bastion keeps the port of the first one (a new floating IP, the same sshd port), as on OpenStack.
  let port = 0;
  let stuck = false;
  return {
    lb,
    echo,
    operatorKey,
    bastions,
    current: () => current,
    loadBalancer: { ip: lb.host, port: lb.port, hostname: simAddresses.apiHostname },
    clusterNetworkCidr: simAddresses.clusterNetwork,
    createBastion: async (image) => {
      const n = count++;
      const floatingIP = simAddresses.floating(n);
      const internalIP = simAddresses.internal(n);
      const bastion = await startBastion({
        host: floatingIP,
        port,
        user: 'ubuntu',
        authorizedKeys: [operatorKey.publicKey],
        localAddress: internalIP,
        route: (host, dstPort) => {
          if ((host === lb.host || host === simAddresses.apiHostname) && dstPort === lb.port) return { host: lb.host, port: lb.port };
          if (host === simAddresses.echo && echo.url.includes(`:${dstPort}/`)) return { host, port: dstPort };
          return null;
        },
      });
      port = bastion.port;
      const id = randomUUID();
      bastions.set(id, bastion);
      current = bastion;
      await options.onBastion?.(bastion);
      log(`bastion ${id} (${image}) up at ${bastion.host}:${bastion.port} ${bastion.fingerprint}`);
      return { id, internalIP, floatingIP, fingerprint: bastion.fingerprint };
    },
    deleteBastion: async (id) => {
      const bastion = bastions.get(id);
      bastions.delete(id);
      if (!bastion) return;
      if (current === bastion) current = undefined;
      await bastion.close();
      log(`bastion ${id} deleted`);
    },
    setAllowlist: (cidrs) => {
      if (stuck) return;
      lb.setAllowlist(cidrs);
      if (options.allowlistStuck) stuck = true;
      log(`load balancer allowlist: ${cidrs === null ? 'everyone' : cidrs.join(', ')}`);
    },
    stop: async () => {
      for (const b of bastions.values()) await b.close();
      bastions.clear();
      current = undefined;
      await lb.close();
      await echo.close();
    },
  };
}

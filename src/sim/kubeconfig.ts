// The kubeconfig `deckhand sim --out DIR` writes: context `sim` straight to the API server (for tests and kubectl),
// context `sim-via-bastion` to the load balancer, which admits the operator only through the bastion or an
// allowlist entry, like production. Neither carries a proxy-url: deckhand adds one in memory at run time.
import { stringify } from 'yaml';

/** What goes into the kubeconfig. */
export interface KubeconfigInput {
  apiUrl: string;
  loadBalancerUrl: string;
  caPem: string;
  token: string;
}

/** Renders the kubeconfig YAML. */
export function renderKubeconfig(input: KubeconfigInput): string {
  const ca = Buffer.from(input.caPem).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': 'sim',
    clusters: [
      { name: 'sim', cluster: { server: input.apiUrl, 'certificate-authority-data': ca } },
      { name: 'sim-via-bastion', cluster: { server: input.loadBalancerUrl, 'certificate-authority-data': ca } },
    ],
    users: [{ name: 'sim-admin', user: { token: input.token } }],
    contexts: [
      { name: 'sim', context: { cluster: 'sim', user: 'sim-admin' } },
      { name: 'sim-via-bastion', context: { cluster: 'sim-via-bastion', user: 'sim-admin' } },
    ],
  });
}

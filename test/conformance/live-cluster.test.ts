// The shared live-cluster suite (test/shared/live-cluster.ts) against a real kube-apiserver with the simulated
// controllers as its API clients; test/kube/integration-scenarios.test.ts runs the same suite against deckhand sim.
import { describe } from 'node:test';
import { defineLiveClusterSuite } from '../shared/live-cluster.js';
import { realTarget } from '../shared/real-target.js';
import { sharedScenarios } from '../shared/target.js';

const skip = process.env.DECKHAND_CONFORMANCE === '1' ? false : 'real-apiserver suite: run `npm run test:conformance`';

for (const { scenario } of sharedScenarios) {
  describe(`a live cluster: a real kube-apiserver with the simulated controllers (${scenario})`, { skip, timeout: 240_000 }, () => {
    defineLiveClusterSuite(() => realTarget({ scenario, controllers: true, timeScale: 60 }));
  });
}

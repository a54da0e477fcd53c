// Both CAPI/CAPO scenarios of deckhand sim with its controllers, through the shared live-cluster suite
// (test/shared/live-cluster.ts); test/conformance/live-cluster.test.ts runs the same suite with the same
// controllers against a real kube-apiserver.
import { describe } from 'node:test';
import { defineLiveClusterSuite } from '../shared/live-cluster.js';
import { simTarget } from '../shared/sim-target.js';
import { sharedScenarios } from '../shared/target.js';

for (const { scenario } of sharedScenarios) {
  describe(`a live cluster: deckhand sim with its controllers (${scenario})`, { timeout: 120_000 }, () => {
    defineLiveClusterSuite(() => simTarget({ scenario, controllers: true, timeScale: 60 }));
  });
}

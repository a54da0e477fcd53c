// The shared live-model suite (test/shared/live-model.ts) against deckhand sim, seeded like the real target and
// without controllers, so that only the test changes anything; test/conformance/live-model.test.ts runs the same
// suite against a real kube-apiserver.
import { describe } from 'node:test';
import { defineLiveModelSuite } from '../shared/live-model.js';
import { simTarget } from '../shared/sim-target.js';
import { sharedScenarios } from '../shared/target.js';

for (const { scenario } of sharedScenarios) {
  describe(`live model against deckhand sim (${scenario})`, { timeout: 120_000 }, () => {
    defineLiveModelSuite(() => simTarget({ scenario }));
  });
}

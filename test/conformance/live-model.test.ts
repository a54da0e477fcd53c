// The shared live-model suite (test/shared/live-model.ts) against a real kube-apiserver with the real CRDs, one
// per CAPI/CAPO generation; test/kube/integration-live-model.test.ts runs the same suite against deckhand sim.
import { describe } from 'node:test';
import { defineLiveModelSuite } from '../shared/live-model.js';
import { realTarget } from '../shared/real-target.js';
import { sharedScenarios } from '../shared/target.js';

const skip = process.env.DECKHAND_CONFORMANCE === '1' ? false : 'real-apiserver suite: run `npm run test:conformance`';

for (const { scenario } of sharedScenarios) {
  describe(`live model against a real kube-apiserver (${scenario})`, { skip, timeout: 240_000 }, () => {
    defineLiveModelSuite(() => realTarget({ scenario }));
  });
}

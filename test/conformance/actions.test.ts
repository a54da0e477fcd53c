// The shared actions suite (test/shared/actions.ts) against a real kube-apiserver with the real CRDs, one per
// CAPI/CAPO generation; test/kube/integration-actions.test.ts runs the same suite against deckhand sim.
import { describe } from 'node:test';
import { defineActionsSuite } from '../shared/actions.js';
import { realTarget } from '../shared/real-target.js';
import { sharedScenarios } from '../shared/target.js';

const skip = process.env.DECKHAND_CONFORMANCE === '1' ? false : 'real-apiserver suite: run `npm run test:conformance`';

for (const { scenario } of sharedScenarios) {
  describe(`actions and patch shapes against a real kube-apiserver (${scenario})`, { skip, timeout: 180_000 }, () => {
    defineActionsSuite(() => realTarget({ scenario, prow: false }));
  });
}

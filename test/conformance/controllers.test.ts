// The simulator's controllers as API clients of a real kube-apiserver with the real CRDs, one per CAPI/CAPO
// generation (each against its own CRD set: there is no conversion webhook), through the shared controller suite
// (test/shared/controllers.ts); test/sim/controllers/shared.test.ts runs the same suite against deckhand sim.
import { describe } from 'node:test';
import { defineControllersSuite } from '../shared/controllers.js';
import { realTarget } from '../shared/real-target.js';
import { sharedScenarios } from '../shared/target.js';

const skip = process.env.DECKHAND_CONFORMANCE === '1' ? false : 'real-apiserver suite: run `npm run test:conformance`';

for (const { scenario } of sharedScenarios) {
  describe(`the simulated controllers against a real kube-apiserver (${scenario})`, { skip, timeout: 300_000 }, () => {
    defineControllersSuite(() => realTarget({ scenario, controllers: true, timeScale: 50, overrides: { jobsPerMinute: 0 } }));
  });
}

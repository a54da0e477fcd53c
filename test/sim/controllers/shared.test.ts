// The shared controller suite (test/shared/controllers.ts) against deckhand sim; test/conformance/controllers.test.ts
// runs the same suite with the same controllers against a real kube-apiserver.
import { describe } from 'node:test';
import { defineControllersSuite } from '../../shared/controllers.js';
import { simTarget } from '../../shared/sim-target.js';
import { sharedScenarios } from '../../shared/target.js';

for (const { scenario } of sharedScenarios) {
  describe(`the simulated controllers against deckhand sim (${scenario})`, { timeout: 180_000 }, () => {
    defineControllersSuite(() => simTarget({ scenario, controllers: true, timeScale: 50, overrides: { jobsPerMinute: 0 } }));
  });
}

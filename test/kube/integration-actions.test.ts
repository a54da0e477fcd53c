// The shared actions suite (test/shared/actions.ts) against deckhand sim, seeded like the real target and without
// controllers; test/conformance/actions.test.ts runs the same suite against a real kube-apiserver.
import { describe } from 'node:test';
import { defineActionsSuite } from '../shared/actions.js';
import { simTarget } from '../shared/sim-target.js';
import { sharedScenarios } from '../shared/target.js';

for (const { scenario } of sharedScenarios) {
  describe(`actions and patch shapes against deckhand sim (${scenario})`, { timeout: 60_000 }, () => {
    defineActionsSuite(() => simTarget({ scenario, prow: false }));
  });
}

// The shared runbook-steps suite (test/shared/runbook-steps.ts) against a real kube-apiserver with the real CRDs;
// test/kube/integration-runbook-steps.test.ts runs the same suite against deckhand sim.
import { describe } from 'node:test';
import { realTarget } from '../shared/real-target.js';
import { defineRunbookStepsSuite } from '../shared/runbook-steps.js';
import { sharedScenarios } from '../shared/target.js';

const skip = process.env.DECKHAND_CONFORMANCE === '1' ? false : 'real-apiserver suite: run `npm run test:conformance`';

for (const { scenario } of sharedScenarios) {
  describe(`runbook steps against a real kube-apiserver (${scenario})`, { skip, timeout: 180_000 }, () => {
    defineRunbookStepsSuite(() => realTarget({ scenario }));
  });
}

// The shared runbook-steps suite (test/shared/runbook-steps.ts) against deckhand sim without controllers;
// test/conformance/runbook-steps.test.ts runs the same suite against a real kube-apiserver.
import { describe } from 'node:test';
import { defineRunbookStepsSuite } from '../shared/runbook-steps.js';
import { simTarget } from '../shared/sim-target.js';
import { sharedScenarios } from '../shared/target.js';

for (const { scenario } of sharedScenarios) {
  describe(`runbook steps against deckhand sim (${scenario})`, { timeout: 60_000 }, () => {
    defineRunbookStepsSuite(() => simTarget({ scenario }));
  });
}

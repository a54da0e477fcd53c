// The shared refused-request suite (test/shared/request-errors.ts) against a real kube-apiserver;
// test/kube/integration-request-errors.test.ts runs the same suite against deckhand sim.
import { describe } from 'node:test';
import { realTarget } from '../shared/real-target.js';
import { defineRequestErrorsSuite } from '../shared/request-errors.js';

const skip = process.env.DECKHAND_CONFORMANCE === '1' ? false : 'real-apiserver suite: run `npm run test:conformance`';

describe('refused requests against a real kube-apiserver', { skip, timeout: 120_000 }, () => {
  defineRequestErrorsSuite(() => realTarget({ scenario: 'capi-v1beta2', prow: false }));
});

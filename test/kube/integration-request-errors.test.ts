// The shared refused-request suite (test/shared/request-errors.ts) against deckhand sim;
// test/conformance/request-errors.test.ts runs the same suite against a real kube-apiserver.
import { describe } from 'node:test';
import { defineRequestErrorsSuite } from '../shared/request-errors.js';
import { simTarget } from '../shared/sim-target.js';

describe('refused requests against deckhand sim', { timeout: 60_000 }, () => {
  defineRequestErrorsSuite(() => simTarget({ scenario: 'capi-v1beta2', prow: false }));
});

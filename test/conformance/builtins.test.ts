// The shared built-in semantics suite (test/shared/builtins.ts) against a real kube-apiserver;
// test/kube/integration-builtins.test.ts runs the same suite against deckhand sim.
import { describe } from 'node:test';
import { defineBuiltinsSuite } from '../shared/builtins.js';
import { realTarget } from '../shared/real-target.js';

const skip = process.env.DECKHAND_CONFORMANCE === '1' ? false : 'real-apiserver suite: run `npm run test:conformance`';

describe('built-in objects against a real kube-apiserver', { skip, timeout: 120_000 }, () => {
  defineBuiltinsSuite(() => realTarget({ scenario: 'capi-v1beta2', prow: false }));
});

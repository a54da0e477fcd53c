// The shared built-in semantics suite (test/shared/builtins.ts) against deckhand sim;
// test/conformance/builtins.test.ts runs the same suite against a real kube-apiserver.
import { describe } from 'node:test';
import { defineBuiltinsSuite } from '../shared/builtins.js';
import { simTarget } from '../shared/sim-target.js';

describe('built-in objects against deckhand sim', { timeout: 60_000 }, () => {
  defineBuiltinsSuite(() => simTarget({ scenario: 'capi-v1beta2', prow: false }));
});

// The kubectl JSONPath subset behind CRD printer columns, checked against client-go's behaviour
// (k8s.io/client-go/util/jsonpath jsonpath_test.go cases where they apply).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileJsonPath, formatJsonPathValue, goJsonMarshal, JsonPathError } from '../../src/sim/jsonpath.js';

const machine = {
  metadata: {
    name: 'prow-md-0-7xk2p',
    labels: { 'cluster.x-k8s.io/cluster-name': 'prow', app: 'x' },
    ownerReferences: [
      { kind: 'MachineSet', name: 'prow-md-0-5d8f9' },
      { kind: 'Machine', name: 'prow-md-0-7xk2p' },
    ],
  },
  spec: { refs: { pulls: [{ number: 1203 }, { number: 1207 }, { number: 1211 }] }, replicas: 3, ratio: 0.5 },
  status: {
    conditions: [
      { type: 'Ready', status: 'True', observedGeneration: 2 },
      { type: 'Paused', status: 'False', observedGeneration: 1 },
    ],
    addresses: [
      { type: 'InternalIP', address: '10.6.0.12' },
      { type: 'InternalIP', address: '10.6.0.13' },
    ],
    empty: null,
  },
};
const run = (path: string, data: unknown = machine, allowMissingKeys?: boolean): unknown[] =>
  compileJsonPath(path, allowMissingKeys === undefined ? {} : { allowMissingKeys })(data);

test('plain fields, with or without braces and a leading $', () => {
  assert.deepEqual(run('.metadata.name'), ['prow-md-0-7xk2p']);
  assert.deepEqual(run('{.metadata.name}'), ['prow-md-0-7xk2p']);
  assert.deepEqual(run('$.spec.replicas'), [3]);
  assert.deepEqual(run('.spec.refs'), [machine.spec.refs]);
});

test('label keys with dots: escaped dots and quoted bracket keys', () => {
  assert.deepEqual(run(".metadata.labels['cluster\\.x-k8s\\.io/cluster-name']"), ['prow']);
  assert.deepEqual(run('.metadata.labels.cluster\\.x-k8s\\.io/cluster-name'), ['prow']);
  assert.deepEqual(run(".metadata.labels['app']"), ['x']);
});

test('filters select list items by field value or existence', () => {
  assert.deepEqual(run('.status.conditions[?(@.type=="Ready")].status'), ['True']);
  assert.deepEqual(run(".status.conditions[?(@.type=='Paused')].status"), ['False']);
  assert.deepEqual(run('.status.conditions[?(@.type!="Ready")].type'), ['Paused']);
  assert.deepEqual(run('.status.conditions[?(@.observedGeneration>1)].type'), ['Ready']);
  assert.deepEqual(run('.status.conditions[?(@.observedGeneration<=1)].type'), ['Paused']);
  assert.deepEqual(run('.status.conditions[?(@.status)].type'), ['Ready', 'Paused']);
  assert.deepEqual(run('.status.conditions[?(@.reason)].type'), []);
  assert.deepEqual(run('.metadata.ownerReferences[?(@.kind=="Machine")].name'), ['prow-md-0-7xk2p']);
  assert.deepEqual(run('.status.addresses[?(@.type=="ExternalIP")].address'), []);
  assert.deepEqual(run('.status.addresses[?(@.type=="InternalIP")].address'), ['10.6.0.12', '10.6.0.13']);
});

test('filters compare only values of the same kind, like text/template', () => {
  // An int field against a float literal is an error in client-go ("incompatible types for comparison").
  assert.throws(() => run('.status.conditions[?(@.observedGeneration==2.0)].type'), JsonPathError);
  assert.throws(() => run('.status.conditions[?(@.type==2)].type'), /incompatible types/);
});

test('wildcards, indexes, slices and unions', () => {
  assert.deepEqual(run('.spec.refs.pulls[*].number'), [1203, 1207, 1211]);
  assert.deepEqual(run('.spec.refs.pulls[0].number'), [1203]);
  assert.deepEqual(run('.spec.refs.pulls[-1].number'), [1211]);
  assert.deepEqual(run('.spec.refs.pulls[1:].number'), [1207, 1211]);
  assert.deepEqual(run('.spec.refs.pulls[0:3:2].number'), [1203, 1211]);
  assert.deepEqual(run('.spec.refs.pulls[0,2].number'), [1203, 1211]);
  assert.deepEqual(run('.spec.refs.pulls[5:5].number'), []);
  assert.deepEqual(run('.metadata.labels.*').sort(), ['prow', 'x']);
});

test('index errors are reported as client-go does', () => {
  assert.throws(() => run('.spec.refs.pulls[3].number'), /array index out of bounds: index 3, length 3/);
  assert.throws(() => run('.spec.refs[0]'), /is not array or slice/);
  assert.throws(() => run('.metadata.labels[?(@.x=="y")]'), /cannot be filtered/);
});

test('recursive descent finds fields at any depth', () => {
  assert.deepEqual(run('..number'), [1203, 1207, 1211]);
  assert.deepEqual(run('..address'), ['10.6.0.12', '10.6.0.13']);
});

test('missing keys give no result by default and an error when not allowed', () => {
  assert.deepEqual(run('.status.nodeRef.name'), []);
  assert.deepEqual(run('.status.empty.name'), []);
  assert.throws(() => run('.status.nodeRef.name', machine, false), /nodeRef is not found/);
});

test('syntax errors are thrown when compiling', () => {
  assert.throws(() => compileJsonPath('.spec.refs.pulls[x]'), /invalid array index/);
  assert.throws(() => compileJsonPath('.status.conditions[?(@.type=="Ready"'), /unterminated filter|unclosed/);
  assert.throws(() => compileJsonPath('.spec.refs.pulls[0'), /unterminated array/);
  assert.throws(() => compileJsonPath('{.a}{.b}'), /single/);
  assert.throws(() => compileJsonPath('.a range'), /unrecognized identifier/);
});

test('values print as client-go PrintResults prints them', () => {
  assert.equal(formatJsonPathValue('Running'), 'Running');
  assert.equal(formatJsonPathValue(3), '3');
  assert.equal(formatJsonPathValue(true), 'true');
  assert.equal(formatJsonPathValue(0.5), '0.5');
  // Go's %v for float64 switches to exponent form at 1e6 and below 1e-4.
  assert.equal(formatJsonPathValue(1234567.5), '1.2345675e+06');
  assert.equal(formatJsonPathValue(0.00001), '1e-05');
  assert.equal(formatJsonPathValue(null), '<no value>');
  assert.equal(formatJsonPathValue({ b: 1, a: ['<x>'] }), '{"a":["\\u003cx\\u003e"],"b":1}');
});

test('goJsonMarshal sorts keys like encoding/json', () => {
  assert.equal(goJsonMarshal({ z: 1, a: { d: true, c: null }, m: [2, 'x&y'] }), '{"a":{"c":null,"d":true},"m":[2,"x\\u0026y"],"z":1}');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markHiddenDeep } from '../../src/cert/display-text.js';

test('markHiddenDeep marks every string and copies only what changed', () => {
  const clean = { a: 'x', list: ['y', { z: 'z' }], n: 1, nil: null };
  assert.equal(markHiddenDeep(clean), clean, 'a clean payload is returned as it is');

  const inner = { keep: 'ok' };
  const dirty = { name: 'evil\u202Egpj.example', list: ['ok', 'a\u200Bb'], inner, n: 2 };
  const out = markHiddenDeep(dirty);
  assert.notEqual(out, dirty);
  assert.deepEqual(out, { name: 'evil<U+202E>gpj.example', list: ['ok', 'a<U+200B>b'], inner, n: 2 });
  assert.equal(out.inner, inner, 'an unchanged branch keeps its identity');
  assert.equal(dirty.name, 'evil\u202Egpj.example', 'the input is not modified');
  assert.deepEqual(dirty.list, ['ok', 'a\u200Bb']);

  class Row {
    label = 'x\u202E';
  }
  const row = new Row();
  assert.equal(markHiddenDeep(row), row, 'only plain objects are walked');
  assert.equal(markHiddenDeep('tab\tand\nnewline'), 'tab\tand\nnewline');
});

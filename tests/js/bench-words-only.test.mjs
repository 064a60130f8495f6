// scripts/bench.sh gives a masked model to the peers as their libraries document (ONNX
// sequence_lens, TF.js mask_zero): wordsOnly is that conversion; a mistake in it would make the
// peers read other sequences than ours (the run's parity check would then fail it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wordsOnly } from '../../bench/peers/engines.mjs';

const ids = Int32Array.from([
  0, 0, 0, 1, 5, 6, // pre-padded, 3 ids
  1, 7, 8, 9, 4, 2, // full, 6
  0, 0, 0, 0, 0, 1, // the start token alone
]);

test('start-aligned rows and their lengths, as wide as the longest row', () => {
  const r = wordsOnly(ids, 3, 6, 'start');
  assert.equal(r.width, 6);
  assert.deepEqual([...r.lengths], [3, 6, 1]);
  assert.deepEqual([...r.ids], [1, 5, 6, 0, 0, 0, 1, 7, 8, 9, 4, 2, 1, 0, 0, 0, 0, 0]);
});

test('end-aligned (Keras pre-padding) and trimmed to the longest row of the batch', () => {
  const r = wordsOnly(ids.subarray(0, 6), 1, 6, 'end');
  assert.equal(r.width, 3);
  assert.deepEqual([...r.ids], [1, 5, 6]);
  const two = wordsOnly(Int32Array.from([0, 0, 1, 5, 0, 1, 2, 3]), 2, 4, 'end');
  assert.equal(two.width, 3);
  assert.deepEqual([...two.ids], [0, 1, 5, 1, 2, 3]);
});

test('padding inside a row is dropped too: the words keep their order', () => {
  const r = wordsOnly(Int32Array.from([1, 0, 5, 0, 6]), 1, 5, 'start');
  assert.deepEqual([...r.ids], [1, 5, 6]);
  assert.deepEqual([...r.lengths], [3]);
});

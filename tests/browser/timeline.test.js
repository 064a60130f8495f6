// The page's timeline (web/playback/timeline.js) for both kinds of model: a padded one (pre-padding
// to maxlen, the first steps are padding) and a masked one (steps are exactly start + words). Plain
// node: the module has no DOM. Results are shaped like run()'s (docs/js-api.md): ids 0 = padding, 1 = start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTimeline, stepItems } from '../../web/playback/timeline.js';

/** A result with `pad` padding steps, a start step and `words` words. */
function fakeResult(pad, words) {
  const steps = pad + 1 + words;
  const ids = new Int32Array(steps);
  const tokenIndex = new Int32Array(steps).fill(-1);
  ids[pad] = 1;
  for (let w = 0; w < words; w++) { ids[pad + 1 + w] = 10 + w; tokenIndex[pad + 1 + w] = w; }
  return { steps, ids, tokenIndex, padding: pad };
}
const uni = { bidirectional: false, layers: 2 };
const bi = { bidirectional: true, layers: 2 };

test('padded model: the padding is one item, crossed in one step; home is the first word', () => {
  const r = fakeResult(75, 4);
  const tl = makeTimeline(uni, r);
  assert.equal(tl.length, 6); // block, start, 4 words
  assert.deepEqual(tl.items[0], { kind: 'pad', from: 0, to: 74, n: 75 });
  assert.equal(tl.home, 2);
  assert.equal(tl.cursorAt(0).t, 74, 'the block shows the state after its last step');
  assert.equal(tl.cursorAt(1).t, 75);
  assert.equal(tl.positionOf(30), 0, 'any padding step maps to the block');
  assert.equal(tl.padding, 75);
  const open = makeTimeline(uni, r, { expand: true });
  assert.equal(open.length, 80);
  assert.equal(open.home, 76);
  assert.equal(stepItems(r, true).filter((i) => i.kind === 'pad').length, 75);
});

test('masked model: no padding item at all; every step is the start or a word', () => {
  const r = fakeResult(0, 5);
  const tl = makeTimeline(uni, r);
  assert.equal(tl.length, 6);
  assert.equal(tl.padding, 0);
  assert.ok(tl.items.every((i) => i.kind !== 'pad'));
  assert.equal(tl.home, 1);
  for (let p = 0; p < 6; p++) assert.equal(tl.cursorAt(p).t, p);
});

test('bidirectional: the backward sweep reaches the block last and shows its first step', () => {
  const r = fakeResult(10, 3);
  const tl = makeTimeline(bi, r);
  const K = 5; // block, start, 3 words
  assert.equal(tl.length, 2 * 2 * K + 1);
  const lastBackward = tl.cursorAt(2 * K - 1); // layer 1, backward sweep, item 0
  assert.equal(lastBackward.direction, 'backward');
  assert.equal(lastBackward.t, 0, 'backward rows read the padding from its end: state after step 0');
  assert.equal(tl.isComputed(lastBackward, { layer: 0, direction: 'backward' }, 5), true);
  assert.equal(tl.cursorAt(tl.length - 1).phase, 'join');
  assert.equal(tl.home, 2);
  const masked = makeTimeline(bi, fakeResult(0, 3));
  assert.equal(masked.length, 2 * 2 * 4 + 1);
  assert.equal(masked.home, 1);
});

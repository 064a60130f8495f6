// The page's URL fragment (web/app/url-state.js) for the memory lens's option and knocked-out
// units: what is written is read back, and anything else is ignored, never looked up as a key.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { readState, encodeState, parseKnockouts, formatKnockouts } from '../../web/app/url-state.js';

test('knockouts and the lens option round-trip through the fragment', () => {
  const knockouts = [{ entry: 1, unit: 12, mode: 'zero' }, { entry: 0, unit: 3, mode: 'plus' }, { entry: 3, unit: 63, mode: 'minus' }];
  const { hash } = encodeState({ model: 'best', knockouts, lensQuantity: 'gti', text: 'fine' });
  assert.match(hash, /ko=1\.12\.z_0\.3\.p_3\.63\.n/);
  assert.match(hash, /ml=g/);
  const back = readState(hash);
  assert.deepEqual(back.knockouts, knockouts);
  assert.equal(back.lensQuantity, 'gti');
  assert.equal(back.model, 'best');
});

test('the defaults stay out of the link', () => {
  const { hash } = encodeState({ model: 'seed-rnn', knockouts: [], lensQuantity: 'norm' });
  assert.equal(hash, '#m=seed-rnn');
  const back = readState(hash);
  assert.equal(back.knockouts, undefined);
  assert.equal(back.lensQuantity, undefined);
});

test('malformed knockouts are dropped one by one, duplicates kept once, at most 64', () => {
  assert.deepEqual(parseKnockouts('1.2.z_x.1.z_1.2.p_3.4.q_1.__proto__.z_0.0.n'), [{ entry: 1, unit: 2, mode: 'zero' }, { entry: 0, unit: 0, mode: 'minus' }]);
  assert.deepEqual(parseKnockouts('constructor'), []);
  assert.equal(parseKnockouts(Array.from({ length: 100 }, (_, i) => `0.${i}.z`).join('_')).length, 64);
  assert.equal(readState('#ko=toString&ml=constructor').knockouts, undefined);
  assert.equal(readState('#ml=constructor').lensQuantity, undefined);
  assert.equal(formatKnockouts([{ entry: 0, unit: 1, mode: 'other' }]), '');
});

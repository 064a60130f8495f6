// web/views/compare.js's pure parts on real results: what each lane draws (the running verdict, or a
// bidirectional model's forward and backward sweeps) and the sentence on why LSTMs exist.
// Run: scripts/build-wasm.sh && node --test tests/js/compare-lanes.test.mjs

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { loadModel } from '../../wasm/api/unroll.js';
import { laneSeries, whySentence } from '../../web/views/compare.js';
import { BUILDS, ROOT } from './helpers.mjs';

const TEXT = 'a masterpiece at first, then nothing in particular';
const build = BUILDS[0];

async function lane(name) {
  const model = await loadModel(fs.readFileSync(path.join(ROOT, 'models', `${name}.safetensors`)), { ...build.options, name });
  try {
    const result = { ...model.run(TEXT), text: TEXT };
    return { name, info: model.info, result, ...laneSeries(result, model.info) };
  } finally {
    model.dispose();
  }
}

test('a unidirectional lane is the running verdict at each word; a bidirectional one its two sweeps', async () => {
  const seed = await lane('seed-rnn');
  assert.equal(seed.kind, 'running');
  assert.equal(seed.words.length, seed.result.keptTokens, 'every word the model reads');
  assert.equal(seed.words[1].text, 'masterpiece');
  for (const [index, p] of seed.series[0].points) assert.equal(p, seed.result.runningProbability[seed.stepOfWord.get(index)]);

  const best = await lane('best');
  assert.equal(best.kind, 'sweep');
  assert.deepEqual(best.series.map((s) => s.name), ['forward', 'backward']);
  // Forward: ‖hₜ − hₜ₋₁‖ of the top layer's forward state; backward: ‖hₜ − hₜ₊₁‖ (it reads from the end).
  const units = best.info.units;
  const norm = (h, a, b) => Math.sqrt(Array.from({ length: units }, (_, u) => (h[a * units + u] - (b === null ? 0 : h[b * units + u])) ** 2).reduce((x, y) => x + y, 0));
  const [index] = best.series[0].points[2];
  const t = best.stepOfWord.get(index);
  const fwd = best.result.layers.find((e) => e.direction === 'forward').hidden;
  const bwd = best.result.layers.find((e) => e.direction === 'backward').hidden;
  assert.ok(Math.abs(best.series[0].points[2][1] - norm(fwd, t, t - 1)) < 1e-5);
  assert.ok(Math.abs(best.series[1].points[2][1] - norm(bwd, t, t + 1 < best.result.steps ? t + 1 : null)) < 1e-5);
  // Both lanes put the same word at the same token index: one axis.
  assert.deepEqual(seed.words.map((w) => w.index), best.words.map((w) => w.index));

  const t_ = (key, params) => `${key} ${JSON.stringify(params)}`;
  assert.match(whySentence(seed, best, t_), /^compare\.whyLstm .*"simple":"seed-rnn","lstm":"best"/);
  const bi = await lane('bi-rnn');
  assert.equal(whySentence(seed, bi, t_), '', 'two SimpleRNNs: no sentence about gates');
});

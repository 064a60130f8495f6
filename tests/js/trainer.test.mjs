// The in-browser trainer's module (wasm/trainer/) through its JS API (wasm/api/trainer.js), in
// both builds: its first steps equal the native trainer's (the fixture tests/core/
// training_session_test.cpp checks natively), one epoch on separable synthetic data learns, a
// trained model round-trips through the model file and loadModel, and bad input is refused with
// a message. The data file is written here, from the format of docs/training-data.md, never
// from IMDB.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { createTrainer, checkTrainingData, TUTORIAL_RECIPE } from '../../wasm/api/trainer.js';
import { loadModel } from '../../wasm/api/unroll.js';
import { BUILDS, FIXTURES, maxAbsDiff } from './helpers.mjs';

const mix = (x) => Math.imul(x, 2654435761) >>> 16;

/** tests/core/training_session_test.cpp's synthetic_data(), as a file. */
function syntheticData(trainCount, testCount) {
  const maxlen = 12;
  const words = [];
  for (let i = 3; i < 60; i++) words.push(`w${i}`);
  const splits = [];
  for (let s = 0; s < 2; s++) {
    const count = s === 0 ? trainCount : testCount;
    const ids = new Uint16Array(count * maxlen);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const label = i % 2;
      const length = 3 + (mix(i * 131 + 977 * s + 1) % 10);
      for (let t = 0; t < length; t++) {
        ids[i * maxlen + maxlen - length + t] = 3 + (mix(i * 131 + t * 71 + 977 * s + 5) % 28) + 28 * label;
      }
      labels[i] = label;
    }
    splits.push({ name: s === 0 ? 'train' : 'test', ids, labels });
  }
  return writeDataFile({ maxlen, words, splits });
}

/** A training-data file (docs/training-data.md), written independently of the C++ writer. */
function writeDataFile({ maxlen, words, splits, provenance = { source: 'synthetic' } }) {
  const parts = [];
  const sections = {};
  let size = 0;
  const add = (name, bytes, extra) => {
    const pad = (8 - (size % 8)) % 8;
    if (pad) parts.push(new Uint8Array(pad));
    size += pad;
    sections[name] = { offset: size, length: bytes.length, ...extra };
    parts.push(bytes);
    size += bytes.length;
  };
  add('vocabulary', new TextEncoder().encode(words.join('\n')), { dtype: 'utf8-lines' });
  for (const { name, ids, labels } of splits) {
    const le = new Uint8Array(ids.length * 2);
    const view = new DataView(le.buffer);
    ids.forEach((id, i) => view.setUint16(2 * i, id, true));
    add(`${name}.ids`, le, { dtype: 'U16', shape: [labels.length, maxlen] });
    add(`${name}.labels`, labels, { dtype: 'U8', shape: [labels.length] });
  }
  if (size % 8) parts.push(new Uint8Array(8 - (size % 8)));
  const payload = Buffer.concat(parts);
  const header = {
    format: 'unroll-training-data', version: 1, vocab_size: words.length + 3, maxlen,
    padding: 'pre', truncating: 'pre', start_token: true, splits: splits.map((s) => s.name), sections,
    payload_bytes: payload.length, payload_sha256: createHash('sha256').update(payload).digest('hex'), provenance,
  };
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((16 + json.length) % 8)) % 8);
  const preamble = Buffer.alloc(16);
  preamble.write('UNRLDATA', 0, 'latin1');
  preamble.writeUInt32LE(1, 8);
  preamble.writeUInt32LE(json.length, 12);
  return new Uint8Array(Buffer.concat([preamble, Buffer.from(json), payload]));
}

const FIXTURE_RECIPE = {
  embeddingDim: 8, units: 6, layers: 2, dropout: 0.2, learningRate: 1e-2, batchSize: 16, seed: 7,
};

describe('trainer', () => {
  for (const build of BUILDS) {
    describe(`${build.name} build`, () => {
      const options = { simd: build.options.simd, wasmBase: build.options.wasmBase };

      it('takes the first steps the native trainer took (tests/fixtures/trainer_steps.json, 1e-5)', async () => {
        const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'trainer_steps.json'), 'utf8'));
        const trainer = await createTrainer(syntheticData(96, 32), FIXTURE_RECIPE, options);
        try {
          assert.equal(trainer.build, build.name);
          const losses = [];
          let last;
          for (let i = 0; i < 3; i++) losses.push((last = trainer.step()).losses[0]);
          // Gradients through time: one row per layer (unidirectional), one column per step; the
          // head's gradient reaches every state of the top layer.
          const { layers, maxlen } = trainer.info;
          assert.ok(last.gradientNorms instanceof Float32Array);
          assert.equal(last.gradientNorms.length, layers * maxlen);
          assert.ok(last.gradientNorms.every((g) => Number.isFinite(g) && g >= 0));
          assert.ok(last.gradientNorms[(layers - 1) * maxlen + maxlen - 1] > 0);
          assert.ok(maxAbsDiff(losses, expected.losses) < 1e-5, `losses ${losses} vs ${expected.losses}`);
          const parameters = trainer.parameters();
          assert.ok(parameters instanceof Float32Array);
          const worst = maxAbsDiff(parameters, expected.parameters);
          assert.ok(worst < 1e-5, `parameters differ by ${worst}`);
        } finally {
          trainer.dispose();
        }
      });

      it('learns separable data in one epoch, and its model round-trips through loadModel', async () => {
        const trainer = await createTrainer(syntheticData(1000, 200), {
          ...FIXTURE_RECIPE, units: 8, layers: 1, batchSize: 32,
        }, options);
        try {
          const before = trainer.evaluate('validation').accuracy;
          const slices = [];
          const summary = await trainer.runEpoch({ sliceBatches: 5, onProgress: (r) => slices.push(r) });
          const info = trainer.info;
          assert.equal(info.epochsDone, 1);
          assert.equal(slices.reduce((n, r) => n + r.losses.length, 0), info.batchesPerEpoch);
          assert.ok(slices.length > 1, 'the epoch ran in slices');
          assert.equal(summary.epoch, 1);
          const validation = trainer.evaluate('validation');
          const test = trainer.evaluate('test');
          assert.equal(validation.count, info.validationCount);
          assert.ok(before < 0.8, `before training: ${before}`);
          assert.ok(validation.accuracy > 0.9, `validation accuracy ${validation.accuracy}`);
          assert.ok(test.accuracy > 0.9, `test accuracy ${test.accuracy}`);
          assert.equal(trainer.history[0].valAccuracy, validation.accuracy);
          assert.throws(() => trainer.evaluate('nonsense'), /no split "nonsense"/);

          const file = trainer.exportModel({ test_accuracy: test.accuracy });
          assert.ok(file instanceof Uint8Array);
          const model = await loadModel(file, { ...build.options, name: 'yours.safetensors' });
          try {
            assert.equal(model.info.units, 8);
            assert.equal(model.info.vocabSize, 60);
            assert.equal(model.info.provenance.test_accuracy, test.accuracy);
            assert.equal(model.info.provenance.hyperparameters.batchSize, 32);
            // The explainer reads the trained weights: a positive-only review is positive.
            const positive = model.run('w40 w41 w50 w33');
            const negative = model.run('w4 w10 w20 w25');
            assert.ok(positive.probability > 0.5 && negative.probability < 0.5,
              `${positive.probability} / ${negative.probability}`);
          } finally {
            model.dispose();
          }
        } finally {
          trainer.dispose();
        }
      });

      it('refuses a damaged file and a bad recipe with a message', async () => {
        const good = syntheticData(20, 4);
        const damaged = good.slice();
        damaged[damaged.length - 9] ^= 1;
        await assert.rejects(createTrainer(damaged, {}, options), /checksum mismatch/);
        await assert.rejects(createTrainer(new Uint8Array(40), {}, options), /not an Unroll training-data file/);
        await assert.rejects(createTrainer(good, { cell: 'transformer' }, options), /recipe: .*transformer/);
        await assert.rejects(createTrainer(good, { dropout: 1 }, options), /recipe: dropout/);
        const trainer = await createTrainer(good, { units: 4, embeddingDim: 4, layers: 1 }, options);
        trainer.dispose();
        trainer.dispose();
        assert.throws(() => trainer.step(), /disposed/);
      });
    });
  }

  it('checks the payload checksum and reads the header', async () => {
    const { header, checksumVerified } = await checkTrainingData(syntheticData(4, 2), 'x.bin');
    assert.equal(checksumVerified, true);
    assert.equal(header.maxlen, 12);
    assert.equal(TUTORIAL_RECIPE.units, 64);
  });
});

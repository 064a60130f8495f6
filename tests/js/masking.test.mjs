// Models with mask_padding (Keras mask_zero, docs/model-format.md): the network reads only the
// words. A short review is a short run whatever maxlen is, and everything derived from the trace
// follows. Run: scripts/build-wasm.sh && node --test tests/js/

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { loadModel } from '../../wasm/api/unroll.js';
import { BUILDS, ROOT, fixturePath } from './helpers.mjs';

/** A copy of a model file with its config changed (the header is rewritten, tensors kept). */
export function withConfig(file, changes) {
  const bytes = fs.readFileSync(file);
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'));
  header.__metadata__.config = JSON.stringify({ ...JSON.parse(header.__metadata__.config), ...changes });
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return new Uint8Array(Buffer.concat([head, Buffer.from(json), bytes.subarray(8 + length)]));
}

const BEST = path.join(ROOT, 'models', 'best.safetensors');
const FIVE_WORDS = 'this movie was truly wonderful';

for (const build of BUILDS) {
  describe(`build ${build.name}`, () => {
    test('a masked model of best\'s shape reads a 5-word review in 6 steps, not maxlen', async () => {
      const model = await loadModel(withConfig(BEST, { mask_padding: true }), { ...build.options, name: 'best-masked' });
      try {
        assert.equal(model.info.maskPadding, true);
        assert.ok(model.info.maxlen >= 400);
        const result = model.run(FIVE_WORDS);
        assert.ok(result.steps <= 6, `steps ${result.steps}`);
        assert.equal(result.steps, 6); // the start id and five words
        assert.equal(result.padding, 0);
        assert.deepEqual([...result.tokenIndex], [-1, 0, 1, 2, 3, 4]);
        assert.equal(result.ids[0], 1);
        for (const layer of result.layers) assert.equal(layer.hidden.length, 6 * model.info.units);
        // The bidirectional head reads the forward state after the last word and the backward
        // state after the first one; for this model (bidirectional) there is no running logit.
        assert.equal(result.runningProbability, null);
        const effects = model.leaveOneOut(FIVE_WORDS);
        assert.equal(effects.length, 5);
        assert.ok(effects.every(Number.isFinite));
        // runIds with the padding Keras' pad_sequences would add: the same answer, the same 6 steps.
        const padded = new Int32Array(model.info.maxlen);
        padded.set(result.ids, model.info.maxlen - 6);
        const fromIds = model.runIds(padded);
        assert.equal(fromIds.steps, 6);
        assert.ok(Math.abs(fromIds.probability - result.probability) < 1e-6);
      } finally {
        model.dispose();
      }
    });

    test('an unmasked model still reads maxlen steps, padding first', async () => {
      const model = await loadModel(fixturePath('lstm_stacked_bi.safetensors'), build.options);
      try {
        assert.equal(model.info.maskPadding, false);
        const result = model.run('w1 w2 w3');
        assert.equal(result.steps, 16);
        assert.equal(result.padding, 12);
      } finally {
        model.dispose();
      }
    });

    test('masked fixture: runningProbability and stepEffect have one entry per step read', async () => {
      const model = await loadModel(fixturePath('gru_masked.safetensors'), build.options);
      try {
        const result = model.run('w1 w2 w3');
        assert.equal(result.steps, 4);
        assert.equal(result.runningProbability.length, 4);
        assert.equal(result.stepEffect.length, 4);
        assert.ok(Math.abs(result.runningProbability[3] - result.probability) < 1e-6);
      } finally {
        model.dispose();
      }
    });

    test('predictBatch on a masked model: mixed lengths in one batch equal each review alone', async () => {
      const model = await loadModel(fixturePath('lstm_stacked_bi_masked.safetensors'), build.options);
      try {
        const texts = ['w1', 'w2 w3 w4 w5', '', 'w8 w7 w6 w5 w4 w3 w2 w1 w0 w1 w2 w3 w4 w5 w6 w7 w8 w0 w1', 'w0 w0'];
        const batched = model.predictBatch(texts);
        texts.forEach((text, i) => assert.ok(Math.abs(batched[i] - model.run(text).probability) < 1e-5, text));
        // Id sequences of different lengths are accepted for a masked model (left-padded).
        const ids = texts.map((text) => model.run(text).ids);
        const fromIds = model.predictBatch(ids);
        texts.forEach((text, i) => assert.ok(Math.abs(fromIds[i] - batched[i]) < 1e-5, text));
      } finally {
        model.dispose();
      }
    });
  });
}

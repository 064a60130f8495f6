// The JavaScript API (docs/js-api.md) in node, on both wasm builds: PyTorch parity of the whole
// trace, tokenization spans, attribution, errors, and that nothing leaks.
// Run: scripts/build-wasm.sh && node --test tests/js/

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test, before, after } from 'node:test';

import { loadModel, detectSimd } from '../../wasm/api/unroll.js';
import { BUILDS, FIXTURE_MODELS, ROOT, fixturePath, maxAbsDiff, readSafetensors } from './helpers.mjs';

const TOLERANCE = 1e-5;
const GATES = { simple_rnn: 1, lstm: 4, gru: 3 };

/** Text made of the fixtures' made-up words: id 3 + k is "wk". */
const wordsText = (ids) => ids.map((id) => `w${id - 3}`).join(' ');

function assertClose(actual, expected, label, tolerance = TOLERANCE) {
  const diff = maxAbsDiff(actual, expected);
  assert.ok(diff <= tolerance, `${label}: max |diff| ${diff} > ${tolerance}`);
}

test('detectSimd: node 20 validates v128', async () => {
  assert.equal(await detectSimd(), true);
});

for (const build of BUILDS) {
  describe(`build ${build.name}`, () => {
    test('info describes the model and the build', async () => {
      const model = await loadModel(fixturePath('lstm_stacked_bi.safetensors'), build.options);
      try {
        const { info } = model;
        assert.equal(info.name, 'lstm_stacked_bi');
        assert.equal(info.cell, 'lstm');
        assert.equal(info.layers, 2);
        assert.equal(info.units, 4);
        assert.equal(info.directions, 2);
        assert.equal(info.bidirectional, true);
        assert.equal(info.vocabSize, 12);
        assert.equal(info.embeddingDim, 5);
        assert.equal(info.maxlen, 16);
        assert.equal(info.padding, 'pre');
        assert.equal(info.truncating, 'pre');
        assert.equal(info.startToken, true);
        assert.deepEqual(info.gateNames, ['i', 'f', 'c', 'o']);
        assert.equal(info.provenance.seed, 203);
        assert.equal(info.build, build.name);
        assert.equal(info.backend, build.name === 'simd' ? 'wasm_simd128' : 'eigen');
        // embedding 12·5, layer 0: 2·(5·16 + 4·16 + 16), layer 1: 2·(8·16 + 4·16 + 16), head 8 + 1
        assert.equal(info.parameters, 60 + 2 * 160 + 2 * 208 + 9);
      } finally {
        model.dispose();
      }
    });

    for (const name of FIXTURE_MODELS) {
      test(`${name}: trace equals PyTorch's (≤ ${TOLERANCE})`, async () => {
        const model = await loadModel(fixturePath(`${name}.safetensors`), build.options);
        try {
          const { metadata, tensors } = readSafetensors(fixturePath(`${name}.expected.safetensors`));
          const weights = readSafetensors(fixturePath(`${name}.safetensors`)).tensors;
          const G = GATES[model.info.cell];
          const units = model.info.units;
          const sequences = Number(metadata.sequences);
          assert.ok(sequences >= 4);
          for (let s = 0; s < sequences; s++) {
            const ids = Array.from(tensors.get(`seq${s}.ids`).values, Math.round);
            const r = model.runIds(ids);
            assert.equal(r.steps, ids.length);
            assertClose([r.logit], tensors.get(`seq${s}.logit`).values, `seq${s} logit`);
            assertClose([r.probability], tensors.get(`seq${s}.probability`).values, `seq${s} probability`);
            assert.equal(r.layers.length, model.info.layers * model.info.directions);
            for (const layer of r.layers) {
              const d = layer.direction === 'forward' ? 'fwd' : 'bwd';
              const where = `seq${s} layer ${layer.layer} ${d}`;
              assert.equal(layer.units, units);
              assert.equal(layer.hidden.length, ids.length * units);
              assertClose(layer.hidden, tensors.get(`seq${s}.hidden.${layer.layer}.${d}`).values, `${where} hidden`);
              assertClose(layer.gates, tensors.get(`seq${s}.gates.${layer.layer}.${d}`).values, `${where} gates`);
              assertClose(layer.preactivation, tensors.get(`seq${s}.preactivation.${layer.layer}.${d}`).values, `${where} preactivation`);
              if (model.info.cell === 'lstm') {
                assertClose(layer.cell, tensors.get(`seq${s}.cell.${layer.layer}.${d}`).values, `${where} cell`);
              } else {
                assert.equal(layer.cell, null);
              }
              assert.equal(layer.inputPart.length, ids.length * G * units);
              assert.equal(layer.recurrentPart.length, ids.length * G * units);
              // The documented identity inputPart + recurrentPart + b = preactivation (SimpleRNN, LSTM).
              const index = layer.layer * model.info.directions + (d === 'fwd' ? 0 : 1);
              const bias = r.bias[index];
              assertClose(bias, weights.get(`rnn.${layer.layer}.${d}.bias`).values, `${where} bias`, 0);
              if (model.info.cell !== 'gru') {
                const sum = layer.inputPart.map((v, i) => v + layer.recurrentPart[i] + bias[i % (G * units)]);
                assertClose(sum, layer.preactivation, `${where} inputPart + recurrentPart + bias`);
              } else {
                assertClose(r.recurrentBias[index], weights.get(`rnn.${layer.layer}.${d}.recurrent_bias`).values, `${where} recurrent bias`, 0);
              }
            }
            if (model.info.directions === 1) {
              assertClose(r.runningLogit, tensors.get(`seq${s}.running_logit`).values, `seq${s} running logit`);
              const T = ids.length;
              assert.equal(r.runningProbability.length, T);
              assert.ok(Math.abs(r.runningLogit[T - 1] - r.logit) < 1e-6);
              assert.ok(Math.abs(r.runningProbability[T - 1] - r.probability) < 1e-6);
              // stepEffect sums back to the logit minus the head on h_0 = 0 (the head bias).
              const total = r.stepEffect.reduce((a, b) => a + b, 0);
              assert.ok(Math.abs(total - (r.logit - model.info.headBias)) < 1e-5);
            } else {
              assert.equal(r.runningLogit, null);
              assert.equal(r.runningProbability, null);
              assert.equal(r.stepEffect, null);
            }
          }
        } finally {
          model.dispose();
        }
      });
    }

    test('run(text) reads the padded sequence and matches runIds on it', async () => {
      const model = await loadModel(fixturePath('gru_stacked.safetensors'), build.options);
      try {
        const text = 'w2, W4 (w0)... w7 — w9? w8!';
        const r = model.run(text);
        // maxlen 16, pre padding, start token; "w9" is not a word of the vocabulary.
        const expected = [...new Array(9).fill(0), 1, 5, 7, 3, 10, 2, 11];
        assert.deepEqual(Array.from(r.ids), expected);
        assert.deepEqual(Array.from(r.tokenIndex), [...new Array(10).fill(-1), 0, 1, 2, 3, 4, 5]);
        assert.equal(r.steps, 16);
        assert.equal(r.totalTokens, 6);
        assert.equal(r.keptTokens, 6);
        assert.equal(r.padding, 9);
        assert.equal(r.startKept, true);
        assert.deepEqual(r.tokens.map((t) => t.text), ['w2', 'w4', 'w0', 'w7', 'w9', 'w8']);
        assert.deepEqual(r.tokens.map((t) => t.oov), [false, false, false, false, true, false]);
        assert.deepEqual(r.tokens.map((t) => t.position), [10, 11, 12, 13, 14, 15]);
        const byIds = model.runIds(expected);
        assert.equal(r.logit, byIds.logit);
        for (let i = 0; i < r.layers.length; i++) assertClose(r.layers[i].hidden, byIds.layers[i].hidden, 'hidden', 0);
        assert.equal(r.label, r.probability >= 0.5 ? 'positive' : 'negative');
      } finally {
        model.dispose();
      }
    });

    test('long reviews are truncated at the front (pre), tokens outside the window say so', async () => {
      const model = await loadModel(fixturePath('simple_rnn.safetensors'), build.options);
      try {
        const ids = Array.from({ length: 20 }, (_, i) => 3 + (i % 9));
        const r = model.run(wordsText(ids));
        assert.deepEqual(Array.from(r.ids), ids.slice(-16));
        assert.equal(r.startKept, false);
        assert.equal(r.keptTokens, 16);
        assert.deepEqual(r.tokens.map((t) => t.inWindow), ids.map((_, i) => i >= 4));
        assert.deepEqual(r.tokens.map((t) => t.position), ids.map((_, i) => (i >= 4 ? i - 4 : -1)));
        const tokenized = model.tokenize(wordsText(ids));
        assert.deepEqual(Array.from(tokenized.ids), Array.from(r.ids));
        assert.deepEqual(tokenized.tokens, r.tokens);
      } finally {
        model.dispose();
      }
    });

    test('token spans index the original text (UTF-16 and UTF-8), emoji, CJK, combining marks', async () => {
      const model = await loadModel(fixturePath('lstm.safetensors'), build.options);
      try {
        const texts = [
          'w0 w1',
          'Ça: naïve café — 中文電影 很好 w3 ',
          '👍🏽w0👨‍👩‍👧 w1 e\u0301te\u0301 Ame\u0301lie 🎬🎬 w2',
          '\u{1D49C}bc w4 \u{20000}x y',               // astral letters inside words
          'don’t <br />stop<i>w5</i>&amp; ÉCOLE İstanbul',
          'lone \ud800 surrogate \udc00 w6 end',
          '',
          '   ',
        ];
        for (const text of texts) {
          const bytes = Buffer.from(text, 'utf8');
          const { tokens } = model.tokenize(text);
          let last = 0;
          for (const t of tokens) {
            assert.ok(t.begin >= last && t.end > t.begin, `${JSON.stringify(text)}: ordered spans`);
            last = t.end;
            const slice = text.slice(t.begin, t.end);
            assert.equal(Buffer.from(slice, 'utf8').toString(), bytes.subarray(t.byteBegin, t.byteEnd).toString(),
              `${JSON.stringify(text)}: UTF-16 and UTF-8 spans agree for ${JSON.stringify(slice)}`);
            assert.equal(Buffer.byteLength(text.slice(0, t.begin), 'utf8'), t.byteBegin);
            if (!/[\ud800-\udfff]/.test(text)) assert.equal(Buffer.byteLength(slice, 'utf8'), t.byteEnd - t.byteBegin);
          }
        }
        const words = (text) => model.tokenize(text).tokens.map((t) => [t.text, text.slice(t.begin, t.end)]);
        assert.deepEqual(words('👍🏽w0👨‍👩‍👧 w1 e\u0301te\u0301'), [['w0', 'w0'], ['w1', 'w1'], ['e\u0301te\u0301', 'e\u0301te\u0301']]);
        assert.deepEqual(words('中文電影 很好'), [['中文電影', '中文電影'], ['很好', '很好']]);
        assert.deepEqual(words('don’t <br />stop'), [["don't", 'don’t'], ['stop', 'stop']]);
        assert.deepEqual(words('\u{1D49C}bc w4'), [['\u{1D49C}bc', '\u{1D49C}bc'], ['w4', 'w4']]);
        assert.deepEqual(words('ÉCOLE'), [['école', 'ÉCOLE']]);
        const empty = model.tokenize('');
        assert.equal(empty.totalTokens, 0);
        assert.deepEqual(Array.from(empty.ids), [...new Array(15).fill(0), 1]);
      } finally {
        model.dispose();
      }
    });

    test('leaveOneOut: logit minus the logit without each token; NaN outside the window', async () => {
      const model = await loadModel(fixturePath('lstm_stacked.safetensors'), build.options);
      try {
        const ids = Array.from({ length: 18 }, (_, i) => 3 + ((i * 5) % 9));
        const text = wordsText(ids);
        const effects = model.leaveOneOut(text);
        assert.ok(effects instanceof Float32Array);
        assert.equal(effects.length, ids.length);
        const base = model.run(text).logit;
        const kept = model.tokenize(text).tokens.map((t) => t.inWindow);
        for (let i = 0; i < ids.length; i++) {
          if (!kept[i]) {
            assert.ok(Number.isNaN(effects[i]), `token ${i} is outside the window`);
            continue;
          }
          const without = wordsText(ids.filter((_, j) => j !== i));
          assert.ok(Math.abs(effects[i] - (base - model.run(without).logit)) < 1e-6, `token ${i}`);
        }
        assert.equal(model.leaveOneOut('').length, 0);
      } finally {
        model.dispose();
      }
    });

    test('topWords: extreme entries of a column of embedding · kernel', async () => {
      const model = await loadModel(fixturePath('gru_stacked_bi.safetensors'), build.options);
      try {
        const weights = readSafetensors(fixturePath('gru_stacked_bi.safetensors')).tensors;
        const E = model.info.embeddingDim;
        for (const [direction, d] of [['forward', 'fwd'], ['backward', 'bwd']]) {
          const embedding = weights.get('embedding').values;
          const kernel = weights.get(`rnn.0.${d}.kernel`);
          const cols = kernel.shape[1];
          for (const unit of [0, 3]) {
            const scores = [];
            for (let id = 3; id < model.info.vocabSize; id++) {
              let v = 0;
              for (let e = 0; e < E; e++) v += embedding[id * E + e] * kernel.values[e * cols + unit];
              scores.push({ word: `w${id - 3}`, id, value: v });
            }
            scores.sort((a, b) => b.value - a.value);
            const top = model.topWords(0, direction, unit, 3);
            assert.deepEqual(top.positive.map((w) => [w.word, w.id]), scores.slice(0, 3).map((w) => [w.word, w.id]));
            assert.deepEqual(top.negative.map((w) => [w.word, w.id]), scores.slice(-3).reverse().map((w) => [w.word, w.id]));
            for (const w of [...top.positive, ...top.negative]) {
              assert.ok(Math.abs(w.value - scores.find((s) => s.id === w.id).value) < 1e-5);
            }
          }
        }
        assert.equal(model.topWords(0, 'forward', 0, 100).positive.length, 9);
        assert.throws(() => model.topWords(1, 'forward', 0, 3), /layer 0/);
        assert.throws(() => model.topWords(0, 'forward', 4, 3), /unit 4 out of range/);
        assert.throws(() => model.topWords(0, 'sideways', 0, 3), /direction/);
      } finally {
        model.dispose();
      }
    });

    test('results are JS-owned copies: they survive later calls and dispose()', async () => {
      const model = await loadModel(fixturePath('lstm.safetensors'), build.options);
      const first = model.run('w1 w2 w3');
      const hidden = Float32Array.from(first.layers[0].hidden);
      for (let i = 0; i < 50; i++) model.run('w5 '.repeat(200)); // grows buffers, may grow memory
      model.dispose();
      assert.deepEqual(first.layers[0].hidden, hidden);
      assert.equal(first.layers[0].hidden.buffer.byteLength, hidden.length * 4);
      assert.throws(() => model.run('w1'), /disposed/);
      assert.throws(() => model.info, /disposed/);
      model.dispose(); // idempotent
    });

    test('10,000 runs leave the wasm heap as it was', async () => {
      const model = await loadModel(fixturePath('lstm_stacked_bi.safetensors'), build.options);
      try {
        const reviews = ['w0 w1 w2', 'w8 w7 w6 w5 w4 w3 w2 w1 w0 w0 w1', 'w3 👍 中文 w4', ''];
        // Warm up every call the loop makes: the allocator's first blocks for these lengths.
        for (const r of reviews) model.run(r), model.tokenize(r), model.leaveOneOut(r);
        const before = model.memory();
        for (let i = 0; i < 10000; i++) {
          const r = model.run(reviews[i % reviews.length]);
          if (i % 1000 === 0) model.tokenize(reviews[i % reviews.length]);
          assert.ok(r.probability > 0 && r.probability < 1);
        }
        for (let i = 0; i < 100; i++) model.leaveOneOut(reviews[1]), model.topWords(0, 'backward', 1, 5);
        const afterwards = model.memory();
        assert.equal(afterwards.heapSize, before.heapSize);
        assert.equal(afterwards.heapBreak, before.heapBreak);
        assert.equal(afterwards.emvalHandles, 0);
      } finally {
        model.dispose();
      }
    });

    test('loading and disposing 200 models returns the memory', async () => {
      const bytes = fs.readFileSync(fixturePath('gru_stacked_bi.safetensors'));
      const warm = await loadModel(bytes, build.options);
      warm.run('w1 w2');
      warm.dispose();
      const probe = await loadModel(bytes, build.options);
      // A few cycles with the probe alive first: the allocator may place the first models past
      // the probe's blocks (the heap break steps up once or twice, then stays); a leak would grow
      // it on every one of the 200 cycles after.
      for (let i = 0; i < 5; i++) {
        const settle = await loadModel(bytes, build.options);
        settle.run('w1 w2');
        settle.dispose();
      }
      const before = probe.memory();
      for (let i = 0; i < 200; i++) {
        const m = await loadModel(bytes, build.options);
        m.run('w1 w2');
        m.dispose();
      }
      const afterwards = probe.memory();
      probe.dispose();
      assert.equal(afterwards.heapBreak, before.heapBreak);
      assert.equal(afterwards.emvalHandles, 0);
    });

    test('sources: Uint8Array, ArrayBuffer, path, file URL', async () => {
      const bytes = fs.readFileSync(fixturePath('simple_rnn.safetensors'));
      const sources = [
        new Uint8Array(bytes),
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        fixturePath('simple_rnn.safetensors'),
        new URL(`file://${fixturePath('simple_rnn.safetensors')}`),
      ];
      const logits = [];
      for (const source of sources) {
        const model = await loadModel(source, build.options);
        logits.push(model.run('w1 w2').logit);
        model.dispose();
      }
      assert.ok(logits.every((l) => l === logits[0]));
    });

    test('a corrupt model rejects with the loader\'s message', async () => {
      const good = fs.readFileSync(fixturePath('lstm.safetensors'));
      await assert.rejects(loadModel(good.subarray(0, 5), { ...build.options, name: 'tiny.safetensors' }),
        /^Error: tiny\.safetensors: .*too short/);
      await assert.rejects(loadModel(good.subarray(0, good.length - 8), { ...build.options, name: 'cut.safetensors' }),
        (e) => e instanceof Error && e.message.startsWith('cut.safetensors: '));
      const header = Buffer.from(good);
      header.write('{', 8 + 1, 'latin1'); // break the JSON header
      await assert.rejects(loadModel(header, { ...build.options, name: 'json.safetensors' }),
        (e) => e.message.startsWith('json.safetensors: '));
      // A wrong embedding shape is named: rewrite the JSON's [12,5] as [11,5] (same length).
      const text = good.toString('latin1');
      const swapped = Buffer.from(text.replace('"shape":[12,5]', '"shape":[11,5]'), 'latin1');
      assert.notEqual(swapped.toString('latin1'), text, 'fixture header layout changed');
      await assert.rejects(loadModel(swapped, { ...build.options, name: 'shape.safetensors' }),
        (e) => e.message.startsWith('shape.safetensors: ') && /embedding/.test(e.message));
      await assert.rejects(loadModel(fixturePath('no-such-model.safetensors'), build.options),
        (e) => e.message.startsWith('no-such-model.safetensors: ') && /ENOENT/.test(e.message));
      await assert.rejects(loadModel(42, build.options), TypeError);
    });
  });
}

describe('environment', () => {
  let saved;
  before(() => { saved = globalThis.WebAssembly; });
  after(() => { globalThis.WebAssembly = saved; });

  test('without WebAssembly, loadModel rejects with a clear message', async () => {
    delete globalThis.WebAssembly;
    try {
      await assert.rejects(loadModel(fixturePath('lstm.safetensors')), { message: 'WebAssembly is not available in this browser' });
    } finally {
      globalThis.WebAssembly = saved;
    }
  });

  test('simd: true selects the SIMD build, false the scalar one, auto picks SIMD in node', async () => {
    const base = BUILDS[0].options.wasmBase;
    for (const [simd, build] of [[true, 'simd'], [false, 'scalar'], ['auto', 'simd'], [undefined, 'simd']]) {
      const model = await loadModel(fixturePath('simple_rnn.safetensors'), { simd, wasmBase: base });
      assert.equal(model.info.build, build);
      model.dispose();
    }
  });

  test('a missing build rejects naming it', async () => {
    await assert.rejects(loadModel(fixturePath('lstm.safetensors'), { wasmBase: '/nonexistent/dir' }), /unroll-simd/);
  });
});

describe('shipped models', () => {
  const shipped = ['seed-rnn', 'bi-rnn', 'best'].map((name) => [name, `${ROOT}/models/${name}.safetensors`]);
  for (const [name, file] of shipped) {
    test(`${name}: both builds load it and agree (≤ 1e-4)`, { skip: !fs.existsSync(file) && `models/${name}.safetensors not there yet` }, async () => {
      const review = 'A wonderful, moving film. The acting was great but the plot was a bit slow. <br /><br />10/10 would watch again! 🎬';
      const results = [];
      for (const build of BUILDS) {
        const model = await loadModel(file, build.options);
        try {
          assert.equal(model.info.name, name);
          results.push(model.run(review));
        } finally {
          model.dispose();
        }
      }
      for (const r of results.slice(1)) {
        assert.ok(Math.abs(r.logit - results[0].logit) <= 1e-4);
        assert.deepEqual(Array.from(r.ids), Array.from(results[0].ids));
        for (let i = 0; i < r.layers.length; i++) assertClose(r.layers[i].hidden, results[0].layers[i].hidden, `layer entry ${i}`, 1e-4);
      }
    });
  }
});

describe('predictBatch', () => {
  const reviews = [
    'w0 w1 w2 w3', 'w8 w7', '', 'w4 w4 w4 w5 w6 w7 w8 w0 w1 w2 w3 w4 w5', 'unknown words only', 'w2',
  ];
  for (const build of BUILDS) {
    for (const fixture of ['simple_rnn_stacked', 'lstm_stacked_bi', 'gru_stacked_bi']) {
      test(`${build.name} ${fixture}: batched probabilities equal one-by-one runs`, async () => {
        const model = await loadModel(fixturePath(`${fixture}.safetensors`), build.options);
        try {
          // The fixtures read whole reviews (maxlen 0), so texts run one by one…
          const byText = model.predictBatch(reviews);
          assert.equal(byText.length, reviews.length);
          reviews.forEach((text, i) => assert.ok(Math.abs(byText[i] - model.run(text).probability) <= 1e-6));
          // …and equal-length id sequences run as one batch through BatchRunner.
          const sequences = [[1, 3, 4, 5, 6], [0, 0, 1, 8, 9], [2, 2, 2, 2, 2], [1, 11, 10, 9, 3]];
          const batched = model.predictBatch(sequences.map((ids) => Int32Array.from(ids)));
          sequences.forEach((ids, i) => {
            const single = model.runIds(ids).probability;
            assert.ok(Math.abs(batched[i] - single) <= 1e-5, `sequence ${i}: ${batched[i]} vs ${single}`);
          });
          assert.throws(() => model.predictBatch([[1, 2], [1]]), /same length/);
          assert.throws(() => model.predictBatch('w0'), TypeError);
          assert.equal(model.predictBatch([]).length, 0);
        } finally {
          model.dispose();
        }
      });
    }
  }

  const seed = `${ROOT}/models/seed-rnn.safetensors`;
  test('seed-rnn: a batch of texts equals run() per review, heap flat over repeated batches', { skip: !fs.existsSync(seed) && 'no seed-rnn' }, async () => {
    const model = await loadModel(seed, BUILDS[0].options);
    try {
      const texts = ['A wonderful, moving film.', 'Dull, predictable and far too long.', '', 'The acting was great but the plot was weak. '.repeat(30)];
      const batch = model.predictBatch(texts);
      texts.forEach((text, i) => assert.ok(Math.abs(batch[i] - model.run(text).probability) <= 1e-5));
      model.predictBatch(texts);
      const before = model.memory().heapBreak;
      for (let i = 0; i < 200; i++) model.predictBatch(texts);
      assert.equal(model.memory().heapBreak, before);
    } finally {
      model.dispose();
    }
  });
});

// The memory lens (model.attribution) and knocked-out units (options.knockout,
// model.knockoutRanking) through the JS API, on both builds: against the float64 references of
// tests/fixtures/gradient_lens.json, against the definition of a knockout, and on the shipped
// models. Run: scripts/build-wasm.sh && node --test tests/js/attribution.test.mjs

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { loadModel } from '../../wasm/api/unroll.js';
import { BUILDS, ROOT, fixturePath } from './helpers.mjs';

const REFERENCES = JSON.parse(fs.readFileSync(fixturePath('gradient_lens.json'), 'utf8')).models;
// Masked fixtures read only the words, so this text is their first reference sequence: the start
// id 1, then w2 w4 w0 w7 (ids 5 7 3 10).
const MASKED = ['simple_rnn_masked', 'simple_rnn_bi_stacked_masked', 'lstm_stacked_bi_masked', 'gru_masked', 'gru_stacked_bi_masked'];
const MASKED_TEXT = 'w2 w4 w0 w7';
const REVIEW = 'The first half drags and the jokes fall flat, but the last act is wonderful, moving and ' +
  'beautifully acted, and I left the cinema smiling. ' +
  'It is long and the story wanders through an ordinary evening of dinner, traffic and small talk before anything happens.';
const sigmoid = (x) => 1 / (1 + Math.exp(-x));

async function load(name, build) {
  const file = name.includes('/') ? name : fixturePath(`${name}.safetensors`);
  return loadModel(fs.readFileSync(file), { ...build.options, name: path.basename(file) });
}

for (const build of BUILDS) {
  describe(`build ${build.name}`, () => {
    test('attribution equals the float64 references of every masked fixture to 1e-4', async () => {
      let worst = 0;
      for (const name of MASKED) {
        const model = await load(name, build);
        try {
          const want = REFERENCES[name][0];
          assert.deepEqual(want.steps, [1, 5, 7, 3, 10]);
          const lens = model.attribution(MASKED_TEXT);
          assert.equal(lens.steps, 5);
          assert.equal(lens.stateGradient.length, model.info.layers * model.info.directions);
          const close = (a, b, what) => {
            for (let t = 0; t < b.length; t++) {
              const d = Math.abs(a[t] - b[t]);
              worst = Math.max(worst, d);
              assert.ok(d <= 1e-4, `${name} ${what}[${t}]: ${a[t]} vs ${b[t]}`);
            }
          };
          close(lens.wordGradient, want.word_gradient, 'wordGradient');
          close(lens.gradTimesInput, want.grad_times_input, 'gradTimesInput');
          lens.stateGradient.forEach((row, e) => {
            assert.equal(row.layer, Math.floor(e / model.info.directions));
            assert.equal(row.direction, e % model.info.directions ? 'backward' : 'forward');
            close(row.values, want.state_gradient[e], `stateGradient[${e}]`);
          });
          assert.equal(lens.probability, sigmoid(lens.logit));
          assert.ok(Math.abs(lens.logit - model.run(MASKED_TEXT).logit) < 1e-6);
        } finally {
          model.dispose();
        }
      }
      console.log(`  ${build.name}: attribution vs float64 references, max |difference| ${worst.toExponential(1)}`);
    });

    test('every unit of a one-layer model knocked out: the head on h = 0, and the model restored after', async () => {
      for (const name of ['simple_rnn', 'lstm', 'gru_masked', 'simple_rnn_bi']) {
        const model = await load(name, build);
        try {
          const { units, directions, headBias } = model.info;
          const knockout = [];
          for (let d = 0; d < directions; d++) for (let unit = 0; unit < units; unit++) knockout.push({ layer: 0, direction: d, unit });
          const before = model.run('w1 w2 w3');
          const knocked = model.run('w1 w2 w3', { knockout });
          assert.equal(knocked.logit, headBias, name);
          assert.ok(knocked.layers.every((layer) => layer.hidden.every((v) => v === 0)));
          assert.equal(model.run('w1 w2 w3').logit, before.logit, `${name}: restored`);
          // The lens of a network whose every unit is fixed: nothing reaches the verdict.
          const lens = model.attribution('w1 w2 w3', { knockout });
          assert.ok(lens.wordGradient.every((v) => v === 0));
        } finally {
          model.dispose();
        }
      }
    });

    test('clamped units hold their value; bad knockouts throw and leave the model as it was', async () => {
      const model = await load('lstm_stacked_bi', build);
      try {
        const base = model.run('w1 w5 w2').logit;
        const r = model.run('w1 w5 w2', { knockout: [{ layer: 1, direction: 'backward', unit: 2, mode: 'clamp', value: -0.5 }] });
        const entry = r.layers[3];
        for (let t = 0; t < r.steps; t++) assert.equal(entry.hidden[t * model.info.units + 2], -0.5);
        assert.notEqual(r.logit, base);
        for (const bad of [{ layer: 2, direction: 0, unit: 0 }, { layer: 0, direction: 0, unit: 4 },
          { layer: 0, direction: 0, unit: 0, mode: 'clamp', value: 2 }]) {
          assert.throws(() => model.run('w1 w5 w2', { knockout: [bad] }), /knockout/);
        }
        assert.throws(() => model.run('w1', { knockout: [{ layer: 0, direction: 'up', unit: 0 }] }), TypeError);
        assert.throws(() => model.run('w1', { knockout: [{ layer: 0, direction: 0, unit: 0, mode: 'half' }] }), TypeError);
        assert.equal(model.run('w1 w5 w2').logit, base);
      } finally {
        model.dispose();
      }
    });

    test('knockoutRanking: every unit, largest change first, each equal to a run with it knocked out', async () => {
      const model = await load(path.join(ROOT, 'models', 'seed-rnn.safetensors'), build);
      try {
        const base = model.run(REVIEW);
        const ranking = model.knockoutRanking(REVIEW, 1, 'forward');
        assert.equal(ranking.length, model.info.units);
        assert.deepEqual(ranking.map((u) => u.unit).sort((a, b) => a - b), [...Array(model.info.units).keys()]);
        for (let i = 1; i < ranking.length; i++) assert.ok(Math.abs(ranking[i - 1].logitChange) >= Math.abs(ranking[i].logitChange));
        for (const effect of ranking.slice(0, 3)) {
          const knocked = model.run(REVIEW, { knockout: [{ layer: 1, direction: 0, unit: effect.unit }] });
          assert.ok(Math.abs(effect.logitChange - (knocked.logit - base.logit)) < 1e-5);
          assert.ok(Math.abs(effect.probabilityChange - (knocked.probability - base.probability)) < 1e-5);
          // Knocked out at the last layer, the running curve changes too.
          assert.ok(knocked.runningProbability.some((p, t) => p !== base.runningProbability[t]));
        }
        assert.throws(() => model.knockoutRanking(REVIEW, 2, 0), /layer/);
        assert.throws(() => model.knockoutRanking(REVIEW, 0, 'sideways'), /direction/);
      } finally {
        model.dispose();
      }
    });

    test('the shipped models: one value per step of run(), finite, the fade step where the gradient drops', async () => {
      for (const name of ['seed-rnn', 'bi-rnn', 'best']) {
        const model = await load(path.join(ROOT, 'models', `${name}.safetensors`), build);
        try {
          const run = model.run(REVIEW);
          const lens = model.attribution(REVIEW);
          assert.equal(lens.steps, run.steps, name);
          assert.ok(Math.abs(lens.logit - run.logit) < 1e-6);
          assert.equal(lens.stateGradient.length, run.layers.length);
          for (const a of [lens.wordGradient, lens.gradTimesInput, ...lens.stateGradient.map((r) => r.values)]) {
            assert.equal(a.length, run.steps);
            assert.ok(a.every(Number.isFinite));
          }
          const top = lens.stateGradient[(model.info.layers - 1) * model.info.directions];
          assert.equal(lens.fadeStep, top.fadeStep);
          if (lens.fadeStep >= 0) {
            const largest = Math.max(...top.values);
            assert.ok(top.values[lens.fadeStep] < 0.01 * largest);
            for (let t = lens.fadeStep + 1; t < run.steps; t++) assert.ok(top.values[t] >= 0.01 * largest);
          }
          console.log(`  ${build.name} ${name}: ${run.steps} steps, fade step ${lens.fadeStep}`);
        } finally {
          model.dispose();
        }
      }
    });

    test('attribution and knockouts leak nothing: heap and Embind handles flat over 300 calls', async () => {
      const model = await load(path.join(ROOT, 'models', 'bi-rnn.safetensors'), build);
      try {
        const knockout = [{ layer: 0, direction: 1, unit: 3 }];
        for (let i = 0; i < 20; i++) { model.attribution(REVIEW, { knockout }); model.run(REVIEW, { knockout }); }
        const before = model.memory();
        for (let i = 0; i < 100; i++) {
          model.attribution(REVIEW, { knockout });
          model.run(REVIEW, { knockout });
          model.knockoutRanking('short review', 0, 0);
        }
        const after = model.memory();
        assert.equal(after.heapBreak, before.heapBreak);
        assert.equal(after.emvalHandles, before.emvalHandles);
      } finally {
        model.dispose();
      }
    });
  });
}

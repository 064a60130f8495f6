// Word suggestions through the JS API (docs/js-api.md: nearestWords, wordEffect, oppositeWords) on
// every shipped model and a fixture, in both builds: what the page's word menu offers.
// Run: scripts/build-wasm.sh && node --test tests/js/word-neighbours.test.mjs

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { loadModel } from '../../wasm/api/unroll.js';
import { BUILDS, ROOT, fixturePath } from './helpers.mjs';

const SHIPPED = ['seed-rnn', 'bi-rnn', 'best'];
const WORDS = ['good', 'great', 'terrible', 'the', 'movie'];

async function load(name, build) {
  const file = path.join(ROOT, 'models', `${name}.safetensors`);
  return loadModel(fs.readFileSync(file), { ...build.options, name });
}

function idOf(model, word) {
  const [token] = model.tokenize(word).tokens;
  assert.ok(token && !token.oov, `${word} is in ${model.info.name}'s vocabulary`);
  return token.id;
}

for (const build of BUILDS) {
  describe(`build ${build.name}`, () => {
    for (const name of SHIPPED) {
      test(`${name}: a word's effect is logit(the word alone) − logit(the empty review)`, async () => {
        const model = await load(name, build);
        try {
          for (const word of WORDS) {
            const expected = model.logit(word) - model.logit('');
            const effect = model.wordEffect(idOf(model, word));
            assert.ok(Math.abs(effect - expected) < 1e-5, `${word}: ${effect} vs ${expected}`);
          }
          // A trained sentiment model: "great" alone pushes up, "terrible" down. ("good" alone is
          // slightly negative on seed-rnn: after 78 padding steps one mild word barely registers.)
          assert.ok(model.wordEffect(idOf(model, 'great')) > 0);
          assert.ok(model.wordEffect(idOf(model, 'terrible')) < 0);
          for (const id of [0, 1, 2, model.info.vocabSize, -5]) assert.ok(Number.isNaN(model.wordEffect(id)), `id ${id}`);
        } finally {
          model.dispose();
        }
      });

      test(`${name}: nearestWords — k words, most similar first, never the word or a reserved id`, async () => {
        const model = await load(name, build);
        try {
          const id = idOf(model, 'good');
          const near = model.nearestWords(id);
          assert.equal(near.length, 8);
          for (let i = 0; i < near.length; i++) {
            const { id: other, word, similarity } = near[i];
            assert.ok(other >= 3 && other < model.info.vocabSize && other !== id);
            assert.equal(model.tokenize(word).tokens[0].id, other, `${word} is word ${other}`);
            assert.ok(similarity >= -1.0001 && similarity <= 1.0001);
            if (i) assert.ok(near[i - 1].similarity >= similarity);
          }
          assert.equal(model.nearestWords(id, 3).length, 3);
          assert.deepEqual(model.nearestWords(id, 3).map((w) => w.id), near.slice(0, 3).map((w) => w.id));
          for (const bad of [0, 1, 2, model.info.vocabSize, -1, 2 ** 40]) assert.deepEqual(model.nearestWords(bad), []);
          assert.deepEqual(model.nearestWords(id, 0), []);
          assert.throws(() => model.nearestWords(1.5), TypeError);
          assert.throws(() => model.nearestWords(id, -1), TypeError);
        } finally {
          model.dispose();
        }
      });

      test(`${name}: oppositeWords — words that push the other way, each with its own effect`, async () => {
        const model = await load(name, build);
        try {
          for (const word of ['great', 'good', 'terrible']) {
            const id = idOf(model, word);
            const sign = Math.sign(model.wordEffect(id));
            const opposite = model.oppositeWords(id, 6);
            assert.equal(opposite.length, 6);
            for (const o of opposite) {
              assert.ok(o.id !== id && o.id >= 3);
              assert.equal(Math.sign(o.effect), -sign, `${word} → ${o.word} (${o.effect})`);
              assert.ok(Math.abs(o.effect - model.wordEffect(o.id)) < 1e-6);
              assert.equal(model.tokenize(o.word).tokens[0].id, o.id);
            }
            // Replacing the word with the first suggestion moves the one-word verdict the other way.
            assert.ok(sign * (model.logit(opposite[0].word) - model.logit(word)) < 0);
          }
          assert.deepEqual(model.oppositeWords(2), []);
        } finally {
          model.dispose();
        }
      });
    }

    test('a fixture model (vocabulary of 9 words) answers with at most the other 8', async () => {
      const model = await loadModel(fixturePath('lstm_stacked_bi.safetensors'), build.options);
      try {
        assert.equal(model.nearestWords(3, 100).length, model.info.vocabSize - 4);
        assert.ok(model.oppositeWords(3, 100).length <= model.info.vocabSize - 4);
        for (let id = 3; id < model.info.vocabSize; id++) {
          const effect = model.wordEffect(id);
          assert.ok(Number.isFinite(effect));
          // Fixture words are named w0…w8: the word of id is w(id − 3).
          const expected = model.logit(`w${id - 3}`) - model.logit('');
          assert.ok(Math.abs(effect - expected) < 1e-5, `id ${id}: ${effect} vs ${expected}`);
        }
      } finally {
        model.dispose();
      }
    });
  });
}

test('both builds offer the same words', { skip: BUILDS.length < 2 }, async () => {
  for (const name of SHIPPED) {
    const [a, b] = await Promise.all(BUILDS.map((build) => load(name, build)));
    try {
      const id = idOf(a, 'good');
      assert.deepEqual(a.nearestWords(id).map((w) => w.word), b.nearestWords(id).map((w) => w.word));
      assert.deepEqual(a.oppositeWords(id).map((w) => w.word), b.oppositeWords(id).map((w) => w.word));
    } finally {
      a.dispose();
      b.dispose();
    }
  }
});

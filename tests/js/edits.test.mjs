// web/review/edits.js: what an edit does to the text, the undo history, and the step alignment
// between an edited review and its original (on real results of the shipped models, both builds).
// Run: node --test tests/js/edits.test.mjs

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { loadModel } from '../../wasm/api/unroll.js';
import { applyEdit, alignSteps, createEditHistory } from '../../web/review/edits.js';
import { BUILDS, ROOT } from './helpers.mjs';

const span = (text, word) => ({ begin: text.indexOf(word), end: text.indexOf(word) + word.length });

test('applyEdit: delete takes one space with it, replace swaps the word, insert puts a word and a space before', () => {
  const text = 'a good film.';
  assert.equal(applyEdit(text, span(text, 'good'), { kind: 'delete' }), 'a film.');
  assert.equal(applyEdit(text, span(text, 'film'), { kind: 'delete' }), 'a good.');
  assert.equal(applyEdit('film', span('film', 'film'), { kind: 'delete' }), '');
  assert.equal(applyEdit(text, span(text, 'good'), { kind: 'replace', word: 'bad' }), 'a bad film.');
  assert.equal(applyEdit(text, span(text, 'good'), { kind: 'insert', word: 'not' }), 'a not good film.');
  assert.equal(applyEdit(text, span(text, 'a'), { kind: 'insert', word: 'not' }), 'not a good film.');
  assert.throws(() => applyEdit(text, { begin: 5, end: 50 }, { kind: 'delete' }), RangeError);
  assert.throws(() => applyEdit(text, span(text, 'a'), { kind: 'shout' }), TypeError);
});

test('createEditHistory: the first edit starts a session; undo walks back; reset returns the original', () => {
  const h = createEditHistory();
  assert.equal(h.original, null);
  assert.equal(h.isEdited('x'), false);
  h.record('one');
  h.record('two');
  assert.equal(h.original, 'one');
  assert.equal(h.count, 2);
  assert.equal(h.isEdited('three'), true);
  assert.equal(h.isEdited('one'), false);
  assert.equal(h.undo(), 'two');
  assert.equal(h.undo(), 'one');
  assert.equal(h.undo(), null);
  assert.equal(h.original, 'one', 'undoing every edit keeps the session: the original is still shown');
  h.record('one');
  assert.equal(h.reset(), 'one');
  assert.equal(h.count, 0);
  h.clear();
  assert.equal(h.original, null);
  // From a link (#o=…): a session with an original and no undo steps.
  const linked = createEditHistory('from a link');
  assert.equal(linked.original, 'from a link');
  assert.equal(linked.undo(), null);
});

for (const build of BUILDS.slice(0, 1)) {
  describe(`alignSteps on real results (build ${build.name})`, () => {
    for (const name of ['seed-rnn', 'best']) {
      test(`${name}: unchanged words keep their original step; new words and padding map to −1`, async () => {
        const model = await loadModel(fs.readFileSync(path.join(ROOT, 'models', `${name}.safetensors`)), { ...build.options, name });
        try {
          const text = 'the acting was good and the story was moving';
          const original = { ...model.run(text), text };
          const stepOf = (r, word) => r.tokens.find((tk) => tk.text === word).position;
          // Delete "good": every other word still finds its own step.
          const deleted = applyEdit(text, span(text, 'good'), { kind: 'delete' });
          const d = { ...model.run(deleted), text: deleted };
          const map = alignSteps(original, d);
          assert.equal(map.length, d.steps);
          for (const word of ['acting', 'and', 'moving']) assert.equal(map[stepOf(d, word)], stepOf(original, word), word);
          const start = [...d.ids].indexOf(1);
          assert.equal(map[start], [...original.ids].indexOf(1), 'start ↔ start');
          if (d.padding) assert.equal(map[0], -1, 'padding has no counterpart');
          // Insert "not": the new word is −1, the rest aligned.
          const inserted = applyEdit(text, span(text, 'good'), { kind: 'insert', word: 'not' });
          const i = { ...model.run(inserted), text: inserted };
          const map2 = alignSteps(original, i);
          assert.equal(map2[stepOf(i, 'not')], -1);
          assert.equal(map2[stepOf(i, 'good')], stepOf(original, 'good'));
          // Replace: the replaced word is −1, its neighbours aligned.
          const replaced = applyEdit(text, span(text, 'good'), { kind: 'replace', word: 'bad' });
          const r = { ...model.run(replaced), text: replaced };
          const map3 = alignSteps(original, r);
          assert.equal(map3[stepOf(r, 'bad')], -1);
          assert.equal(map3[stepOf(r, 'was')], stepOf(original, 'was'));
        } finally {
          model.dispose();
        }
      });
    }
  });
}

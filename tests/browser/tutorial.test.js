// Browser tests of issue #13: the page read alongside the tutorial — its notation, its unrolled
// equation with the trace's numbers, its shapes and parameter counts — and URL values that are
// names of Object.prototype members. Real models only: the numbers are compared with the JS API's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, startBrowser, openPage, waitReady, waitModel, USE_MOCK, ROOT } from './helpers.js';

const REAL = !USE_MOCK;
const MODELS = ['seed-rnn', 'bi-rnn', 'best'];
let server;
let browser;
let api;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
  if (REAL) api = await import(path.join(ROOT, 'wasm', 'api', 'unroll.js'));
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Every text a reader (or a screen reader, or an export) can get: text, SVG text, labels, titles. */
const allText = (page) => page.evaluate(() => {
  const attrs = [...document.querySelectorAll('[aria-label], [title], [aria-valuetext], [placeholder]')]
    .map((e) => ['aria-label', 'title', 'aria-valuetext', 'placeholder'].map((a) => e.getAttribute(a) || '').join(' '));
  for (const d of document.querySelectorAll('details')) d.open = true;
  return `${document.body.innerText}\n${[...document.querySelectorAll('svg text, svg title')].map((e) => e.textContent).join(' ')}\n${attrs.join(' ')}`;
});

test('the tutorial\'s notation everywhere: U·xₜ for the word, W·hₜ₋₁ for memory, both languages, every model', { skip: !REAL && 'needs the real models' }, async () => {
  for (const model of MODELS) {
    for (const lang of ['en', 'zh']) {
      const { page, errors } = await openPage(browser.context, `${server.url}#m=${model}&lang=${lang}`);
      await waitReady(page);
      // A step inside the first sweep, so the equation panel shows a step (not the bidirectional join).
      await page.click('.ctl-start');
      await page.click('.ctl-next');
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
      const text = await allText(page);
      assert.doesNotMatch(text, /W\s*·\s*x/, `${model} ${lang}: no W·x`);
      assert.doesNotMatch(text, /U\s*·\s*h/, `${model} ${lang}: no U·h`);
      assert.doesNotMatch(text, /W, U|W、U/, `${model} ${lang}: no "W, U" order`);
      assert.match(text, /U·x/, `${model} ${lang}: U·x is there`);
      assert.match(text, /W·h/, `${model} ${lang}: W·h is there`);
      assert.match(text, /kernel/, 'Keras names');
      assert.match(text, /weight_ih/, 'PyTorch names');
      assert.deepEqual(errors, []);
      await page.close();
    }
  }
});

test('the unrolled equation shows the trace\'s numbers for the current step, three levels deep', { skip: !REAL && 'needs the real models' }, async () => {
  const text = 'A quiet, clever film with a wonderful cast.';
  for (const name of ['seed-rnn', 'best']) {
    const { page, errors } = await openPage(browser.context, `${server.url}#m=${name}&u=5&t=${encodeURIComponent(text)}`);
    await waitReady(page);
    await page.click('.ctl-end');
    for (let i = 0; i < 3; i++) await page.click('.ctl-prev');
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0))); // the equation draws in the task after a move
    const shown = await page.evaluate(() => {
      const table = document.querySelector('.ue-table');
      return {
        unit: Number(table.dataset.unit),
        entry: Number(table.dataset.entry),
        depth: Number(document.querySelector('.ue-formula').dataset.depth),
        formula: document.querySelector('.ue-formula').textContent,
        cells: [...table.querySelectorAll('td[data-term]')].map((td) => ({ term: td.dataset.term, step: Number(td.dataset.step), value: Number(td.dataset.value), text: td.textContent })),
      };
    });
    assert.equal(shown.unit, 5);
    assert.equal(shown.depth, 3);
    assert.match(shown.formula, /^h[₀-₉]+ = (tanh|LSTM)\( U·x[₀-₉]+ \+ W·(tanh|LSTM)\( U·x[₀-₉]+ \+ W·(tanh|LSTM)\( U·x[₀-₉]+ \+ W·h[₀-₉]+ \+ b \) \+ b \) \+ b \)$/);
    const model = await api.loadModel(path.join(ROOT, 'models', `${name}.safetensors`));
    try {
      const r = model.run(text);
      const { units: H, gateNames } = model.info;
      const G = gateNames.length;
      const block = G === 1 ? 0 : gateNames.indexOf('c');
      const e = r.layers[shown.entry];
      const col = block * H + shown.unit;
      const expected = {
        ux: (s) => e.inputPart[s * G * H + col],
        wh: (s) => e.recurrentPart[s * G * H + col],
        b: () => r.bias[shown.entry][col],
        sum: (s) => e.preactivation[s * G * H + col],
        h: (s) => e.hidden[s * H + shown.unit],
      };
      assert.equal(shown.cells.length, 15);
      for (const c of shown.cells) {
        assert.ok(Math.abs(c.value - expected[c.term](c.step)) < 1e-6, `${name} ${c.term} at t=${c.step}: ${c.value} vs ${expected[c.term](c.step)}`);
        assert.equal(c.text.replace('−', '-'), expected[c.term](c.step).toFixed(3).replace(/^-(0\.000)$/, '$1'));
      }
      // Consecutive levels are consecutive steps of the sweep.
      const steps = [...new Set(shown.cells.map((c) => c.step))];
      assert.equal(Math.abs(steps[0] - steps[1]), 1);
      assert.equal(Math.abs(steps[1] - steps[2]), 1);
    } finally {
      model.dispose();
    }
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('the tutorial\'s shapes per model, with parameter counts per part adding up to the total', { skip: !REAL && 'needs the real models' }, async () => {
  const { page, errors } = await openPage(browser.context, server.url);
  await waitReady(page);
  for (const name of MODELS) {
    if (name !== 'seed-rnn') {
      await page.selectOption('#model-select', name);
      await waitModel(page, name);
    }
    const model = await api.loadModel(path.join(ROOT, 'models', `${name}.safetensors`));
    const info = model.info;
    const steps = model.run(await page.inputValue('#review')).steps;
    const prior = model.runIds(new Int32Array(0)).probability; // the head on h = 0
    model.dispose();
    // The card says whether the model pads and what its prior is (#12 item 5).
    const dl = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('dl.card dt')]
      .map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));
    assert.match(dl['Steps read'], info.maskPadding ? /not padded \(masked/ : /padded in front/, name);
    assert.ok(dl.Prior.startsWith(`${(prior * 100).toFixed(1)}% positive`), `${name}: ${dl.Prior}`);
    const card = await page.evaluate(() => ({
      rows: [...document.querySelectorAll('.shapes-table tbody tr')].map((tr) => ({ part: tr.dataset.part, shape: tr.querySelector('.shape').textContent, params: Number(tr.querySelector('.params').dataset.params) })),
      total: Number(document.querySelector('.shapes-table tfoot .params').dataset.params),
      note: document.querySelector('.shapes-note').textContent,
    }));
    const D = info.bidirectional ? 2 : 1;
    assert.deepEqual(card.rows.map((r) => r.part), ['ids', 'embedding', ...Array(info.layers).fill('layer'), 'head']);
    assert.equal(card.rows[0].shape, `[1, ${steps}]`);
    assert.equal(card.rows[1].shape, `[1, ${steps}, ${info.embeddingDim}]`);
    for (let l = 0; l < info.layers; l++) assert.equal(card.rows[2 + l].shape, `[1, ${info.units * D}]`);
    assert.equal(card.rows.at(-1).shape, '[1, 1]');
    assert.equal(card.rows[1].params, info.vocabSize * info.embeddingDim);
    assert.equal(card.rows.reduce((a, r) => a + r.params, 0), info.parameters, `${name}: parts add up`);
    assert.equal(card.total, info.parameters);
    assert.match(card.note, /add up/);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('URL values named like Object.prototype members are plain unknown values, in every field', async () => {
  for (const value of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    for (const field of ['m', 's', 'e', 'u', 'q', 'lang', 't']) {
      const { page, errors } = await openPage(browser.context, `${server.url}#${field}=${value}`);
      await waitReady(page);
      assert.equal(await page.inputValue('#model-select'), 'seed-rnn', `#${field}=${value}: the default model`);
      assert.ok(!(await page.isVisible('#error')), `#${field}=${value}: no error`);
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      if (field === 't') assert.equal(await page.inputValue('#review'), value);
      if (field === 'm') assert.match(await page.textContent('#status'), new RegExp(`“${value}”.*seed-rnn`));
      assert.match(await page.textContent('#verdict'), /\d+%/);
      assert.deepEqual(errors, [], `#${field}=${value}`);
      await page.close();
    }
  }
  // A fragment that names them all at once, and keys named like them.
  const { page, errors } = await openPage(browser.context, `${server.url}#__proto__=1&constructor=2&m=__proto__&q=constructor&lang=toString`);
  await waitReady(page);
  assert.equal(await page.inputValue('#model-select'), 'seed-rnn');
  assert.deepEqual(errors, []);
  await page.close();
});

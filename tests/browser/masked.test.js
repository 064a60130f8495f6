// The page with models that mask padding (issue #12: bi-rnn and best will be retrained so), before
// such models ship: the test fixtures of tests/fixtures/*_masked.safetensors are served in place of a
// shipped model file. Every view must work when the steps are exactly the start step and the words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { waitReady, USE_MOCK, ROOT, useServerAndBrowser } from './helpers.js';

const REAL = !USE_MOCK;
const env = useServerAndBrowser();

/** Opens the page with `shipped` served from fixture `fixture`. */
async function openWith(shipped, fixture, hash = '') {
  const body = fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', `${fixture}.safetensors`));
  const page = await env.browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.route(`**/models/${shipped}.safetensors`, (route) => route.fulfill({ status: 200, body, contentType: 'application/octet-stream' }));
  // The first page of a fresh dev server can take long to transform on a busy machine.
  await page.goto(`${env.server.url}#m=${shipped}&t=${encodeURIComponent('good bad good bad good')}${hash}`, { timeout: 90_000 });
  await waitReady(page);
  return { page, errors };
}

for (const [shipped, fixture] of [['seed-rnn', 'simple_rnn_masked'], ['bi-rnn', 'simple_rnn_bi_stacked_masked'], ['best', 'lstm_stacked_bi_masked']]) {
  test(`a masked model (${fixture} as ${shipped}): no padding anywhere, the steps are the start and the words`, { skip: !REAL && 'needs the real loader' }, async () => {
    const { page, errors } = await openWith(shipped, fixture);
    const seen = await page.evaluate(() => ({
      padChips: document.querySelectorAll('.chip-pad').length,
      padBlocks: document.querySelectorAll('.dg-col.is-pad-block').length,
      paddingButton: document.querySelector('.ctl-padding').hidden,
      max: Number(document.querySelector('.ctl-scrub').max),
      current: document.querySelector('.chip.current')?.textContent,
      readout: document.querySelector('.step-readout').textContent,
      learn: document.querySelector('.learn-item[data-section="reading"]').textContent,
      shapes: document.querySelector('.shapes-note').textContent,
      ids: document.querySelector('.shapes-table tbody tr .shape').textContent,
      chart: document.querySelector('.chart-note').textContent,
      bi: !!document.querySelector('.dg-input-bwd'),
    }));
    assert.equal(seen.padChips, 0);
    assert.equal(seen.padBlocks, 0);
    assert.equal(seen.paddingButton, true, 'nothing to expand');
    assert.equal(seen.ids, '[1, 6]', 'start + 5 words');
    assert.equal(seen.current, 'good', 'a fresh load starts at the first word');
    assert.match(seen.readout, /t = 1 · word 1 of 5 · “good”$/);
    assert.match(seen.learn, /this model skips padding \(it is masked\)/);
    assert.match(seen.shapes, /T = 6: this model reads exactly this review’s steps/);
    if (!seen.bi) assert.match(seen.chart, /This model reads no padding: the first word moves it directly/);
    assert.equal(seen.max, seen.bi ? 2 * 2 * 6 : 5, 'positions: one per step (and sweep)');
    // Stepping and the end work as for any model.
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    assert.equal(await page.evaluate(() => document.querySelector('.chip.current').textContent), 'good');
    assert.deepEqual(errors, []);
    await page.close();
  });
}

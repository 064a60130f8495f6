// Accessibility with axe-core (issue #14 item 10): zero critical and zero serious violations with every
// model, in English and in Chinese, mid-review; the word chips are one tab stop with arrow keys inside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, waitReady, useServerAndBrowser, auditPage } from './helpers.js';

const env = useServerAndBrowser();

for (const model of ['seed-rnn', 'bi-rnn', 'best']) {
  for (const lang of ['en', 'zh']) {
    test(`axe: no critical or serious violations — ${model}, ${lang}`, async () => {
      const { page, errors } = await openPage(env.browser.context, `${env.server.url}#m=${model}&lang=${lang}`);
      await waitReady(page);
      for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
      assert.deepEqual(await auditPage(page), []);
      // The other word-effect view (unidirectional models), and a review the model cannot judge.
      if (model === 'seed-rnn') {
        await page.click('.ct-bar button >> nth=1');
        assert.deepEqual(await auditPage(page), [], 'step-change view');
      }
      const runs = Number(await page.getAttribute('#app', 'data-runs'));
      await page.fill('#review', 'meh');
      await waitReady(page, runs + 1);
      assert.deepEqual(await auditPage(page), [], 'no-verdict state');
      if (model !== 'seed-rnn') {
        // A bidirectional model has no running probability: its hidden chart says nothing.
        assert.equal(await page.getAttribute('.chart', 'aria-hidden'), 'true');
        assert.equal(await page.getAttribute('.chart', 'aria-label'), null);
      }
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
}

test('word chips are one tab stop; arrow keys move inside and seek', async () => {
  const { page } = await openPage(env.browser.context, env.server.url);
  await waitReady(page);
  const stops = await page.evaluate(() => [...document.querySelectorAll('#tokens .chip')].filter((c) => c.tabIndex >= 0).length);
  assert.equal(stops, 1, 'one chip in the tab order');
  await page.focus('#tokens .chip[tabindex="0"]');
  const before = await page.evaluate(() => document.activeElement.dataset.step);
  await page.keyboard.press('ArrowRight');
  const after = await page.evaluate(() => ({ step: document.activeElement.dataset.step, chip: document.activeElement.classList.contains('chip') }));
  assert.ok(after.chip, 'focus stays on a chip');
  assert.notEqual(after.step, before, 'focus moved to the next chip');
  await page.keyboard.press('Enter');
  const current = await page.evaluate(() => document.querySelector('#tokens .chip.current').dataset.step);
  assert.equal(current, after.step, 'Enter seeks to the focused word');
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('chip') && document.activeElement === [...document.querySelectorAll('#tokens .chip')].at(-1)), true, 'End: last chip');
  await page.close();
});

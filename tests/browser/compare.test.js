// Two models side by side (issue #17 item 3), on the real models: the same review through the page's
// model and a second one, each lane with its verdict and what its trace offers (a running verdict,
// or for a bidirectional model its forward and backward sweeps), on one shared word axis; the
// default partner, the URL, the sentence on why LSTMs exist, axe and 360 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitReady, USE_MOCK, useServerAndBrowser, openReady, auditPage } from './helpers.js';

const TEXT = 'a masterpiece at first, then two hours of nothing in particular, and a dull end';
const env = useServerAndBrowser();

/** Waits for both lanes and returns what each shows. */
async function lanes(page) {
  await page.waitForFunction(() => document.querySelectorAll('.cmp-lane').length === 2, null, { timeout: 60_000 });
  return page.evaluate(() => [...document.querySelectorAll('.cmp-lane')].map((lane) => ({
    model: lane.dataset.model,
    verdict: lane.querySelector('.cmp-verdict').textContent,
    running: !!lane.querySelector('.cmp-p'),
    forward: !!lane.querySelector('.cmp-forward'),
    backward: !!lane.querySelector('.cmp-backward'),
    slot: lane.querySelector('.compare-lens-slot')?.dataset.lensSlot,
    ticks: [...lane.querySelectorAll('.cmp-axis text')].map((t) => [Number(t.dataset.index), t.textContent, Number(t.getAttribute('x'))]),
  })));
}

const verdictOf = (page) => page.evaluate(() => /(\d+)%/.exec(document.getElementById('verdict').textContent)[1]);

test('seed-rnn beside best (the default partner): two verdicts, a running curve and two sweeps, one word axis', async () => {
  const { page, errors } = await openReady(env.browser, env.server, `m=seed-rnn&t=${encodeURIComponent(TEXT)}`);
  await page.check('#compare-on');
  assert.equal(await page.inputValue('#compare-select'), 'best', 'seed-rnn is compared with best by default');
  const [a, b] = await lanes(page);
  assert.equal(a.model, 'seed-rnn');
  assert.equal(b.model, 'best');
  assert.ok(a.running && !a.forward, 'seed-rnn reads one way: a running verdict');
  assert.ok(!b.running && b.forward && b.backward, 'best is bidirectional: its two sweeps, no running verdict');
  assert.equal(a.slot, 'seed-rnn');
  assert.equal(b.slot, 'best');
  // One axis: the same word (by its place in the review) sits at the same x in both lanes.
  const xb = new Map(b.ticks.map(([index, , x]) => [index, x]));
  const shared = a.ticks.filter(([index]) => xb.has(index));
  assert.ok(shared.length >= 3, 'words labelled in both lanes');
  for (const [index, word, x] of shared) assert.equal(x, xb.get(index), `“${word}” (word ${index}) at the same x`);
  // The lane's verdict is the model's own: the page on best says the same.
  assert.match(a.verdict, new RegExp(`${await verdictOf(page)}%`));
  if (!USE_MOCK) {
    assert.match(await page.textContent('.cmp-why'), /^Why LSTMs exist: seed-rnn rewrites its whole state/);
  }
  await page.waitForFunction(() => /[#&]c=best/.test(location.hash));
  const other = await openReady(env.browser, env.server, `m=best&t=${encodeURIComponent(TEXT)}`);
  assert.match(b.verdict, new RegExp(`${await verdictOf(other.page)}%`), 'the partner lane matches best’s own verdict');
  await other.page.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test('from the URL: c= turns compare on; bi-rnn beside seed-rnn; a new review reaches both lanes', async () => {
  const { page, errors } = await openReady(env.browser, env.server, `m=bi-rnn&c=seed-rnn&t=${encodeURIComponent(TEXT)}`);
  assert.equal(await page.isChecked('#compare-on'), true);
  const [a, b] = await lanes(page);
  assert.equal(a.model, 'bi-rnn');
  assert.ok(a.forward && a.backward);
  assert.equal(b.model, 'seed-rnn');
  assert.ok(b.running);
  // Same cell (SimpleRNN both): no sentence about gates.
  assert.equal(await page.textContent('.cmp-why'), '');
  const n = Number(await page.getAttribute('#app', 'data-runs'));
  await page.fill('#review', 'good good good');
  await waitReady(page, n + 1);
  await page.waitForFunction(() => [...document.querySelectorAll('.cmp-lane')].length === 2 &&
    [...document.querySelectorAll('.cmp-lane')].every((l) => [...l.querySelectorAll('.cmp-axis text')].every((t) => t.textContent === 'good')));
  // Switching the page's model to the partner's: the partner moves to the default.
  await page.selectOption('#model-select', 'seed-rnn');
  await page.waitForFunction(() => document.querySelector('#compare-select').value === 'best');
  await lanes(page);
  // Off: the lanes go, and so does c= in the link.
  await page.uncheck('#compare-on');
  await page.waitForFunction(() => !document.querySelector('.cmp-lane') && !/[#&]c=/.test(location.hash));
  assert.deepEqual(errors, []);
  await page.close();
});

for (const lang of ['en', 'zh']) {
  test(`compare: axe clean and no horizontal overflow at 360 px (${lang})`, async () => {
    const { page, errors } = await openReady(env.browser, env.server, `m=seed-rnn&c=best&lang=${lang}&t=${encodeURIComponent(TEXT)}`, { width: 360, height: 800 });
    await lanes(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
    assert.deepEqual(await auditPage(page), []);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

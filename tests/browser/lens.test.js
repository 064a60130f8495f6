// The memory lens under the unrolled diagram and knocking out a unit (issue #17 items 1 and 4), on
// the real shipped models: the strip appears with one bar per step (a padding run as one block), follows the cursor, marks the
// step where memory falls below 1 %; a knockout changes the verdict and keeps the trained curve
// dashed; the ranking lists units and selects one; all of it in the URL, accessible, and fitting
// 360 px. Computed in the worker: no task on the page over 50 ms... measured on a loaded machine,
// the test fails on a task of 300 ms (as tests/browser/hostile.test.js).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startBrowser, openPage, waitReady, watchLongTasks, longestTask, screenshot, USE_MOCK, auditPage } from './helpers.js';

const REAL = !USE_MOCK;
const REVIEW = 'The first half drags and the jokes fall flat, but the last act is wonderful, moving and beautifully ' +
  'acted, and I left the cinema smiling. It is long and the story wanders through an ordinary evening of dinner, ' +
  'traffic and small talk before anything happens, and the ending is good.';
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
  // The first page of a fresh dev server can take long to transform on a busy machine.
  const warm = await browser.context.newPage();
  await warm.goto(server.url, { timeout: 120_000 });
  await warm.close();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Waits until the lens of the current result is drawn. */
const waitLens = (page) => page.waitForFunction(() => document.querySelectorAll('.lens-bars rect').length > 0, null, { timeout: 30000 });

async function lensState(page) {
  return page.evaluate(() => ({
    bars: document.querySelectorAll('.lens-bars rect').length,
    lines: document.querySelectorAll('.lens-line').length,
    fades: document.querySelectorAll('.lens-fade').length,
    fadeLabel: document.querySelector('.lens-fade-label')?.textContent ?? null,
    current: [...document.querySelectorAll('.lens-bars rect')].findIndex((r) => r.classList.contains('is-current')),
    rule: document.querySelector('.lens-rule')?.getAttribute('data-step') ?? null,
    column: document.querySelector('.lens-rule')?.getAttribute('data-column') ?? null,
    padBars: document.querySelectorAll('.lens-bars rect.is-pad').length,
    blockLabels: [...document.querySelectorAll('.lens-block-label')].map((n) => n.textContent),
    sentence: document.querySelector('.lens-sentence').textContent,
    readout: document.querySelector('.lens-readout').textContent,
    steps: Number(document.querySelector('.ctl-scrub').max),
    verdict: document.getElementById('verdict').textContent,
  }));
}

for (const model of ['seed-rnn', 'bi-rnn', 'best']) {
  test(`memory lens on ${model}: one bar per word, padding as one block, a line per layer and direction, follows the cursor`, { skip: !REAL && 'needs the real models' }, async () => {
    const { page, errors } = await openPage(browser.context, `${server.url}#m=${model}&t=${encodeURIComponent(REVIEW)}`);
    await waitReady(page);
    await waitLens(page);
    const info = await page.evaluate(() => ({ bars: document.querySelectorAll('.lens-bars rect').length }));
    const a = await lensState(page);
    const rows = model === 'seed-rnn' ? 2 : model === 'bi-rnn' ? 4 : 2;
    assert.equal(a.lines, rows);
    assert.ok(info.bars > 40, `${info.bars} bars`);
    if (model === 'seed-rnn') {
      // The tutorial's model pads the review to 80 steps: the padding is one labelled column, as
      // in the diagram, and every other bar is a word (or the start).
      assert.equal(a.padBars, 1);
      assert.equal(a.blockLabels.length, 1);
      const n = Number(/×(\d+) pad/.exec(a.blockLabels[0])[1]);
      assert.equal(info.bars, 80 - n + 1);
    } else {
      assert.equal(a.padBars, 0); // masked: no padding at all
    }
    assert.match(a.sentence, /Bars: how much the verdict depends on the word read at each step/);
    if (model === 'seed-rnn') {
      // A SimpleRNN forgets: the 1 % step is marked and named.
      assert.ok(a.fades >= 1);
      assert.equal(a.fadeLabel, '< 1 %');
      assert.match(a.sentence, /The memory of layer 2 falls below 1 % of its largest at step \d+, \d+ steps? before the end/);
    } else if (a.fadeLabel === null) {
      assert.match(a.sentence, /never falls below 1 %/);
    }
    // The cursor: Home (the first word), then three steps on; the strip's highlighted bar follows.
    await page.keyboard.press('Home');
    await page.waitForFunction(() => document.querySelector('.lens-rule')?.getAttribute('data-step'));
    const home = await lensState(page);
    assert.equal(String(home.current), home.column);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.waitForFunction((s) => document.querySelector('.lens-rule')?.getAttribute('data-step') !== s, home.rule);
    const later = await lensState(page);
    assert.equal(String(later.current), later.column);
    assert.ok(Number(later.rule) > Number(home.rule));
    assert.ok(later.current > home.current, `${later.current} after ${home.current}`);
    assert.match(later.readout, /^t=\d+ “[^”]*”: dependence on the word/);
    // Gradient × input, and the option in the URL.
    await page.selectOption('.lens-quantity', 'gti');
    await page.waitForFunction(() => location.hash.includes('ml=g'));
    assert.match(await page.evaluate(() => document.querySelector('.lens-axis-label').textContent), /±/);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('knocking out a unit changes the verdict, keeps the trained curve dashed, ranks the units; in the URL', { skip: !REAL && 'needs the real models' }, async () => {
  const { page, errors } = await openPage(browser.context, `${server.url}#m=seed-rnn&e=1&u=0&t=${encodeURIComponent(REVIEW)}`);
  await waitReady(page);
  // The ranking is computed only while the unit panel is on screen.
  await page.locator('#unit').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelectorAll('.ko-unit').length === 5, null, { timeout: 30000 });
  const before = await page.evaluate(() => document.getElementById('verdict').textContent);
  // The unit whose knockout moves this verdict most: select it from the list, then knock it out.
  await page.locator('.ko-unit').first().focus();
  await page.keyboard.press('Enter');
  const top = await page.evaluate(() => Number(document.querySelector('.unit-controls input').value));
  await watchLongTasks(page);
  const runs = await page.evaluate(() => Number(document.getElementById('app').dataset.runs));
  await page.selectOption('.ko-mode', 'zero');
  await waitReady(page, runs + 1);
  await page.waitForFunction(() => document.querySelector('.chart-line-baseline'));
  const after = await page.evaluate(() => ({
    verdict: document.getElementById('verdict').textContent,
    active: document.querySelector('.ko-active')?.textContent ?? '',
    hash: location.hash,
  }));
  assert.notEqual(after.verdict, before, 'the verdict moved');
  assert.match(after.active, new RegExp(`Knocked out: layer 2 #${top} = 0\\.`));
  assert.match(after.active, /the dashed curve is the trained network/);
  await page.waitForFunction((u) => location.hash.includes(`ko=1.${u}.z`), top);
  // The lens of the knocked-out network arrives too; the main thread stays free.
  await waitLens(page);
  assert.ok(await longestTask(page) < 300, `longest task ${await longestTask(page)} ms`);
  // The URL round-trip: a fresh page with this hash shows the same knockout and verdict.
  const hash = await page.evaluate(() => location.hash);
  const second = await openPage(browser.context, `${server.url}${hash}`);
  await waitReady(second.page);
  await second.page.waitForFunction(() => document.querySelector('.chart-line-baseline'));
  assert.equal(await second.page.evaluate(() => document.getElementById('verdict').textContent), after.verdict);
  assert.equal(await second.page.evaluate(() => document.querySelector('.ko-mode').value), 'zero');
  // Restore: the trained verdict comes back, the dashed curve and the URL entry go.
  const runs2 = await second.page.evaluate(() => Number(document.getElementById('app').dataset.runs));
  await second.page.click('.ko-clear');
  await waitReady(second.page, runs2 + 1);
  assert.equal(await second.page.evaluate(() => document.getElementById('verdict').textContent), before);
  assert.equal(await second.page.evaluate(() => !!document.querySelector('.chart-line-baseline')), false);
  await second.page.waitForFunction(() => !location.hash.includes('ko='));
  assert.deepEqual([...errors, ...second.errors], []);
  await page.close();
  await second.page.close();
});

for (const lang of ['en', 'zh']) {
  test(`lens and knockout at 360 px, ${lang}: no horizontal overflow, no serious axe violation`, { skip: !REAL && 'needs the real models' }, async () => {
    const { page, errors } = await openPage(browser.context, `${server.url}#m=best&lang=${lang}&ko=0.3.p&t=${encodeURIComponent(REVIEW)}`, { width: 360, height: 800 });
    await waitReady(page);
    await waitLens(page);
    await page.locator('#unit').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelectorAll('.ko-unit').length === 5, null, { timeout: 30000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `overflow ${overflow}px`);
    const lens = await page.evaluate(() => document.querySelector('.lens-strip').getBoundingClientRect().right);
    assert.ok(lens <= 360, `lens right edge ${lens}`);
    const sections = await page.evaluate(() => [...document.querySelectorAll('.learn-item')].map((d) => d.dataset.section));
    assert.ok(sections.includes('lens') && sections.includes('knockout'));
    if (lang === 'zh') assert.match(await page.evaluate(() => document.querySelector('.lens-title').textContent), /记忆透镜/);
    await screenshot(page, `lens-best-360-${lang}.png`);
    assert.deepEqual(await auditPage(page), []);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

// Browser tests of the page (node --test). See helpers.js for how the server and Chromium start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startBrowser, openPage, waitReady, waitModel, screenshot, highlights, USE_MOCK, paste, watchLongTasks, longestTask } from './helpers.js';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
  console.log(`# using the ${USE_MOCK ? 'MOCK' : 'real wasm'} module`);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const POSITIVE = 'A wonderful, moving film. The acting is superb, the music is beautiful and I loved every minute of it. A masterpiece I would recommend to anyone.';
const NEGATIVE = 'Boring, predictable and far too long. The acting is awful, the plot is a mess and the dialogue is lame. The worst film I have seen this year, a total waste of time.';

async function typeReview(page, text) {
  const runs = Number(await page.getAttribute('#app', 'data-runs'));
  await page.fill('#review', text);
  await waitReady(page, runs + 1);
}

test('page loads with no console errors, screenshots at 1280 and 360', async () => {
  for (const width of [1280, 360]) {
    const { page, errors } = await openPage(browser.context, server.url, { width });
    await waitReady(page);
    assert.ok(await page.locator('.dg-col').count() > 0, 'diagram has columns');
    assert.ok(await page.locator('.hm-canvas').count() > 0, 'heatmap drawn');
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= width, `no horizontal overflow at ${width}px (${scrollWidth})`);
    await screenshot(page, `page-${width}.png`);
    if (width === 360) {
      await page.locator('#unrolled').screenshot({ path: 'tests/artifacts/unrolled-360.png' });
      await page.locator('.p-equation').screenshot({ path: 'tests/artifacts/equation-360.png' });
    }
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('a clearly positive and a clearly negative review get the right verdicts', async () => {
  const { page, errors } = await openPage(browser.context, server.url);
  await waitReady(page);
  await typeReview(page, POSITIVE);
  assert.match(await page.textContent('#verdict'), /positive/);
  await typeReview(page, NEGATIVE);
  assert.match(await page.textContent('#verdict'), /negative/);
  assert.deepEqual(errors, []);
  await page.close();
});

/** The step each view marks as current (data-step), and the player's readout and position. */
async function cursorSteps(page) {
  return page.evaluate(() => {
    const num = (el) => (el && el.dataset.step !== undefined ? Number(el.dataset.step) : null);
    const chip = document.querySelector('.chip.current');
    const col = [...document.querySelectorAll('.dg-col')].find((g) => g.querySelector('.dg-token.is-current'));
    const hm = document.querySelector('.hm-current');
    return {
      chip: chip && chip.classList.contains('chip-pad') ? Number(chip.dataset.last) : num(chip),
      chipKind: chip ? [...chip.classList].find((c) => /^chip-/.test(c)) : null,
      diagram: col ? Number(col.getAttribute('data-step')) : null,
      padBlock: col ? col.classList.contains('is-pad-block') : null,
      heatmap: hm ? Number(hm.getAttribute('data-step')) : null,
      chart: document.querySelector('.chart-marker') ? Number(document.querySelector('.chart-marker').getAttribute('data-step')) : null,
      readout: document.querySelector('.step-readout').textContent,
      scrub: Number(document.querySelector('.ctl-scrub').value),
      max: Number(document.querySelector('.ctl-scrub').max),
    };
  });
}

function sameStep(c, step, what = '') {
  assert.equal(c.diagram, step, `diagram ${what}`);
  assert.equal(c.chip, step, `chip ${what}`);
  assert.equal(c.heatmap, step, `heatmap ${what}`);
  assert.equal(c.chart, step, `chart ${what}`);
}

test('a fresh load, Home and Play start at the first word; padding is one block crossed in one step', { skip: USE_MOCK && 'needs the real models' }, async () => {
  const { page, errors } = await openPage(browser.context, server.url);
  await waitReady(page);
  // seed-rnn pads the default review (37 words + start) with 42 steps in front.
  let c = await cursorSteps(page);
  assert.equal(c.chipKind, 'chip-word', 'fresh load: on a word');
  assert.equal(c.diagram, 43, 'the first word is t = 43 (42 padding steps, then the start step)');
  sameStep(c, 43, 'fresh load');
  assert.match(c.readout, /^t = 43 · word 1 of 37 · “What”$/);
  assert.equal(c.scrub, 2, 'position 2: the padding block, the start step, the first word');
  assert.equal(c.max, 38, '1 padding block + start + 37 words = 39 positions, 0…38');
  await page.keyboard.press('ArrowLeft');
  c = await cursorSteps(page);
  sameStep(c, 42, 'start step');
  assert.match(c.readout, /start of the review/);
  await page.keyboard.press('ArrowLeft');
  c = await cursorSteps(page);
  assert.equal(c.padBlock, true, 'the diagram shows the padding block');
  assert.equal(c.chipKind, 'chip-pad');
  sameStep(c, 41, 'padding block (its last step)');
  assert.match(c.readout, /t = 0–41 · 42 padding steps/);
  assert.equal(await page.textContent('.dg-col.is-pad-block .dg-token-text'), '×42 pad');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal((await cursorSteps(page)).diagram, 43, 'two steps forward: back on the first word');
  // End, then Home: the first word again; Play from the end starts at the first word.
  await page.keyboard.press('End');
  c = await cursorSteps(page);
  sameStep(c, 79, 'end');
  await page.keyboard.press('Home');
  assert.equal((await cursorSteps(page)).diagram, 43, 'Home: the first word');
  await page.keyboard.press('End');
  await page.click('.ctl-play');
  await page.waitForFunction(() => document.querySelector('.ctl-play').getAttribute('aria-pressed') === 'true');
  const first = await cursorSteps(page);
  assert.ok(first.diagram >= 43 && first.diagram <= 45, `Play from the end restarts at the first word (t=${first.diagram})`);
  await page.click('.ctl-play');
  // Expanded, every padding step has its own position; the cursor keeps its step.
  await page.keyboard.press('Home');
  await page.click('.ctl-padding');
  c = await cursorSteps(page);
  assert.equal(c.max, 79);
  sameStep(c, 43, 'expanded');
  assert.equal(c.scrub, 43);
  await page.click('.ctl-padding');
  assert.equal((await cursorSteps(page)).max, 38, 'folded again');
  assert.deepEqual(errors, []);
  await page.close();
});

test('stepping with buttons and keys moves every highlight together', async () => {
  const { page } = await openPage(browser.context, server.url);
  await waitReady(page);
  await page.keyboard.press('End');
  let c = await cursorSteps(page);
  const last = c.diagram;
  sameStep(c, last, 'end');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await page.click('.ctl-prev');
  c = await cursorSteps(page);
  sameStep(c, last - 4, 'four back');
  assert.match(c.readout, new RegExp(`^t = ${last - 4} · word`));
  const before = await highlights(page);
  await page.click('.ctl-next');
  c = await cursorSteps(page);
  sameStep(c, last - 3, 'next');
  const after = await highlights(page);
  assert.ok(after.heatmapX > before.heatmapX, 'heatmap column moved right');
  assert.notEqual(after.chartX, before.chartX, 'chart marker moved');
  await page.keyboard.press('ArrowRight');
  assert.equal((await cursorSteps(page)).diagram, last - 2);
  await screenshot(page, 'step-start-1280.png');
  // Clicking a word chip jumps there.
  await page.click('.chip-word >> nth=2');
  c = await cursorSteps(page);
  assert.equal(c.diagram, c.chip);
  await screenshot(page, 'step-word-1280.png');
  await page.close();
});

test('play advances and stops at the end', async () => {
  const { page } = await openPage(browser.context, server.url);
  await waitReady(page);
  const runs = Number(await page.getAttribute('#app', 'data-runs'));
  await page.click('.example[data-example="short"]');
  await waitReady(page, runs + 1);
  await page.selectOption('.ctl-speed select', '8'); // slow enough to see it playing: 3 steps take 0.4 s
  const max = Number(await page.getAttribute('.ctl-scrub', 'max'));
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowLeft');
  const start = Number(await page.inputValue('.ctl-scrub'));
  await page.click('.ctl-play');
  assert.equal(await page.getAttribute('.ctl-play', 'aria-pressed'), 'true');
  await page.waitForFunction((m) => Number(document.querySelector('.ctl-scrub').value) === m && document.querySelector('.ctl-play').getAttribute('aria-pressed') === 'false', max, { timeout: 10000 });
  assert.ok(max > start);
  await page.waitForTimeout(200);
  assert.equal(Number(await page.inputValue('.ctl-scrub')), max, 'stays at the end');
  await page.close();
});

test('switching models redraws; bidirectional models sweep both ways', async () => {
  const { page, errors } = await openPage(browser.context, server.url);
  await waitReady(page);
  const rowsBefore = await page.locator('.dg-col').first().locator('.dg-row').count();
  await page.selectOption('#model-select', 'bi-rnn');
  await waitModel(page, 'bi-rnn');
  const info = await page.evaluate(() => [...document.querySelectorAll('.card dd')].map((d) => d.textContent));
  assert.ok(info.some((s) => /× 2/.test(s)), 'model card shows two directions');
  const rowsAfter = await page.locator('.dg-col').first().locator('.dg-row').count();
  assert.equal(rowsAfter, await page.locator('.hm-block').count(), 'one diagram row per heatmap block');
  assert.equal(rowsAfter % 2, 0, 'forward and backward rows');
  assert.ok(await page.locator('.dg-input-bwd').count() > 0, 'backward rows are wired');
  assert.ok(rowsBefore > 0);
  assert.match(await page.textContent('.step-readout'), /join/);
  await page.keyboard.press('Home');
  assert.match(await page.textContent('.step-readout'), /forward sweep/);
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  // The backward sweep's last step: the padding block (a padded model) or the start step (a masked one).
  assert.match(await page.textContent('.step-readout'), /layer 2 · backward sweep · t = 0(–\d+ · \d+ padding steps| · start of the review)/);
  await screenshot(page, 'bi-backward-1280.png');
  await page.selectOption('#model-select', 'best');
  await waitModel(page, 'best');
  // best is a bidirectional LSTM: the last position is the join; its first step shows the gates.
  await page.click('.ctl-start');
  await page.click('.ctl-next');
  assert.match(await page.textContent('.step-readout'), /forward sweep/);
  assert.ok(await page.locator('.eq-gate-row').count() >= 4, 'LSTM gates shown');
  await screenshot(page, 'lstm-1280.png');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the URL round-trips text, model, step and unit', async () => {
  const { page } = await openPage(browser.context, server.url);
  await waitReady(page);
  await typeReview(page, 'Quietly brilliant. <i>Loved</i> it.');
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.fill('.unit-controls input', '3');
  await page.press('.unit-controls input', 'Enter');
  await page.waitForTimeout(400);
  const url = page.url();
  const step = Number(await page.inputValue('.ctl-scrub'));
  const page2 = (await openPage(browser.context, url)).page;
  await waitReady(page2);
  assert.equal(await page2.inputValue('#review'), 'Quietly brilliant. <i>Loved</i> it.');
  assert.equal(Number(await page2.inputValue('.ctl-scrub')), step);
  assert.equal(await page2.inputValue('.unit-controls input'), '3');
  assert.equal(await page2.inputValue('#model-select'), 'seed-rnn');
  await page.close();
  await page2.close();
});

test('an HTML review is shown as text and never runs', async () => {
  const { page, errors } = await openPage(browser.context, server.url);
  await waitReady(page);
  await page.evaluate(() => { window.__pwned = 0; });
  const evil = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> terrible <b>bold</b> film';
  await typeReview(page, evil);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), 0);
  assert.equal(await page.locator('main img, main script, main b').count(), 0);
  const text = await page.textContent('#tokens');
  assert.match(text, /terrible/);
  await page.selectOption('#model-select', 'best');
  await waitModel(page, 'best');
  assert.equal(await page.evaluate(() => window.__pwned), 0);
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await page.close();
});

test('a 1 MB paste stays responsive: the box shows its two ends, the network reads it whole', async () => {
  const { page, errors } = await openPage(browser.context, server.url);
  await waitReady(page);
  const runs = Number(await page.getAttribute('#app', 'data-runs'));
  await watchLongTasks(page);
  // Chromium lays out a textarea's whole value: 1 MB of this text froze a bare textarea for about a
  // second. The page keeps a huge review out of the box (web/review/review-box.js).
  await paste(page, 'A good film with 中文 words and emoji 😀 that goes on and on. ', 1_000_000);
  await waitReady(page, runs + 1);
  const longest = await longestTask(page);
  console.log(`# 1 MB paste: longest task ${longest} ms`);
  assert.ok(longest < 1_000, `a task took ${longest} ms`);
  const box = await page.evaluate(() => {
    const ta = document.getElementById('review');
    return { readOnly: ta.readOnly, length: ta.value.length, start: ta.value.slice(0, 16), end: ta.value.slice(-11) };
  });
  assert.equal(box.readOnly, true);
  assert.ok(box.length < 11_000, `the box holds ${box.length} characters`);
  assert.equal(box.start, 'A good film with');
  assert.equal(box.end, 'on and on. ');
  assert.match(await page.textContent('#review-huge'), /1,000,020 characters long/);
  assert.match(await page.textContent('#review-huge'), /\[… 990,020 characters not shown …\]|first and last 5,000/);
  assert.match(await page.textContent('#review-meta'), /^216,671 words/);
  assert.ok(await page.locator('.chip').count() < 500, 'chip list is bounded');
  assert.match(await page.textContent('.token-note'), /reads the last/);
  await screenshot(page, 'huge-1280.png', false);
  // The same in Chinese; then Clear empties the review and the box is editable again.
  await page.click('[data-lang="zh"]');
  assert.match(await page.textContent('#review-huge'), /1,000,020 个字符/);
  assert.match(await page.evaluate(() => document.getElementById('review').value), /省略 990,020 个字符/);
  await page.click('[data-lang="en"]');
  await page.click('#review-huge button');
  await waitReady(page, runs + 2);
  assert.equal(await page.evaluate(() => document.getElementById('review').readOnly), false);
  assert.equal(await page.inputValue('#review'), '');
  assert.ok(!(await page.isVisible('#review-huge')));
  assert.match(await page.textContent('.token-note'), /No words yet/);
  // A paste that keeps the review short is left to the browser (caret, undo); a huge one is not.
  assert.equal(await paste(page, 'film', 4), true, 'short paste: not cancelled');
  assert.equal(await paste(page, 'film ', 200_000), false, 'huge paste: cancelled, the page takes it');
  assert.deepEqual(errors, []);
  await page.close();
});

test('empty review and a missing model file give clear states, never a blank page', async () => {
  const { page } = await openPage(browser.context, server.url);
  await waitReady(page);
  await typeReview(page, '');
  assert.match(await page.textContent('.token-note'), /No words yet/);
  await page.close();
  // A model file the server does not have (a broken deploy): the load error names it.
  const p2 = await browser.context.newPage();
  await p2.route('**/models/seed-rnn.safetensors', (route) => route.fulfill({ status: 404, body: 'seed-rnn.safetensors: not found' }));
  await p2.goto(server.url);
  await p2.waitForFunction(() => document.documentElement.dataset.state === 'error');
  const msg = await p2.textContent('#error');
  assert.match(msg, /seed-rnn/);
  assert.ok(await p2.isVisible('#error'));
  assert.ok(await p2.isVisible('#review'), 'the review box is still there');
  await screenshot(p2, 'missing-model-1280.png');
  await p2.close();
});

test('a browser without WebAssembly gets a message', async () => {
  const page = await browser.context.newPage();
  await page.addInitScript(() => { delete globalThis.WebAssembly; });
  await page.goto(server.url);
  await page.waitForFunction(() => document.documentElement.dataset.state === 'error');
  assert.match(await page.textContent('#error'), /WebAssembly/);
  await page.close();
});

test('the network runs in a worker: leave-one-out over the LSTM\'s 500 steps never blocks the page', { skip: USE_MOCK && 'needs the real models' }, async () => {
  const { page, errors } = await openPage(browser.context, `${server.url}#m=best`);
  await waitReady(page);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.engine), 'worker');
  await watchLongTasks(page);
  const started = Date.now();
  // Leave-one-out is the default word-effect view: it starts with the run.
  await typeReview(page, POSITIVE.repeat(10)); // 260 words: 260 passes of 500 steps
  await page.waitForFunction(() => /^Colour: how much the final verdict \(logit\) drops/.test(document.querySelector('.ct-status').textContent), null, { timeout: 60_000 });
  const longest = await longestTask(page);
  console.log(`# leave-one-out, best, 260 words: ${Date.now() - started} ms; longest task on the page ${longest} ms`);
  assert.ok(longest < 250, `a task took ${longest} ms`);
  assert.ok(await page.locator('.ct-word').count() >= 250, 'every word of the window is coloured');
  assert.deepEqual(errors, []);
  await page.close();
});

test('where no worker can start, the page runs the network in its own thread', async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(() => { window.Worker = undefined; });
  await page.goto(server.url);
  await waitReady(page);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.engine), 'page');
  await typeReview(page, NEGATIVE);
  assert.match(await page.textContent('#verdict'), /negative/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('language switch and exports', async () => {
  const { page, errors } = await openPage(browser.context, server.url);
  await waitReady(page);
  await page.click('[data-lang="zh"]');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.match(await page.textContent('#h-unrolled'), /展开/);
  assert.equal(await page.title(), 'Unroll — 看循环神经网络读影评');
  await page.click('[data-lang="en"]');
  const [svgDl] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  const svgPath = await svgDl.path();
  const fs = await import('node:fs');
  const svgText = fs.readFileSync(svgPath, 'utf8');
  assert.match(svgText, /^<svg/);
  assert.match(svgText, /σ\(w·h\+b\)/);
  // The heatmaps' titles and the colour legend travel with the export.
  assert.match(svgText, /h — hidden state · layer 1/);
  assert.match(svgText, /h — hidden state · layer 2/);
  assert.match(svgText, /colour scale \(/);
  assert.match(svgText, /How the decision forms/);
  const [pngDl] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  const png = fs.readFileSync(await pngDl.path());
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  fs.copyFileSync(await pngDl.path(), 'tests/artifacts/export.png');
  assert.deepEqual(errors, []);
  await page.close();
});

// Hostile input and the page's security, in Chromium (docs/robustness.md, docs/security.md):
// - the production build (vite build + vite preview) under its Content-Security-Policy: no
//   violation while running and stepping, every request same-origin, no inline handlers;
// - odd and huge reviews, markup in reviews and in a model's metadata (nothing executes);
// - broken model files (served in place of the shipped ones with page.route): a visible message,
//   never a blank page, and the page still works afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, USE_MOCK, openPage, waitReady, waitModel, paste, watchLongTasks, longestTask, useServerAndBrowser } from './helpers.js';

const REAL = !USE_MOCK;
const env = useServerAndBrowser();

// ---- crafting model files (docs/model-format.md) ----
const FIXTURE = fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', 'simple_rnn.safetensors'));

function write(header, data) {
  let json = typeof header === 'string' ? header : JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return Buffer.concat([head, Buffer.from(json, 'utf8'), data]);
}

/** The fixture (a SimpleRNN over words w0…w8) with `edit(header, data)` applied. */
function craft(edit = () => {}) {
  const n = Number(FIXTURE.readBigUInt64LE(0));
  const header = JSON.parse(FIXTURE.subarray(8, 8 + n).toString('utf8'));
  const data = Buffer.from(FIXTURE.subarray(8 + n));
  return write(header, edit(header, data) ?? data);
}

/** Serves `bytes` for /models/<name>.safetensors (until page.unroute). */
async function serveModel(page, name, bytes) {
  await page.route(`**/models/${name}.safetensors`, (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: bytes }));
}

/** Elements that could run script or load something: <script>, <img>, <iframe>, on* attributes. */
async function injected(page) {
  return page.evaluate(() => {
    const found = [];
    for (const el of document.querySelectorAll('*')) {
      if (/^(SCRIPT|IMG|IFRAME|OBJECT|EMBED)$/i.test(el.tagName) && !(el.tagName === 'SCRIPT' && el.src && new URL(el.src).origin === location.origin)) found.push(el.outerHTML.slice(0, 80));
      for (const a of el.attributes) if (/^on/i.test(a.name)) found.push(`${el.tagName} ${a.name}`);
    }
    return found;
  });
}

async function typeReview(page, text) {
  const runs = Number(await page.getAttribute('#app', 'data-runs'));
  await page.evaluate((t) => {
    const ta = document.getElementById('review');
    ta.value = t;
    ta.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
  await waitReady(page, runs + 1);
}

const PWNED = 'window.__pwned=(window.__pwned||0)+1';
const HTML_REVIEW = `<script>${PWNED}</script> great <img src=x onerror="${PWNED}"> film "><svg onload=${PWNED}> ` +
  `'><iframe src="javascript:${PWNED}"></iframe> <a href="javascript:${PWNED}">w1</a> {{constructor.constructor('${PWNED}')()}}`;

// ---- the production build under its CSP ----

test('production build: the CSP holds, no violations, only same-origin requests, no inline handlers', { skip: !REAL && 'needs the real wasm build' }, async () => {
  const { build, preview } = await import('vite');
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unroll-dist-'));
  await build({ configFile: path.join(ROOT, 'vite.config.js'), root: ROOT, logLevel: 'error', build: { outDir, emptyOutDir: true, sourcemap: false } });
  const html = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8').replaceAll('&#39;', "'");
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self';/);
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline <script> in the built page');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler in the built page');
  const server2 = await preview({ configFile: path.join(ROOT, 'vite.config.js'), root: ROOT, logLevel: 'error', build: { outDir }, preview: { port: 0, host: '127.0.0.1' } });
  const url = server2.resolvedUrls.local[0];
  const origin = new URL(url).origin;
  const page = await env.browser.context.newPage();
  try {
    await page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    });
    const errors = [];
    const requests = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    const response = await page.goto(url);
    const header = response.headers()['content-security-policy'];
    assert.match(header, /frame-ancestors 'none'/);
    await waitReady(page);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.engine), 'worker', 'the model worker runs under the policy');
    await typeReview(page, 'A wonderful, moving film. The acting is superb and I loved every minute of it.');
    await page.click('.ctl-start');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('End');
    await page.click('.ctl-play');
    await page.waitForTimeout(300);
    await page.selectOption('#model-select', 'best');
    await waitModel(page, 'best');
    await page.click('[data-lang="zh"]');
    await page.click('[data-lang="en"]');
    await Promise.all([page.waitForEvent('download'), page.click('#export-png')]); // blob: image + data: PNG inside
    await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no CSP violation');
    assert.deepEqual(errors, [], 'no console errors or warnings');
    assert.deepEqual(await injected(page), [], 'no inline handlers or injected elements');
    const foreign = requests.filter((r) => !r.startsWith(`${origin}/`) && !/^(data|blob):/.test(r));
    assert.deepEqual(foreign, [], 'every request goes to the page\'s origin');
    assert.ok(requests.some((r) => /\/wasm\/unroll-simd\.wasm$/.test(r)), 'the wasm came from the same origin');
    // And the policy is enforced: inline handlers and inline scripts are refused. (eval cannot be
    // checked from here: code evaluated through DevTools is exempt from the page's CSP.)
    const refused = await page.evaluate(async () => {
      const out = {};
      window.__pwned = 0;
      const img = document.createElement('img');
      img.setAttribute('onerror', 'window.__pwned = 1');
      img.src = 'data:,not-an-image';
      document.body.append(img);
      const s = document.createElement('script');
      s.textContent = 'window.__pwned = 2';
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 300));
      img.remove(); s.remove();
      out.pwned = window.__pwned;
      out.violations = window.__csp.map((v) => v.split(' ')[0]);
      return out;
    });
    assert.equal(refused.pwned, 0);
    assert.ok(refused.violations.includes('script-src-attr') && refused.violations.includes('script-src-elem'), refused.violations.join());
  } finally {
    await page.close();
    await server2.close();
    fs.rmSync(outDir, { recursive: true, force: true });
  }
});

// ---- hostile reviews ----

test('odd reviews: empty, whitespace, emoji, RTL, Chinese, NUL and controls, a 100,000-character word, markup', async () => {
  const { page, errors } = await openPage(env.browser.context, env.server.url);
  await waitReady(page);
  await page.evaluate(() => { window.__pwned = 0; });
  const reviews = [
    '', '   \n\t  \u3000', '👍🏽 great 👨‍👩‍👧 family film 🇫🇷 🎬', 'فيلم رائع جدا ‏ סרט נהדר \u202eevil\u202c good',
    '这部电影非常好看，演员的表演很精彩。', 'good\0film\x01\x07\x1b[31m\x7f\u0085\u2028\ufeff end\0', 'lone \ud800 surrogate',
    `good ${'a'.repeat(100_000)} film`, HTML_REVIEW,
  ];
  for (const review of reviews) {
    await typeReview(page, review);
    const verdict = await page.textContent('#verdict');
    // A verdict, an uncertain one, or the honest "saw almost nothing it knows" (empty, emoji, RTL, Chinese…).
    assert.match(verdict, /(positive|negative|uncertain) · |^No verdict: the model saw almost nothing it knows/, `verdict for ${JSON.stringify(review.slice(0, 30))}`);
    assert.doesNotMatch(verdict, /NaN/);
    assert.ok(!(await page.isVisible('#error')), `no error for ${JSON.stringify(review.slice(0, 30))}`);
  }
  assert.match(await page.textContent('#tokens'), /great/);
  assert.equal(await page.inputValue('#review'), HTML_REVIEW, 'the review box keeps the text as typed');
  await page.click('.chip-word >> nth=0');
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => window.__pwned), 0, 'nothing executed');
  assert.deepEqual(await injected(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a 10 MB paste is read in bounded time and the page answers afterwards; beyond 16 MB a message', { skip: !REAL && 'the mock does not tokenize like wasm' }, async () => {
  const { page, errors } = await openPage(env.browser.context, env.server.url);
  await waitReady(page);
  const runs = Number(await page.getAttribute('#app', 'data-runs'));
  await watchLongTasks(page);
  const started = Date.now();
  await paste(page, 'A good film with 中文 words and emoji 😀 that goes on and on. ', 10_000_000);
  await page.waitForFunction((n) => Number(document.getElementById('app').dataset.runs) > n, runs, { timeout: 60_000, polling: 100 });
  const runMs = Date.now() - started;
  const longest = await longestTask(page);
  console.log(`# 10 MB paste: run and redraw done ${runMs} ms after the paste; longest task ${longest} ms`);
  // README and docs/robustness.md: shown 0.6–0.9 s after the paste, no task on the page over 60 ms,
  // a step afterwards in 100–150 ms (an idle machine). The limits leave room for a shared 2-core
  // machine (tasks of up to 152 ms and 1.3 s to show seen there) and still catch the network back
  // on the main thread (one task of 480 ms); the README states them.
  assert.ok(runMs < 10_000, `the paste took ${runMs} ms to show`);
  assert.ok(longest < 300, `a task took ${longest} ms`);
  // The box shows the two ends, read-only; the whole review went to the network.
  assert.ok(await page.isVisible('#review-huge'));
  assert.match(await page.textContent('#review-huge'), /This review is 10,000,0\d\d characters long/);
  assert.equal(await page.evaluate(() => document.getElementById('review').readOnly), true);
  assert.ok(await page.evaluate(() => document.getElementById('review').value.length) < 11_000);
  assert.match(await page.textContent('#review-meta'), /^2,166,671 words/);
  assert.ok(await page.locator('.chip').count() < 500, 'chip list is bounded');
  // Responsive afterwards: a step answers at once (no re-run).
  await page.click('.ctl-start');
  const t0 = Date.now();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => Number(document.querySelector('.ctl-scrub').value) === 1);
  const stepMs = Date.now() - t0;
  console.log(`# 10 MB paste: one step afterwards took ${stepMs} ms`);
  assert.ok(stepMs < 1_000, `a step took ${stepMs} ms`);
  // 20 MB: refused with a message on the page; clearing it and typing a review clears the message.
  await paste(page, 'bad film ', 20_000_000);
  await page.waitForFunction(() => !document.getElementById('error').hidden, null, { timeout: 60_000 });
  assert.match(await page.textContent('#error'), /review is too long: 19\.\d MB of text \(at most 16\.0 MB\)/);
  await page.click('#review-huge button');
  assert.equal(await page.evaluate(() => document.getElementById('review').readOnly), false);
  await typeReview(page, 'A wonderful film.');
  assert.ok(!(await page.isVisible('#error')), 'the message goes once the review is fine');
  assert.ok(!(await page.isVisible('#review-huge')));
  assert.deepEqual(errors, []);
  await page.close();
});

// ---- hostile model files ----

test('markup in a model\'s provenance and vocabulary is shown as text and never runs', { skip: !REAL && 'needs the real loader' }, async () => {
  const evil = [`<script>${PWNED}</script>`, `<img src=x onerror="${PWNED}">`, `"><svg onload=${PWNED}>`];
  const bytes = craft((h) => {
    h.__metadata__.provenance = JSON.stringify({ note: evil[0], source: evil[1], [evil[2]]: evil[2], test_accuracy: `0.9${evil[1]}` });
    const words = h.__metadata__.vocabulary.split('\n');
    words.splice(0, 3, ...evil);
    h.__metadata__.vocabulary = words.join('\n');
  });
  const page = await env.browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await serveModel(page, 'seed-rnn', bytes);
  await page.goto(env.server.url);
  await waitReady(page);
  await page.evaluate(() => { window.__pwned = 0; });
  await typeReview(page, 'w3 w4 w5 script img svg onload great film');
  await page.click('.card-box > summary'); // the model card is folded by default
  await page.click('.provenance summary');
  const pre = await page.textContent('.provenance pre');
  for (const e of evil) assert.ok(pre.includes(JSON.stringify(e).slice(1, -1)), `provenance shows ${e} as text`);
  const unitText = await page.textContent('#unit');
  assert.ok(evil.some((e) => unitText.includes(e)), 'top words show the markup words as text');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), 0, 'nothing executed');
  assert.deepEqual(await injected(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('broken model files: a visible message naming the file, never a blank page; the page keeps working', { skip: !REAL && 'needs the real loader' }, async () => {
  const deep = (n) => '['.repeat(n) + ']'.repeat(n);
  const huge = Buffer.from(FIXTURE);
  huge.writeBigUInt64LE(2n ** 63n);
  const cases = [
    ['zero-length', Buffer.alloc(0), /too short/],
    ['truncated', FIXTURE.subarray(0, 700), /header length|bytes/],
    ['header length 2^63', huge, /header length/],
    ['deeply nested', craft((h) => { h.__metadata__.provenance = `{"x":${deep(100000)}}`; }), /nested/],
    ['overlapping tensors', craft((h) => { h['head.bias'].data_offsets = [412, 416]; }), /overlap|head/],
    ['past the end', craft((h) => { h['head.bias'].data_offsets = [416, 1 << 30]; }), /head\.bias/],
    ['NaN weight', craft((h, d) => { d.writeFloatLE(NaN, 8); }), /embedding.*NaN/],
    ['overflowing weight', craft((h, d) => { d.writeFloatLE(1e30, 8); }), /embedding.*weight of 1e\+30/],
    ['not a model', Buffer.from('<html><script>window.__pwned=1</script></html>'), /header length|too short/],
  ];
  // First load fails: there is no model yet, and the page must say so rather than stay blank.
  const { page, errors } = await (async () => {
    const p = await env.browser.context.newPage();
    const errs = [];
    p.on('pageerror', (e) => errs.push(String(e)));
    await serveModel(p, 'seed-rnn', cases[0][1]);
    await p.goto(env.server.url);
    return { page: p, errors: errs };
  })();
  await page.waitForFunction(() => document.documentElement.dataset.state === 'error');
  assert.match(await page.textContent('#error'), /seed-rnn\.safetensors: .*too short/);
  assert.ok(await page.isVisible('#error') && await page.isVisible('#review') && await page.isVisible('#model-select'));
  await page.selectOption('#model-select', 'bi-rnn');
  await waitModel(page, 'bi-rnn');
  assert.ok(!(await page.isVisible('#error')));
  // With a model loaded, each broken file is a message; the loaded model stays and keeps working.
  for (const [label, bytes, pattern] of cases) {
    await page.unroute('**/models/best.safetensors');
    await serveModel(page, 'best', bytes);
    await page.selectOption('#model-select', 'best');
    await page.waitForFunction(() => !document.getElementById('error').hidden && document.documentElement.dataset.state === 'ready', null, { timeout: 20000 });
    const message = await page.textContent('#error');
    assert.match(message, /best\.safetensors: /, `${label}: names the file`);
    assert.match(message, pattern, `${label}: ${message}`);
    assert.equal(await page.inputValue('#model-select'), 'bi-rnn', `${label}: the select shows the model in use`);
    await typeReview(page, `still working after ${label}`);
  }
  await page.unroute('**/models/best.safetensors');
  await page.selectOption('#model-select', 'best');
  await waitModel(page, 'best');
  assert.ok(!(await page.isVisible('#error')), 'a good model clears the message');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a model with a 50 MB JSON header loads in bounded time (the junk metadata is ignored)', { skip: !REAL && 'needs the real loader' }, async () => {
  const bytes = craft((h) => { h.__metadata__.junk = 'x'.repeat(50 * 1024 * 1024); });
  const page = await env.browser.context.newPage();
  await serveModel(page, 'seed-rnn', bytes);
  const t0 = Date.now();
  await page.goto(env.server.url);
  await waitReady(page);
  console.log(`# 50 MB header: page ready in ${Date.now() - t0} ms`);
  assert.match(await page.textContent('.provenance pre'), /make_fixtures/);
  await page.close();
});

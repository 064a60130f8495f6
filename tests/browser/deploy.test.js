// The production build on a static host that knows nothing about Unroll (docs/deploy.md):
// `vite build`'s dist/ served from a sub-folder (/unroll/) by a plain file server (ours, and
// python's http.server), and what the page says when a file of it is missing — the model, the
// wasm engine, the page's own script — in English and Chinese, never a blank page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, USE_MOCK, startBrowser, waitReady } from './helpers.js';
import { buildDist, serveStatic } from './static-server.js';

const REAL = !USE_MOCK;
const POSITIVE = 'A wonderful, moving film. The acting is superb and I loved every minute of it.';
const NEGATIVE = 'A dull, boring mess. The plot is stupid and the acting is awful. A waste of time.';
let work;    // a temporary folder: dist/ and the copies served
let dist;
let browser;

before(async () => {
  if (!REAL) return;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'unroll-deploy-'));
  dist = await buildDist(ROOT, path.join(work, 'dist'));
  browser = await startBrowser();
});
after(async () => {
  await browser?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** A copy of dist/ in <work>/<name>/unroll/ with `remove` (paths relative to dist/) deleted. */
function copyOfDist(name, remove = []) {
  const dir = path.join(work, name, 'unroll');
  fs.cpSync(dist, dir, { recursive: true });
  for (const f of remove) fs.rmSync(path.join(dir, f));
  return dir;
}

async function open(url) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  return { page, errors };
}

async function classify(page, text) {
  const runs = Number(await page.getAttribute('#app', 'data-runs'));
  await page.fill('#review', text);
  await waitReady(page, runs + 1);
  return page.textContent('#verdict');
}

/** Waits for the error banner and returns its text (the page must not be blank meanwhile). */
async function errorBanner(page) {
  await page.waitForFunction(() => {
    const el = document.getElementById('error');
    return el && !el.hidden && el.textContent.trim().length > 0;
  }, null, { timeout: 30_000 });
  const box = await page.locator('#error').boundingBox();
  assert.ok(box && box.width > 0 && box.height > 0, 'the message is on screen');
  return page.textContent('#error');
}

test('dist/ at /unroll/ on a plain static server: the page classifies reviews and asks nothing of the host root', { skip: !REAL && 'needs the real wasm build' }, async () => {
  const server = await serveStatic(dist, '/unroll/');
  const { page, errors } = await open(server.url);
  try {
    await waitReady(page);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.engine), 'worker', 'the model worker started from the sub-folder');
    assert.match(await classify(page, POSITIVE), /positive/);
    assert.match(await classify(page, NEGATIVE), /negative/);
    await page.selectOption('#model-select', 'best');
    await page.waitForFunction(() => document.documentElement.dataset.state === 'ready' && /“best”/.test(document.getElementById('status').textContent), null, { timeout: 30_000 });
    const outside = server.requests.filter((p) => !p.startsWith('/unroll/'));
    assert.deepEqual(outside, [], 'every request stays under /unroll/');
    assert.ok(server.requests.some((p) => /^\/unroll\/wasm\/unroll-(simd|scalar)\.wasm$/.test(p)), 'the wasm came from /unroll/wasm/');
    assert.ok(server.requests.includes('/unroll/models/best.safetensors'));
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    await server.close();
  }
});

test('python3 -m http.server serving a folder with dist/ as unroll/: the page works there too', { skip: !REAL && 'needs the real wasm build' }, async () => {
  const dir = copyOfDist('python');
  const python = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', path.dirname(dir)], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const port = await new Promise((resolve, reject) => {
      python.on('error', reject);
      python.on('exit', (code) => reject(new Error(`http.server exited with ${code}`)));
      python.stdout.on('data', (chunk) => { const m = /port (\d+)/.exec(String(chunk)); if (m) resolve(Number(m[1])); });
    });
    const { page, errors } = await open(`http://127.0.0.1:${port}/unroll/`);
    await waitReady(page);
    assert.match(await classify(page, POSITIVE), /positive/);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    python.kill();
  }
});

test('a model missing from the served dist/: the page names the file and says what to do, in English and Chinese', { skip: !REAL && 'needs the real wasm build' }, async () => {
  const server = await serveStatic(copyOfDist('no-model', ['models/seed-rnn.safetensors']), '/unroll/');
  try {
    let { page } = await open(`${server.url}#m=seed-rnn&lang=en`);
    let text = await errorBanner(page);
    assert.match(text, /seed-rnn\.safetensors/, 'names the file');
    assert.match(text, /HTTP 404/);
    assert.match(text, /publish models\/ from dist\/.*docs\/deploy\.md.*choose another model/, 'says what to do');
    // The page is there, not blank, and another model still works.
    assert.ok((await page.textContent('h1')).trim().length > 0);
    await page.selectOption('#model-select', 'bi-rnn');
    await page.waitForFunction(() => document.documentElement.dataset.state === 'ready' && /“bi-rnn”/.test(document.getElementById('status').textContent), null, { timeout: 30_000 });
    assert.match(await classify(page, POSITIVE), /positive/);
    await page.close();

    ({ page } = await open(`${server.url}#m=seed-rnn&lang=zh`));
    text = await errorBanner(page);
    assert.match(text, /seed-rnn\.safetensors/);
    assert.match(text, /服务器上没有这个模型文件.*docs\/deploy\.md/);
    await page.close();
  } finally {
    await server.close();
  }
});

test('the wasm engine missing from the served dist/: the page names it and says what to do', { skip: !REAL && 'needs the real wasm build' }, async () => {
  const server = await serveStatic(copyOfDist('no-wasm', ['wasm/unroll-simd.wasm', 'wasm/unroll-scalar.wasm']), '/unroll/');
  try {
    for (const [lang, advice] of [['en', /WebAssembly engine .*application\/wasm.*publish wasm\/ from dist\//], ['zh', /WebAssembly 引擎.*application\/wasm/]]) {
      const { page } = await open(`${server.url}#lang=${lang}`);
      const text = await errorBanner(page);
      assert.match(text, /unroll-(simd|scalar)/, 'names the engine');
      assert.match(text, advice);
      await page.close();
    }
  } finally {
    await server.close();
  }
});

test('the page\'s own script missing from the served dist/: a message naming it, never a blank page', { skip: !REAL && 'needs the real wasm build' }, async () => {
  const entry = fs.readdirSync(path.join(dist, 'assets')).find((f) => /^index-.*\.js$/.test(f));
  const server = await serveStatic(copyOfDist('no-script', [`assets/${entry}`]), '/unroll/');
  try {
    for (const [lang, words] of [['en', /The page could not load assets\/index-.*\.js\. Reload the page\..*docs\/deploy\.md/], ['zh', /页面无法加载 assets\/index-.*\.js。请刷新页面/]]) {
      const { page } = await open(`${server.url}#lang=${lang}`);
      assert.match(await errorBanner(page), words);
      assert.equal(await page.evaluate(() => document.documentElement.dataset.loadError), `assets/${entry}`);
      await page.close();
    }
  } finally {
    await server.close();
  }
});

test('the model worker and its in-page fallback missing from the served dist/: the chunk is named, with what to do', { skip: !REAL && 'needs the real wasm build' }, async () => {
  const chunks = fs.readdirSync(path.join(dist, 'assets')).filter((f) => /^model-(worker|host)-.*\.js$/.test(f));
  assert.equal(chunks.length, 2, `model worker and host chunks: ${chunks.join(', ')}`);
  const server = await serveStatic(copyOfDist('no-chunks', chunks.map((f) => `assets/${f}`)), '/unroll/');
  try {
    const { page } = await open(`${server.url}#lang=en`);
    const text = await errorBanner(page);
    assert.match(text, /assets\/model-host-.*\.js/, 'names the chunk');
    assert.match(text, /publish all of dist\/ \(docs\/deploy\.md\)/);
    await page.close();
  } finally {
    await server.close();
  }
});

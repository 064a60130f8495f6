// Offline use of the production build (docs/deploy.md): after one visit to dist/ served at
// /unroll/, the page works with the server gone and the browser offline — the service worker
// (Workbox, vite-plugin-pwa) precached the page, the wasm builds and the default model; a model
// used once while online is there too; a model never used says why it cannot load. And Chromium
// finds the page installable as an app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, USE_MOCK, startBrowser, waitReady } from './helpers.js';
import { buildDist, serveStatic } from './static-server.js';

const REAL = !USE_MOCK;
let work;
let dist;
let browser;

before(async () => {
  if (!REAL) return;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'unroll-offline-'));
  dist = await buildDist(ROOT, path.join(work, 'dist'));
  browser = await startBrowser();
});
after(async () => {
  await browser?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const ready = (page, name) => page.waitForFunction((n) => document.documentElement.dataset.state === 'ready' &&
  document.getElementById('status').textContent.includes(`“${n}”`), name, { timeout: 30_000 });

async function classify(page, text) {
  const runs = Number(await page.getAttribute('#app', 'data-runs'));
  await page.fill('#review', text);
  await waitReady(page, runs + 1);
  return page.textContent('#verdict');
}

test('after one visit the page works offline: reload, classify, a model used before; an unused one says why', { skip: !REAL && 'needs the real wasm build' }, async () => {
  const server = await serveStatic(dist, '/unroll/');
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${server.url}#lang=en`);
    await waitReady(page);
    // The service worker installs (precaching), activates and takes over the page and its worker.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    await page.selectOption('#model-select', 'best'); // used once online: cached on first use
    await ready(page, 'best');
    await page.selectOption('#model-select', 'seed-rnn');
    await ready(page, 'seed-rnn');

    await server.close();
    await browser.context.setOffline(true);
    await page.reload();
    await waitReady(page);
    assert.match(await classify(page, 'A wonderful, moving film. The acting is superb and I loved every minute of it.'), /positive/);
    assert.match(await classify(page, 'A dull, boring mess. The plot is stupid and the acting is awful. A waste of time.'), /negative/);
    await page.selectOption('#model-select', 'best');
    await ready(page, 'best');
    assert.match(await classify(page, 'A wonderful, moving film. The acting is superb and I loved every minute of it.'), /positive/);
    // Never used, so not cached: a message naming it, and the page keeps the model it had.
    await page.selectOption('#model-select', 'bi-rnn');
    await page.waitForFunction(() => !document.getElementById('error').hidden, null, { timeout: 30_000 });
    assert.match(await page.textContent('#error'), /bi-rnn\.safetensors/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.context.setOffline(false);
    await page.close();
    await server.close();
  }
});

test('the built page is installable: a web app manifest with icons, and a service worker', { skip: !REAL && 'needs the real wasm build' }, async () => {
  const server = await serveStatic(dist, '/unroll/');
  const page = await browser.context.newPage();
  try {
    await page.goto(server.url);
    await waitReady(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'manifest.webmanifest'), 'utf8'));
    assert.equal(manifest.start_url, './');
    assert.ok(manifest.icons.some((i) => i.sizes === '512x512'));
    const cdp = await page.context().newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, [], 'Chromium finds nothing that stops installing it');
  } finally {
    await page.close();
    await server.close();
  }
});

// Time from navigation to an interactive page (model loaded, every view drawn), on the production
// build served by `vite preview` on localhost, in headless Chromium. Run `npx vite build` first.
// Usage: node bench/page/ready.mjs [runs=3]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runs = Number(process.argv[2] || 3);
const server = await preview({ configFile: path.join(root, 'vite.config.js'), root, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
const url = `http://127.0.0.1:${server.httpServer.address().port}/`;
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'unroll-ready-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (let i = 0; i < runs; i++) {
    const page = await context.newPage();
    const start = Date.now();
    await page.goto(url);
    await page.waitForFunction(() => document.documentElement.dataset.state === 'ready', null, { timeout: 60000, polling: 10 });
    console.log(`run ${i + 1}${i === 0 ? ' (cold cache)' : ''}: ready after ${Date.now() - start} ms`);
    await page.close();
  }
} finally {
  await context.close();
  server.httpServer.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

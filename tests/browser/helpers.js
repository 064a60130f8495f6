// Shared setup for the browser tests: a Vite dev server on a free port and Debian's Chromium via
// playwright-core (no browser download, ever). Real module or mock:
//   UNROLL_MOCK=1 → mock (tests/browser/mock); UNROLL_MOCK=0 → real wasm (fails if it is missing);
//   unset → real if both wasm builds and every shipped model exist, else mock.
// In CI (CI=true) and under scripts/test.sh (UNROLL_REQUIRE_REAL=1) the real module is required:
// a missing build or model, or UNROLL_MOCK=1, stops the suite at once with what is wrong, so it can
// never pass on the mock there.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/** The models the page ships (web/models.js MODELS). */
export const SHIPPED_MODELS = ['seed-rnn', 'bi-rnn', 'best'];

/** What the real module needs and is not there (paths relative to the repository). */
export function missingRealFiles() {
  const files = ['wasm/api/unroll.js',
    ...['simd', 'scalar'].flatMap((v) => [`build/web-wasm/unroll-${v}.js`, `build/web-wasm/unroll-${v}.wasm`]),
    ...SHIPPED_MODELS.map((m) => `models/${m}.safetensors`)];
  return files.filter((f) => !(fs.statSync(path.join(ROOT, f), { throwIfNoEntry: false })?.size > 0));
}

/** True in CI and under scripts/test.sh: the suite must run on the real module. */
export const REQUIRE_REAL = process.env.CI === 'true' || process.env.UNROLL_REQUIRE_REAL === '1';

function chooseMock() {
  const missing = missingRealFiles();
  if (REQUIRE_REAL) {
    const why = process.env.UNROLL_MOCK === '1' ? 'UNROLL_MOCK=1 is set'
      : missing.length ? `missing ${missing.join(', ')} (scripts/build-wasm.sh, scripts/train-models.sh)` : null;
    if (why) throw new Error(`browser tests need the real wasm module here (CI=true or UNROLL_REQUIRE_REAL=1): ${why}`);
    return false;
  }
  if (process.env.UNROLL_MOCK === '1') return true;
  if (process.env.UNROLL_MOCK === '0') {
    if (missing.length) throw new Error(`UNROLL_MOCK=0 but missing ${missing.join(', ')}`);
    return false;
  }
  return missing.length > 0;
}

export const USE_MOCK = chooseMock();

/** Starts Vite (dev) on 127.0.0.1:<free port>; returns { url, close }. */
export async function startServer() {
  process.env.UNROLL_MOCK = USE_MOCK ? '1' : '0';
  const { createServer } = await import('vite');
  const server = await createServer({
    configFile: path.join(ROOT, 'vite.config.js'),
    root: ROOT,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    clearScreen: false,
  });
  await server.listen();
  const { port } = server.httpServer.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

/** Launches Chromium with a fresh profile; returns { context, close }. */
export async function startBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'unroll-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Registers the node:test hooks most test files need: `before` starts the dev server and Chromium,
 * `after` closes both. Returns { server, browser }, filled in by `before`, so read them inside
 * tests (`env.server.url`, `env.browser.context`), not when the file loads. Files whose hooks do
 * more (warm up the server, build dist/, skip) keep their own.
 */
export function useServerAndBrowser() {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    env.server = await startServer();
    env.browser = await startBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/**
 * Opens the page and collects console errors / page errors into the returned array. `gotoTimeout`
 * (ms, Playwright's default when absent): a fresh dev server on a busy machine may take longer to
 * serve its first page.
 */
export async function openPage(context, url, { width = 1280, height = 900, reducedMotion = 'reduce', gotoTimeout } = {}) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ reducedMotion });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, gotoTimeout ? { timeout: gotoTimeout } : undefined);
  return { page, errors };
}

/** Waits until the page has loaded a model and run it at least `runs` times in total. */
export async function waitReady(page, runs = 1) {
  await page.waitForFunction((n) => document.documentElement.dataset.state === 'ready' && Number(document.getElementById('app').dataset.runs || 0) >= n, runs, { timeout: 30000 });
}

/**
 * openPage at `#hash` on `server`, then waitReady; returns { page, errors }. The goto timeout is
 * 90 s: a fresh dev server on a busy machine may take that long to serve its first page.
 */
export async function openReady(browser, server, hash, { width = 1280, height = 900 } = {}) {
  const opened = await openPage(browser.context, `${server.url}#${hash}`, { width, height, gotoTimeout: 90_000 });
  await waitReady(opened.page);
  return opened;
}

/** Waits until model `name` is loaded and the page says so (English UI). */
export async function waitModel(page, name) {
  await page.waitForFunction((n) => document.documentElement.dataset.state === 'ready' &&
    document.getElementById('status').textContent.startsWith(`Model “${n}” ready`), name, { timeout: 30000 });
}

/**
 * Waits until the page stops adding and removing elements: after a model is ready, the memory
 * lens, leave-one-out and the unit ranking arrive from the worker in later tasks, so a DOM count
 * taken right at "ready" depends on how loaded the machine is. Stable = the same element count in
 * `polls` checks `everyMs` apart.
 */
export async function waitDomSettled(page, { polls = 6, everyMs = 150, timeout = 20000 } = {}) {
  const until = Date.now() + timeout;
  let last = -1;
  let same = 0;
  while (Date.now() < until) {
    const n = await page.evaluate(() => document.getElementsByTagName('*').length);
    same = n === last ? same + 1 : 0;
    if (same >= polls) return n;
    last = n;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`the DOM kept changing for ${timeout} ms (last count ${last})`);
}

/** axe-core's script, read on first use: scripts/ and bench/ import this file and never audit. */
let axeSource;

/**
 * Runs axe on the page (injected through the debugging protocol, which the page's CSP does not
 * govern); returns its critical and serious violations as 'impact id: targets' strings (the first
 * three targets), so a test asserts an empty list and a failure names what to fix.
 */
export async function auditPage(page) {
  axeSource ??= fs.readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

export async function screenshot(page, name, fullPage = true) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage });
}

/** Current step index as each view shows it. */
export async function highlights(page) {
  return page.evaluate(() => {
    const chip = document.querySelector('.chip.current');
    const tok = [...document.querySelectorAll('.dg-col')].find((g) => g.querySelector('.dg-token.is-current'));
    const cur = document.querySelector('.hm-current');
    const marker = document.querySelector('.chart-marker');
    const step = (s) => (s ? Number(/t=(\d+)/.exec(s.textContent)?.[1]) : null);
    return {
      chip: chip ? Number(chip.dataset.step) : null,
      diagram: tok ? step(tok.querySelector('.dg-step')) : null,
      heatmapX: cur ? Number(cur.getAttribute('x')) : null,
      chartX: marker ? marker.getAttribute('transform') : null,
      readout: document.querySelector('.step-readout').textContent,
      scrub: Number(document.querySelector('.ctl-scrub').value),
    };
  });
}

/**
 * Pastes `unit` repeated to `chars` characters over the whole review, as Ctrl+A then Ctrl+V would;
 * returns whether the page let the browser paste it (the event was not cancelled).
 */
export async function paste(page, unit, chars) {
  await page.focus('#review');
  return page.evaluate(([u, n]) => {
    document.getElementById('review').select();
    const data = new DataTransfer();
    data.setData('text/plain', u.repeat(Math.ceil(n / u.length)));
    return document.getElementById('review').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, [unit, chars]);
}

/** Starts recording long tasks (over 50 ms) in the page. */
export async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask' });
  });
}

export const longestTask = (page) => page.evaluate(() => Math.round(Math.max(0, ...window.__longTasks)));

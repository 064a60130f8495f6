// The Chromium half of the benchmark: a tiny static server on 127.0.0.1 (correct MIME types, wasm
// as application/wasm) and headless /usr/bin/chromium driven by playwright-core (never a
// downloaded browser), running bench/peers/page.html: our wasm vs TF.js wasm vs ONNX Runtime Web
// on the same id sequences as the node run.

import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const requireRoot = createRequire(join(root, 'package.json'));  // playwright-core: the page's dev dependency
const modules = join(here, 'node_modules');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/** URL path → file, for the few folders the page needs; nothing else is served. */
function routes(prepared) {
  const w = prepared.workdir;
  const fixed = {
    '/': join(here, 'page.html'),
    '/model.safetensors': prepared.job.model,
    '/model.onnx': prepared.job.onnx,
    '/ids/parity.i32': join(w, prepared.job.parity[Object.keys(prepared.job.parity)[0]].file),
    '/ids/reference.f32': join(w, prepared.referenceFile),
    '/ids/latency-80.i32': join(w, prepared.job.latency['80'].file),
    '/ids/latency-400.i32': join(w, prepared.job.latency['400'].file),
    '/ids/all.i32': join(w, prepared.job.throughput.file),
  };
  const folders = {
    '/bench/': here,
    '/api/': join(root, 'wasm/api'),
    '/wasm/': join(root, 'build/web-wasm'),
    '/tfjs/': null,  // filled below: two dist folders
    '/ort/': join(modules, 'onnxruntime-web/dist'),
  };
  return (path) => {
    if (fixed[path]) return fixed[path];
    if (path.startsWith('/tfjs/')) {
      const name = path.slice(6);
      for (const dir of ['@tensorflow/tfjs/dist', '@tensorflow/tfjs-backend-wasm/dist']) {
        const file = join(modules, dir, name);
        if (existsSync(file)) return file;
      }
      return null;
    }
    for (const [prefix, dir] of Object.entries(folders)) {
      if (dir && path.startsWith(prefix)) {
        const file = normalize(join(dir, path.slice(prefix.length)));
        return file.startsWith(dir) ? file : null;
      }
    }
    return null;
  };
}

function serve(resolveFile) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    const file = resolveFile(path);
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    // Cross-origin isolation: performance.now() at 5 µs instead of 100 µs resolution (batch-1
    // latencies are fractions of a millisecond). It would also allow threads: every engine is
    // held to one (ort numThreads 1, tfjs setThreadsCount(1)).
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store',
      'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/** Runs the page for one prepared model; returns { browser, budgetS, results } or throws. */
export async function runPage(prepared, { quick, oursNode }) {
  if (!oursNode || oursNode.failed) throw new Error('no node run of ours to compare with');
  prepared.referenceFile = oursNode.parity[Object.keys(prepared.job.parity)[0]];
  const { chromium } = requireRoot('playwright-core');
  const server = await serve(routes(prepared));
  const port = server.address().port;
  const profile = mkdtempSync(join(tmpdir(), 'unroll-bench-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS,
    });
    const budgetS = quick ? 3 : 20;
    const job = {
      maxlen: prepared.cfg.maxlen,
      batch: 500,
      budgetS,
      timing: { warmup: quick ? 5 : 20, runs: quick ? 50 : 300, budgetMs: quick ? 1000 : 4000 },
    };
    // Each engine in a page of its own: one that runs the renderer out of memory (a crash closes
    // the page) is reported as failed, and the others are still measured.
    const out = { results: {} };
    for (const engine of ['ours', 'ort-web', 'tfjs-wasm']) {
      const page = await context.newPage();
      page.on('console', (m) => { if (m.type() === 'error') console.log(`bench: page: ${m.text()}`); });
      page.on('pageerror', (e) => console.log(`bench: page error: ${e.message}`));
      page.setDefaultTimeout(30 * 60e3);
      try {
        await page.goto(`http://127.0.0.1:${port}/`);
        await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60e3 });
        const one = await page.evaluate((j) => window.runBench(j), { ...job, engines: [engine] });
        Object.assign(out.results, one.results);
        out.userAgent = one.userAgent;
        out.crossOriginIsolated = one.crossOriginIsolated;
      } catch (error) {
        const crashed = page.isClosed() || /crash|closed/i.test(String(error.message));
        out.results[engine] = { failed: crashed ? 'the page crashed (renderer out of memory?)' : String(error.message).split('\n')[0] };
      } finally {
        await page.close().catch(() => {});
      }
    }
    const browser = `Chromium ${context.browser()?.version() ?? out.userAgent?.match(/Chrome\/([\d.]+)/)?.[1] ?? ''}`.trim();
    for (const [name, r] of Object.entries(out.results)) {
      if (r.failed) console.log(`bench:   page ${name}: FAILED ${r.failed}`);
      else console.log(`bench:   page ${name}: latency 80 ${r.latency['80'].median.toFixed(3)} ms, 400 ${r.latency['400'].median.toFixed(3)} ms; ${r.throughput.perSecond.toFixed(0)} reviews/s; max |Δp| ${r.maxDiff.toExponential(1)}`);
    }
    if (!out.crossOriginIsolated) console.log('bench: page is not cross-origin isolated: timer resolution 100 µs');
    return { browser, budgetS, results: out.results, crossOriginIsolated: out.crossOriginIsolated };
  } finally {
    await context?.close().catch(() => {});
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

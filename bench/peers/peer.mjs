// One engine in its own node process (so that its peak memory is its own):
//   node bench/peers/peer.mjs ENGINE WORKDIR
// reads WORKDIR/job.json (written by bench.mjs), writes WORKDIR/ENGINE.json and the engine's
// probabilities for the parity sets as WORKDIR/<set>.ENGINE.f32.

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { ENGINES, medianMs, throughput } from './engines.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const [name, workdir] = process.argv.slice(2);
if (!ENGINES[name] || !workdir) {
  console.error(`usage: node peer.mjs {${Object.keys(ENGINES).join('|')}} WORKDIR`);
  process.exit(2);
}
const job = JSON.parse(readFileSync(join(workdir, 'job.json'), 'utf8'));

/** Where each engine's files are, for node. Only the engine under test is imported. */
async function nodeAssets() {
  const assets = {};
  if (name === 'ours') {
    assets.unrollApi = pathToFileURL(resolve(here, '../../wasm/api/unroll.js')).href;
  } else if (name.startsWith('tfjs')) {
    // The tfjs bundle warns about tfjs-node on import; that native binding is deliberately absent.
    const warn = console.warn;
    console.warn = () => {};
    assets.tf = await import('@tensorflow/tfjs');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    console.warn = warn;
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    // Single-threaded SIMD build: the threaded one needs workers and SharedArrayBuffer.
    assets.setTfWasmPaths = () => {
      wasm.setThreadsCount?.(1);
      wasm.setWasmPaths(dist + '/');
    };
  } else if (name === 'ort-node') {
    assets.ortNode = (await import('onnxruntime-node')).default;
    assets.ortNodeVersion = JSON.parse(readFileSync(join(here, 'node_modules/onnxruntime-node/package.json'), 'utf8')).version;
  } else if (name === 'ort-web') {
    assets.ortWeb = await import('onnxruntime-web');
    assets.ortWebVersion = JSON.parse(readFileSync(join(here, 'node_modules/onnxruntime-web/package.json'), 'utf8')).version;
  }
  return assets;
}

function readIds(spec) {
  const buffer = readFileSync(join(workdir, spec.file));
  return new Int32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 4);
}

function peakRssMb() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)[1]);
  return kb / 1024;
}

const model = {
  bytes: new Uint8Array(readFileSync(job.model)),
  onnx: new Uint8Array(readFileSync(job.onnx)),
};
const t0 = performance.now();
const engine = await ENGINES[name].create(model, await nodeAssets());
const result = { engine: name, label: ENGINES[name].label, api: engine.api, version: engine.version,
  loadMs: performance.now() - t0, parity: {}, latency: {} };

for (const [set, spec] of Object.entries(job.parity)) {
  const ids = readIds(spec);
  const count = ids.length / spec.steps;
  const out = new Float32Array(count);
  for (let b = 0; b < count; b += 500) {
    const n = Math.min(500, count - b);
    out.set(await engine.run(engine.prepare(ids.subarray(b * spec.steps, (b + n) * spec.steps), n, spec.steps)), b);
  }
  const file = `${set}.${name}.f32`;
  writeFileSync(join(workdir, file), new Uint8Array(out.buffer));
  result.parity[set] = file;
}

for (const [set, spec] of Object.entries(job.latency)) {
  const ids = readIds(spec).subarray(0, spec.steps);
  const feed = engine.prepare(ids, 1, spec.steps);
  result.latency[set] = await medianMs(() => engine.run(feed), { warmup: job.warmup, runs: job.runs, budgetMs: job.budget_s * 1000 });
}

const spec = job.throughput;
const ids = readIds(spec);
result.throughput = await throughput(engine, ids, ids.length / spec.steps, spec.steps,
  { batch: spec.batch, budgetMs: spec.budget_s * 1000 });
result.engineMemoryBytes = engine.memory();
result.peak_rss_mb = peakRssMb();
engine.dispose();
writeFileSync(join(workdir, `${name}.json`), JSON.stringify(result, null, 1));
console.log(`${name}: latency ${Object.entries(result.latency).map(([k, v]) => `${k} ${v.median.toFixed(3)} ms`).join(', ')}; ` +
  `${result.throughput.perSecond.toFixed(0)} reviews/s (${result.throughput.reviews}); peak RSS ${result.peak_rss_mb.toFixed(0)} MB`);
process.exit(0);

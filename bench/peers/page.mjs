// The benchmark page's script: window.runBench(job) runs each engine of engines.mjs in this page,
// one after another, on the id sequences the driver serves, and returns the figures.

import { ENGINES, medianMs, throughput } from './engines.mjs';

const log = (line) => {
  document.getElementById('log').textContent += `${line}\n`;
};

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function fetchIds(url) {
  const bytes = await fetchBytes(url);
  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

async function assetsFor(name) {
  if (name === 'ours') {
    return { unrollApi: '/api/unroll.js', unrollOptions: { wasmBase: '/wasm/' } };
  }
  if (name === 'tfjs-wasm') {
    return { tf: globalThis.tf, setTfWasmPaths: () => {
      globalThis.tf.wasm.setThreadsCount(1);
      globalThis.tf.wasm.setWasmPaths('/tfjs/');
    } };
  }
  if (name === 'ort-web') {
    const ort = await import('/ort/ort.wasm.min.mjs');
    return { ortWeb: ort, ortWasmPaths: '/ort/', ortWebVersion: ort.env.versions?.web ?? '?' };
  }
  throw new Error(`engine ${name} does not run in the page`);
}

window.runBench = async (job) => {
  const model = { bytes: await fetchBytes('/model.safetensors'), onnx: await fetchBytes('/model.onnx') };
  const parityIds = await fetchIds('/ids/parity.i32');
  const reference = new Float32Array((await fetchBytes('/ids/reference.f32')).buffer);
  const latencyIds = { 80: await fetchIds('/ids/latency-80.i32'), 400: await fetchIds('/ids/latency-400.i32') };
  const allIds = await fetchIds('/ids/all.i32');
  const results = {};
  for (const name of job.engines) {
    try {
      log(`${name}: loading`);
      const engine = await ENGINES[name].create(model, await assetsFor(name));
      const r = { label: ENGINES[name].label, api: engine.api, version: engine.version, latency: {} };
      // Parity against our node run on the same 1,000 reviews.
      const steps = job.maxlen;
      const count = parityIds.length / steps;
      let worst = 0;
      for (let b = 0; b < count; b += 500) {
        const n = Math.min(500, count - b);
        const p = await engine.run(engine.prepare(parityIds.subarray(b * steps, (b + n) * steps), n, steps));
        for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(p[i] - reference[b + i]));
      }
      r.maxDiff = worst;
      for (const k of ['80', '400']) {
        const feed = engine.prepare(latencyIds[k].subarray(0, Number(k)), 1, Number(k));
        r.latency[k] = await medianMs(() => engine.run(feed), job.timing);
        log(`${name}: batch-1 ${k} tokens ${r.latency[k].median.toFixed(3)} ms`);
      }
      r.throughput = await throughput(engine, allIds, allIds.length / steps, steps, { batch: job.batch, budgetMs: job.budgetS * 1000 });
      log(`${name}: ${r.throughput.perSecond.toFixed(0)} reviews/s`);
      engine.dispose();
      results[name] = r;
    } catch (error) {
      log(`${name}: ${error.stack || error}`);
      results[name] = { failed: String(error.message || error) };
    }
  }
  return { results, userAgent: navigator.userAgent, crossOriginIsolated: globalThis.crossOriginIsolated === true };
};
window.benchReady = true;

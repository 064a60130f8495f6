// The memory lens's cost (model.attribution: a traced forward pass, then one backward pass through
// time) against the forward pass alone, on the shipped models, SIMD and scalar builds, for a
// 200-word review (and best's 500-word window). Timed inside wasm (model.benchmark /
// benchmarkAttribution: no tokenizing, no copies) and through the JS API (attribution(): what the
// page's worker pays, copies included). Best of 5 batches: the machine is shared. Also times one
// knockoutRanking() (one forward pass per unit of a layer). docs/performance.md records the output.
//
//   scripts/build-wasm.sh && node bench/wasm/attribution.mjs [--repeats N] [--wasm-dir DIR] [--builds simd,scalar]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadModel } from '../../wasm/api/unroll.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const WASM_DIR = path.resolve(option('--wasm-dir', process.env.UNROLL_WASM_DIR || path.join(ROOT, 'build', 'web-wasm')));
const REPEATS = Number(option('--repeats', 50));
const BATCHES = 5;
const BUILDS = option('--builds', 'simd,scalar').split(',');
const CASES = [['seed-rnn', 200], ['bi-rnn', 200], ['best', 200], ['best', 500]];

/** The vocabulary of a model file (metadata `vocabulary`). */
function vocabularyOf(file) {
  const bytes = fs.readFileSync(file);
  const n = Number(bytes.readBigUInt64LE(0));
  return JSON.parse(bytes.subarray(8, 8 + n).toString()).__metadata__.vocabulary.split('\n');
}

/** Review of `n` vocabulary words: word (7919·i mod |vocabulary|), as bench/wasm/bench.mjs picks them. */
function review(words, n) {
  return Array.from({ length: n }, (_, i) => words[(7919 * i) % words.length]).join(' ');
}

const best = (f) => Math.min(...Array.from({ length: BATCHES }, f));

/**
 * CPU time (user + system, process.cpuUsage) per pass of a call that runs `REPEATS` passes: on a
 * shared machine the wall clock counts the time other processes held the core; this does not.
 */
function cpuUs(call) {
  return best(() => {
    const start = process.cpuUsage();
    call();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / REPEATS;
  });
}

function jsUs(f) {
  for (let i = 0; i < 5; i++) f();
  return best(() => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < REPEATS; i++) f();
    return Number(process.hrtime.bigint() - start) / 1e3 / REPEATS;
  });
}

const rows = [];
for (const [name, words] of CASES) {
  const file = path.join(ROOT, 'models', `${name}.safetensors`);
  const text = review(vocabularyOf(file), words);
  for (const simd of BUILDS.map((b) => b === 'simd')) {
    const model = await loadModel(fs.readFileSync(file), { simd, wasmBase: WASM_DIR, name });
    try {
      const steps = model.run(text).steps;
      const forward = best(() => model.benchmark(text, { repeats: REPEATS, trace: true }));
      const lens = best(() => model.benchmarkAttribution(text, { repeats: REPEATS }));
      const forwardCpu = cpuUs(() => model.benchmark(text, { repeats: REPEATS, trace: true }));
      const lensCpu = cpuUs(() => model.benchmarkAttribution(text, { repeats: REPEATS }));
      const api = jsUs(() => model.attribution(text));
      const rankStart = process.hrtime.bigint();
      model.knockoutRanking(text, model.info.layers - 1, 0);
      const ranking = Number(process.hrtime.bigint() - rankStart) / 1e3;
      rows.push({ model: name, build: model.info.build, words, steps, forwardUs: forward, attributionUs: lens,
        ratio: lens / forward, forwardCpuUs: forwardCpu, attributionCpuUs: lensCpu, cpuRatio: lensCpu / forwardCpu,
        apiUs: api, rankingMs: ranking / 1e3 });
    } finally {
      model.dispose();
    }
  }
}

const f = (v, d = 0) => v.toFixed(d);
console.log(`node ${process.versions.node}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}, ${REPEATS} repeats × best of ${BATCHES}`);
console.log('                                 wall clock (in wasm)           CPU time (in wasm)');
console.log('model     build   words steps  forward+trace  attribution ratio  forward+trace  attribution ratio  attribution() wall  ranking wall');
for (const r of rows) {
  console.log(`${r.model.padEnd(9)} ${r.build.padEnd(7)} ${String(r.words).padStart(5)} ${String(r.steps).padStart(5)}  ` +
    `${f(r.forwardUs).padStart(10)} µs ${f(r.attributionUs).padStart(9)} µs ${f(r.ratio, 2).padStart(5)}  ` +
    `${f(r.forwardCpuUs).padStart(10)} µs ${f(r.attributionCpuUs).padStart(9)} µs ${f(r.cpuRatio, 2).padStart(5)}  ` +
    `${f(r.apiUs).padStart(15)} µs ${f(r.rankingMs, 1).padStart(9)} ms`);
}
console.log(JSON.stringify({ bench: 'attribution', rows }));

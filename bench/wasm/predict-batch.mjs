// model.predictBatch alone, as bench/peers times ours (batch-1 at 80 and 400 tokens, and a batch of
// 64 reviews of 400 tokens), without the peers: a quick A/B of two builds of the wasm module.
//
//   node --no-experimental-fetch bench/wasm/predict-batch.mjs [--model models/best.safetensors]
//        [--wasm-dir DIR] [--rounds 7]
//
// Prints one line: microseconds per call, the fastest of --rounds rounds (each round a fixed
// number of calls after 50 warm-up calls). Build the two variants into two directories
// (scripts/build-wasm.sh, then copy build/web-wasm) and run this alternately on each.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const modelPath = path.resolve(option('--model', path.join(ROOT, 'models', 'best.safetensors')));
const rounds = Number(option('--rounds', 7));
const wasmDir = option('--wasm-dir', null);
if (wasmDir) process.env.UNROLL_WASM_DIR = path.resolve(wasmDir);  // read by wasm/api/unroll.js

const { loadModel } = await import('../../wasm/api/unroll.js');
const model = await loadModel(fs.readFileSync(modelPath), { name: path.basename(modelPath), simd: true });
const vocab = model.info.vocabSize;

// Word ids 2 … vocab − 1 (0 is padding, 1 out of vocabulary), spread over the vocabulary.
const review = (length, seed) =>
  Int32Array.from({ length }, (_, i) => 2 + ((i * 7919 + seed * 104729 + 13) % (vocab - 2)));

const timings = {};
for (const [steps, batch, calls] of [[80, 1, 2000], [400, 1, 500], [400, 64, 10]]) {
  const reviews = Array.from({ length: batch }, (_, b) => review(steps, b));
  for (let i = 0; i < 50; ++i) model.predictBatch(reviews);
  let fastest = Infinity;
  for (let r = 0; r < rounds; ++r) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; ++i) model.predictBatch(reviews);
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1e3 / calls);
  }
  timings[`batch ${batch}, ${steps} tokens`] = `${fastest.toFixed(1)} µs`;
}
model.dispose();
console.log(`${path.basename(modelPath)} (${process.env.UNROLL_WASM_DIR || 'build/web-wasm'}):`, JSON.stringify(timings));

// Inference speed of the shipped models (or random weights of their shapes) for reviews of 80 and
// 400 words (a masked model of best's shape: 5 and 500 words, side by side): native core, wasm SIMD and wasm scalar; GFLOP/s of the recurrent products; module
// sizes. Results go to stdout (a table, then one JSON line) — docs/performance.md records them.
//
//   scripts/build-wasm.sh && node bench/wasm/bench.mjs [--native] [--repeats N] [--wasm-dir DIR]
//
// --native builds bench/wasm/native_bench.cpp (its own CMake project, build/bench-native) and
// runs it on the same model files and words.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

import { loadModel } from '../../wasm/api/unroll.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const WASM_DIR = path.resolve(option('--wasm-dir', process.env.UNROLL_WASM_DIR || path.join(ROOT, 'build', 'web-wasm')));
const OUT_DIR = path.resolve(option('--out-dir', path.join(ROOT, 'build', 'bench-models')));
const REPEATS = Number(option('--repeats', 300));
const NATIVE = args.includes('--native');
const LENGTHS = [80, 400];

/** The shapes of the shipped models (issue "Benchmark"), used when models/<name> is not there yet. */
const SHAPES = {
  'seed-rnn': { cell: 'simple_rnn', vocab_size: 10000, embedding_dim: 100, units: 64, layers: 2, maxlen: 80 },
  best: { cell: 'gru', vocab_size: 20000, embedding_dim: 64, units: 64, layers: 1, bidirectional: true, maxlen: 400 },
  // Not shipped: an LSTM of the same size, so that every cell has a figure.
  'lstm-64': { cell: 'lstm', vocab_size: 20000, embedding_dim: 64, units: 64, layers: 1, maxlen: 400 },
  // best's shape with mask_padding (random weights): the network reads only the words, so a
  // 5-word review costs 6 steps and a 500-word one 500 — the two side by side.
  'best-masked': {
    cell: 'lstm', vocab_size: 20000, embedding_dim: 100, units: 64, layers: 1, bidirectional: true, maxlen: 500,
    mask_padding: true, lengths: [5, 500],
  },
};
const GATES = { simple_rnn: 1, lstm: 4, gru: 3 };

/** Deterministic uniform(-scale, scale) floats. */
function randomFloats(n, seed, scale) {
  const out = new Float32Array(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

/** A model file (docs/model-format.md) with random weights of a given shape. */
function writeRandomModel(file, shape) {
  const G = GATES[shape.cell];
  const { units, layers, embedding_dim: E, vocab_size: V } = shape;
  const D = shape.bidirectional ? 2 : 1;
  const tensors = [['embedding', [V, E], randomFloats(V * E, 1, 0.5)]];
  for (let l = 0; l < layers; l++) {
    const input = l === 0 ? E : units * D;
    for (const [d, dir] of ['fwd', 'bwd'].slice(0, D).entries()) {
      const seed = 100 * d + l;
      tensors.push([`rnn.${l}.${dir}.kernel`, [input, G * units], randomFloats(input * G * units, 10 + seed, 1 / Math.sqrt(input))]);
      tensors.push([`rnn.${l}.${dir}.recurrent_kernel`, [units, G * units], randomFloats(units * G * units, 20 + seed, 1 / Math.sqrt(units))]);
      tensors.push([`rnn.${l}.${dir}.bias`, [G * units], randomFloats(G * units, 30 + seed, 0.1)]);
      if (shape.cell === 'gru') tensors.push([`rnn.${l}.${dir}.recurrent_bias`, [G * units], randomFloats(G * units, 40 + seed, 0.1)]);
    }
  }
  tensors.push(['head.kernel', [units * D, 1], randomFloats(units * D, 50, 0.3)]);
  tensors.push(['head.bias', [1], new Float32Array([0.05])]);
  const config = {
    cell: shape.cell, vocab_size: V, embedding_dim: E, units, layers, bidirectional: D === 2,
    maxlen: shape.maxlen, padding: 'pre', truncating: 'pre', start_token: true,
    ...(shape.mask_padding ? { mask_padding: true } : {}),
  };
  const header = {
    __metadata__: {
      format: 'unroll-rnn', format_version: '1', config: JSON.stringify(config),
      vocabulary: Array.from({ length: V - 3 }, (_, i) => `w${i}`).join('\n'),
      provenance: JSON.stringify({ source: 'bench/wasm/bench.mjs', weights: 'random, for timing only' }),
    },
  };
  let offset = 0;
  for (const [name, shapeOf, values] of tensors) {
    header[name] = { dtype: 'F32', shape: shapeOf, data_offsets: [offset, offset + values.byteLength] };
    offset += values.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(json), ...tensors.map(([, , v]) => Buffer.from(v.buffer))]));
}

/** The vocabulary of a model file (metadata `vocabulary`). */
function vocabularyOf(file) {
  const bytes = fs.readFileSync(file);
  const n = Number(bytes.readBigUInt64LE(0));
  return JSON.parse(bytes.subarray(8, 8 + n).toString()).__metadata__.vocabulary.split('\n');
}

/** Review of `n` vocabulary words: word (7919·i mod |vocabulary|), as native_bench picks them. */
function review(words, n) {
  return Array.from({ length: n }, (_, i) => words[(7919 * i) % words.length]).join(' ');
}

/** Multiply–add FLOPs of one pass: recurrent products, and the input products above layer 0. */
function flops(info, steps) {
  const G = info.gateNames.length;
  let total = 0;
  for (let l = 0; l < info.layers; l++) {
    const input = l === 0 ? 0 : info.units * info.directions; // layer 0 reads the embedding·W table
    total += info.directions * steps * 2 * G * info.units * (info.units + input);
  }
  return total;
}

/** The machine is shared: every figure is the best of BATCHES batches (µs per call). */
const BATCHES = 5;

function timeUs(f, repeats) {
  for (let i = 0; i < Math.min(20, repeats); i++) f();
  let best = Infinity;
  for (let b = 0; b < BATCHES; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < repeats; i++) f();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e3 / repeats);
  }
  return best;
}

function bestOf(f) {
  let best = Infinity;
  for (let b = 0; b < BATCHES; b++) best = Math.min(best, f());
  return best;
}

function sizes() {
  const out = {};
  for (const variant of ['simd', 'scalar']) {
    let raw = 0;
    let gzip = 0;
    for (const ext of ['js', 'wasm']) {
      const bytes = fs.readFileSync(path.join(WASM_DIR, `unroll-${variant}.${ext}`));
      out[`${variant}.${ext}`] = { raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
      raw += bytes.length;
      gzip += out[`${variant}.${ext}`].gzip;
    }
    out[variant] = { raw, gzip };
  }
  out.total = { raw: out.simd.raw + out.scalar.raw, gzip: out.simd.gzip + out.scalar.gzip };
  return out;
}

function nativeBench() {
  const dir = path.join(ROOT, 'build', 'bench-native');
  execFileSync('cmake', ['-S', path.join(ROOT, 'bench', 'wasm'), '-B', dir, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release'], { stdio: 'ignore' });
  execFileSync('cmake', ['--build', dir, '-j', '2', '--target', 'native_bench'], { stdio: 'ignore' });
  return path.join(dir, 'native_bench');
}

fs.mkdirSync(OUT_DIR, { recursive: true });
const nativeExe = NATIVE ? nativeBench() : null;
const rows = [];
for (const [name, shape] of Object.entries(SHAPES)) {
  let file = path.join(ROOT, 'models', `${name}.safetensors`);
  let weights = 'shipped';
  if (!fs.existsSync(file)) {
    file = path.join(OUT_DIR, `${name}.safetensors`);
    if (!fs.existsSync(file)) writeRandomModel(file, shape);
    weights = 'random';
  }
  const words = vocabularyOf(file);
  for (const length of shape.lengths ?? LENGTHS) {
    const text = review(words, length);
    const row = { model: name, weights, words: length };
    for (const [variant, simd] of [['simd', true], ['scalar', false]]) {
      const model = await loadModel(file, { simd, wasmBase: WASM_DIR });
      try {
        const steps = model.tokenize(text).steps;
        row.steps = steps;
        row.info = model.info;
        const repeats = Math.max(20, Math.round(REPEATS * 80 / steps));
        row[variant] = {
          traceUs: bestOf(() => model.benchmark(text, { repeats, trace: true })),
          logitUs: bestOf(() => model.benchmark(text, { repeats, trace: false })),
          runUs: timeUs(() => model.run(text), repeats),
          apiLogitUs: timeUs(() => model.logit(text), repeats),
        };
        row[variant].gflops = flops(model.info, steps) / row[variant].traceUs / 1e3;
      } finally {
        model.dispose();
      }
    }
    if (nativeExe) {
      row.native = JSON.parse(execFileSync(nativeExe, [file, String(length), String(Math.max(100, Math.round(REPEATS * 80 / row.steps)))]).toString());
      row.native.gflops = flops(row.info, row.steps) / row.native.traceUs / 1e3;
    }
    row.ratio = row.scalar.traceUs / row.simd.traceUs;
    delete row.info;
    rows.push(row);
  }
}

/** Masked models: the short review's time beside the long one's (the issue asks well under 1/20). */
for (const name of Object.keys(SHAPES).filter((n) => SHAPES[n].mask_padding)) {
  const [short, long] = rows.filter((r) => r.model === name);
  if (!short || !long) continue;
  for (const side of ['native', 'simd', 'scalar']) {
    if (short[side] && long[side]) {
      short[side].versusLongest = short[side].traceUs / long[side].traceUs;
    }
  }
}

const f = (x, d = 1) => (x === undefined ? '—' : x.toFixed(d)).padStart(8);
console.log('µs per review (core pass with trace | logit only | JS run() incl. tokenize + copies), GFLOP/s of the products with trace');
console.log('model      weights words steps |  native tr   logit  GF/s |    simd tr   logit   run() GF/s |  scalar tr   logit   run() GF/s | simd/scalar');
for (const r of rows) {
  console.log(`${r.model.padEnd(10)} ${r.weights.padEnd(7)} ${String(r.words).padStart(5)} ${String(r.steps).padStart(5)} |` +
    `${f(r.native?.traceUs)}${f(r.native?.logitUs)}${f(r.native?.gflops, 2)} |` +
    `${f(r.simd.traceUs)}${f(r.simd.logitUs)}${f(r.simd.runUs)}${f(r.simd.gflops, 2)} |` +
    `${f(r.scalar.traceUs)}${f(r.scalar.logitUs)}${f(r.scalar.runUs)}${f(r.scalar.gflops, 2)} | ${f(r.ratio, 2)}x`);
}
for (const name of Object.keys(SHAPES).filter((n) => SHAPES[n].mask_padding)) {
  const [short, long] = rows.filter((r) => r.model === name);
  if (!short || !long) continue;
  const ratio = (side) => (short[side] ? `${short[side].traceUs.toFixed(1)} vs ${long[side].traceUs.toFixed(1)} µs (1/${(1 / short[side].versusLongest).toFixed(0)})` : '—');
  console.log(`${name}: ${short.words} words (${short.steps} steps) vs ${long.words} words (${long.steps} steps), with trace: ` +
    `native ${ratio('native')}, simd ${ratio('simd')}, scalar ${ratio('scalar')}`);
}
const size = sizes();
console.log('sizes (bytes, gzip -9):');
for (const key of ['simd.js', 'simd.wasm', 'scalar.js', 'scalar.wasm', 'simd', 'scalar', 'total']) {
  console.log(`  ${key.padEnd(12)} ${String(size[key].raw).padStart(8)} raw ${String(size[key].gzip).padStart(8)} gzip`);
}
console.log(JSON.stringify({ node: process.version, rows, size }));

// Shared by the JS API tests: where the builds are, a minimal safetensors reader for the
// PyTorch fixtures (tests/fixtures/README.md), and comparison helpers.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(ROOT, 'tests', 'fixtures');
/** The folder with unroll-{simd,scalar}.{js,wasm}: UNROLL_WASM_DIR or scripts/build-wasm.sh's output. */
export const WASM_DIR = process.env.UNROLL_WASM_DIR || path.join(ROOT, 'build', 'web-wasm');

/** Both builds, as loadModel options; `UNROLL_JS_BUILDS=simd` restricts the list. */
export const BUILDS = (process.env.UNROLL_JS_BUILDS || 'simd,scalar').split(',').map((name) => ({
  name,
  options: { simd: name === 'simd', wasmBase: WASM_DIR },
}));

export const FIXTURE_MODELS = [
  'simple_rnn', 'simple_rnn_stacked', 'simple_rnn_bi', 'simple_rnn_bi_stacked',
  'lstm', 'lstm_stacked', 'lstm_stacked_bi', 'gru', 'gru_stacked', 'gru_stacked_bi',
];

export function fixturePath(name) {
  return path.join(FIXTURES, name);
}

/** { metadata, tensors: Map(name → { dtype, shape, values: Float32Array }) } (F32 only). */
export function readSafetensors(file) {
  const bytes = fs.readFileSync(file);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  const data = 8 + headerLength;
  const tensors = new Map();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (entry.dtype !== 'F32') throw new Error(`${file}: ${name}: only F32 is read here`);
    const [begin, end] = entry.data_offsets;
    const copy = bytes.buffer.slice(bytes.byteOffset + data + begin, bytes.byteOffset + data + end);
    tensors.set(name, { dtype: entry.dtype, shape: entry.shape, values: new Float32Array(copy) });
  }
  return { metadata: header.__metadata__ || {}, tensors };
}

/** Largest |a[i] − b[i]|, NaN-aware (a NaN on one side only is Infinity). */
export function maxAbsDiff(a, b) {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(d)) {
      if (!(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return Infinity;
    } else if (d > worst) worst = d;
  }
  return worst;
}

// What opening a model costs the page: loadModel() from the file's bytes to a model ready to run
// (parsing, dequantizing, and layer 0's embedding·W table, which grows with the embedding's width),
// then one short run(). Median of 7 loads per file, wasm SIMD build, in node.
//
//   scripts/build-wasm.sh && node --no-experimental-fetch bench/wasm/load.mjs [MODEL.safetensors ...]
//   (default: models/*.safetensors)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadModel } from '../../wasm/api/unroll.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WASM_DIR = process.env.UNROLL_WASM_DIR || path.join(ROOT, 'build', 'web-wasm');
const LOADS = 7;
const files = process.argv.slice(2);
if (!files.length) {
  const dir = path.join(ROOT, 'models');
  for (const name of fs.readdirSync(dir).sort()) if (name.endsWith('.safetensors')) files.push(path.join(dir, name));
}

for (const file of files) {
  const bytes = fs.readFileSync(file);
  const loads = [];
  let runMs = 0;
  for (let i = 0; i < LOADS; i++) {
    const start = performance.now();
    const model = await loadModel(bytes, { simd: true, wasmBase: WASM_DIR });
    loads.push(performance.now() - start);
    const runStart = performance.now();
    model.run('This movie was wonderful, the acting superb.');
    runMs = performance.now() - runStart;
    model.dispose();
  }
  loads.sort((a, b) => a - b);
  console.log(`${path.basename(file)}: ${(bytes.length / 1e6).toFixed(2)} MB; load median ${loads[LOADS >> 1].toFixed(0)} ms `
    + `(min ${loads[0].toFixed(0)}, max ${loads[LOADS - 1].toFixed(0)}); a 7-word run() ${runMs.toFixed(2)} ms`);
}

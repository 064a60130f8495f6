// The word menu's suggestions (docs/js-api.md: nearestWords, oppositeWords): the first call on a
// model (embedding norms; every word's effect, one batched pass over the vocabulary) and later calls
// (cached), per shipped model, in both wasm builds. docs/performance.md records the figures.
//
//   scripts/build-wasm.sh && node bench/wasm/suggestions.mjs [--repeats N]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadModel } from '../../wasm/api/unroll.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WASM_DIR = process.env.UNROLL_WASM_DIR || path.join(ROOT, 'build', 'web-wasm');
const i = process.argv.indexOf('--repeats');
const REPEATS = i >= 0 ? Number(process.argv[i + 1]) : 50;
const MODELS = ['seed-rnn', 'bi-rnn', 'best'];
const WORDS = ['good', 'terrible', 'movie', 'plot', 'actor', 'boring', 'great', 'not'];

const ms = (start) => performance.now() - start;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}, ${REPEATS} later calls`);
console.log('model      build   first nearest  first opposite  later nearest  later opposite  (ms; later: median)');
const rows = [];
for (const build of ['simd', 'scalar']) {
  for (const name of MODELS) {
    const model = await loadModel(fs.readFileSync(path.join(ROOT, 'models', `${name}.safetensors`)), { simd: build === 'simd', wasmBase: WASM_DIR, name });
    try {
      const ids = WORDS.map((w) => model.tokenize(w).tokens[0].id);
      let start = performance.now();
      model.nearestWords(ids[0], 8);
      const firstNearest = ms(start);
      start = performance.now();
      model.oppositeWords(ids[0], 8);
      const firstOpposite = ms(start);
      const nearest = [];
      const opposite = [];
      for (let r = 0; r < REPEATS; r++) {
        const id = ids[r % ids.length];
        start = performance.now();
        model.nearestWords(id, 8);
        nearest.push(ms(start));
        start = performance.now();
        model.oppositeWords(id, 8);
        opposite.push(ms(start));
      }
      const row = { model: name, build, firstNearest, firstOpposite, laterNearest: median(nearest), laterOpposite: median(opposite) };
      rows.push(row);
      console.log(`${name.padEnd(10)} ${build.padEnd(7)} ${firstNearest.toFixed(1).padStart(13)} ${firstOpposite.toFixed(1).padStart(15)} ${row.laterNearest.toFixed(2).padStart(14)} ${row.laterOpposite.toFixed(2).padStart(15)}`);
    } finally {
      model.dispose();
    }
  }
}
console.log(JSON.stringify(rows));

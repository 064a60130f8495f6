// Long use at the JS API, on both builds and the shipped models: 10,000 consecutive runs and 100
// model switches leave the wasm heap (linear memory size and the allocator's break) and the JS heap
// (after a full GC) flat. The figures are printed as test diagnostics; docs/robustness.md keeps a
// copy. Run: scripts/build-wasm.sh && node --test tests/js/

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, test } from 'node:test';

import { loadModel } from '../../wasm/api/unroll.js';
import { BUILDS, ROOT } from './helpers.mjs';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const MODELS = ['seed-rnn', 'bi-rnn', 'best'].map((name) => ({ name, file: path.join(ROOT, 'models', `${name}.safetensors`) }));
const missing = MODELS.filter((m) => !fs.existsSync(m.file)).map((m) => m.name);
// In CI and under scripts/test.sh a missing model fails (in loadModel) instead of skipping.
const REQUIRE_REAL = process.env.CI === 'true' || process.env.UNROLL_REQUIRE_REAL === '1';
const REVIEWS = [
  'A wonderful, moving film. The acting is superb, the music is beautiful and I loved every minute of it.',
  'Boring, predictable and far too long. The acting is awful and the plot is a mess. <br /><br />1/10',
  'Not bad at all 👍 中文 עברית — could have been shorter.',
  '',
];

/** JS heap in use after two full collections (bytes). */
function jsHeap() {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const MB = (bytes) => `${(bytes / 1048576).toFixed(2)} MB`;
const JS_SLACK = 2 * 1048576; // allocation-site feedback, inline caches, interned strings

for (const build of BUILDS) {
  describe(`long use, ${build.name} build`, { skip: !REQUIRE_REAL && missing.length > 0 && `models missing: ${missing.join(', ')}` }, () => {
    test('10,000 consecutive runs leave the wasm heap and the JS heap flat', async (t) => {
      const model = await loadModel(fs.readFileSync(MODELS[0].file), { ...build.options, name: 'seed-rnn.safetensors' });
      try {
        for (const r of REVIEWS) model.run(r); // warm up: buffers sized for these lengths
        const wasmBefore = model.memory();
        const jsBefore = jsHeap();
        const start = performance.now();
        let positives = 0;
        for (let i = 0; i < 10_000; i++) {
          const r = model.run(REVIEWS[i % REVIEWS.length]);
          if (r.label === 'positive') positives++;
        }
        const seconds = (performance.now() - start) / 1000;
        const wasmAfter = model.memory();
        const jsAfter = jsHeap();
        t.diagnostic(`${build.name}: 10,000 runs in ${seconds.toFixed(1)} s; wasm heap ${MB(wasmBefore.heapSize)} → ${MB(wasmAfter.heapSize)}, ` +
          `break ${wasmBefore.heapBreak} → ${wasmAfter.heapBreak} (+${wasmAfter.heapBreak - wasmBefore.heapBreak} B); ` +
          `JS heap ${MB(jsBefore)} → ${MB(jsAfter)} (${jsAfter >= jsBefore ? '+' : ''}${((jsAfter - jsBefore) / 1024).toFixed(0)} KB); emval handles ${wasmAfter.emvalHandles}`);
        assert.ok(positives > 0 && positives < 10_000);
        assert.equal(wasmAfter.heapSize, wasmBefore.heapSize);
        assert.equal(wasmAfter.heapBreak, wasmBefore.heapBreak);
        assert.equal(wasmAfter.emvalHandles, 0);
        assert.ok(jsAfter - jsBefore < JS_SLACK, `JS heap grew ${MB(jsAfter - jsBefore)}`);
      } finally {
        model.dispose();
      }
    });

    test('100 model switches (load, run, dispose the previous one) return the memory', async (t) => {
      const files = MODELS.map((m) => ({ name: `${m.name}.safetensors`, bytes: fs.readFileSync(m.file) }));
      const switchTo = async (i, previous) => {
        const { name, bytes } = files[i % files.length];
        const next = await loadModel(bytes, { ...build.options, name });
        next.run(REVIEWS[i % REVIEWS.length]);
        previous?.dispose();
        return next;
      };
      // Warm up: emmalloc's free lists settle (the heap grows to a plateau: two models coexist
      // during a switch, plus the file's bytes and the parsed header). Where the plateau is depends
      // on how the earlier test left the heap: best's 20 MB input tables have, at times, found no
      // free block until the ~125th switch, then never again (400 switches measured). So the warm-up
      // lasts until 60 switches in a row leave the break where it is (at most 400 switches).
      let current = null;
      let steady = 0;
      for (let i = 0, last = -1; i < 400 && steady < 60; i++) {
        current = await switchTo(i, current);
        const heapBreak = current.memory().heapBreak;
        steady = heapBreak === last ? steady + 1 : 0;
        last = heapBreak;
      }
      assert.equal(steady, 60, 'the heap never settled in 400 model switches');
      const wasmBefore = current.memory();
      const jsBefore = jsHeap();
      const start = performance.now();
      for (let i = 0; i < 100; i++) current = await switchTo(i, current);
      const seconds = (performance.now() - start) / 1000;
      const wasmAfter = current.memory();
      current.dispose();
      const jsAfter = jsHeap();
      t.diagnostic(`${build.name}: 100 switches in ${seconds.toFixed(1)} s; wasm heap ${MB(wasmBefore.heapSize)} → ${MB(wasmAfter.heapSize)}, ` +
        `break ${wasmBefore.heapBreak} → ${wasmAfter.heapBreak} (+${wasmAfter.heapBreak - wasmBefore.heapBreak} B); ` +
        `JS heap ${MB(jsBefore)} → ${MB(jsAfter)} (${jsAfter >= jsBefore ? '+' : ''}${((jsAfter - jsBefore) / 1024).toFixed(0)} KB); emval handles ${wasmAfter.emvalHandles}`);
      assert.equal(wasmAfter.heapSize, wasmBefore.heapSize);
      assert.equal(wasmAfter.heapBreak, wasmBefore.heapBreak);
      assert.equal(wasmAfter.emvalHandles, 0);
      assert.ok(jsAfter - jsBefore < JS_SLACK, `JS heap grew ${MB(jsAfter - jsBefore)}`);
    });
  });
}

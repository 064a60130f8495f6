// Long use in Chromium (docs/robustness.md): 10,000 runs and 100 model switches through the API
// inside the page leave the wasm heap and the JS heap flat; switching models in the UI leaves the
// JS heap and the DOM flat; typing into a 400-word review loses no key and never hangs.
// UNROLL_SOAK=1 adds the 100 switches through the UI (slow: each one redraws every view).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { USE_MOCK, openPage, waitReady, waitModel, waitDomSettled, useServerAndBrowser } from './helpers.js';
import { typeTenWords, KEYS } from '../../bench/page/typing.mjs';

const REAL = !USE_MOCK;
const SOAK = process.env.UNROLL_SOAK === '1';
const env = useServerAndBrowser();

const MB = (bytes) => `${(bytes / 1048576).toFixed(2)} MB`;

/** JS heap in use after a full collection (CDP), bytes. */
async function jsHeap(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

test('10,000 runs and 100 model switches through the API leave the wasm and JS heaps flat', { skip: !REAL && 'needs the real wasm build' }, async () => {
  const { page, errors } = await openPage(env.browser.context, env.server.url);
  await waitReady(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await page.evaluate(async () => {
    const api = await import('/wasm/api/unroll.js');
    window.__api = api;
    window.__model = await api.loadModel('/models/seed-rnn.safetensors');
    window.__reviews = ['A wonderful, moving film. The acting is superb and I loved it.', 'Boring and far too long. <br /> 1/10', '中文 👍 עברית', ''];
    for (const r of window.__reviews) window.__model.run(r);
  });
  const wasm0 = await page.evaluate(() => window.__model.memory());
  const js0 = await jsHeap(cdp);
  const runMs = await page.evaluate(() => {
    const t0 = performance.now();
    for (let i = 0; i < 10_000; i++) window.__model.run(window.__reviews[i % 4]);
    return performance.now() - t0;
  });
  const wasm1 = await page.evaluate(() => window.__model.memory());
  const js1 = await jsHeap(cdp);
  console.log(`# Chromium, 10,000 runs in ${(runMs / 1000).toFixed(1)} s: wasm heap ${MB(wasm0.heapSize)} → ${MB(wasm1.heapSize)}, ` +
    `break +${wasm1.heapBreak - wasm0.heapBreak} B; JS heap ${MB(js0)} → ${MB(js1)} (${((js1 - js0) / 1024).toFixed(0)} KB)`);
  assert.equal(wasm1.heapSize, wasm0.heapSize);
  assert.equal(wasm1.heapBreak, wasm0.heapBreak);
  assert.equal(wasm1.emvalHandles, 0);
  assert.ok(js1 - js0 < 2 * 1048576, `JS heap grew ${MB(js1 - js0)}`);

  // 100 switches: load the next model, run it, dispose the previous one (files fetched once).
  const switchAll = (n) => page.evaluate(async (count) => {
    const names = ['seed-rnn', 'bi-rnn', 'best'];
    window.__bytes ??= await Promise.all(names.map((n) => fetch(`/models/${n}.safetensors`).then((r) => r.arrayBuffer())));
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const next = await window.__api.loadModel(window.__bytes[i % 3], { name: `${names[i % 3]}.safetensors` });
      next.run(window.__reviews[i % 4]);
      window.__model.dispose();
      window.__model = next;
    }
    return performance.now() - t0;
  }, n);
  await switchAll(30); // the allocator's free lists settle (two models coexist during a switch)
  const wasm2 = await page.evaluate(() => window.__model.memory());
  const js2 = await jsHeap(cdp);
  const switchMs = await switchAll(100);
  const wasm3 = await page.evaluate(() => window.__model.memory());
  const js3 = await jsHeap(cdp);
  console.log(`# Chromium, 100 switches in ${(switchMs / 1000).toFixed(1)} s: wasm heap ${MB(wasm2.heapSize)} → ${MB(wasm3.heapSize)}, ` +
    `break +${wasm3.heapBreak - wasm2.heapBreak} B; JS heap ${MB(js2)} → ${MB(js3)} (${((js3 - js2) / 1024).toFixed(0)} KB)`);
  assert.equal(wasm3.heapSize, wasm2.heapSize);
  assert.equal(wasm3.heapBreak, wasm2.heapBreak);
  assert.equal(wasm3.emvalHandles, 0);
  assert.ok(js3 - js2 < 2 * 1048576, `JS heap grew ${MB(js3 - js2)}`);
  await page.evaluate(() => window.__model.dispose());
  assert.deepEqual(errors, []);
  await page.close();
});

test(`switching models in the UI ${SOAK ? 100 : 12} times leaves the JS heap and the DOM flat`, async () => {
  const { page, errors } = await openPage(env.browser.context, env.server.url);
  await waitReady(page);
  const cdp = await page.context().newCDPSession(page);
  const names = ['bi-rnn', 'best', 'seed-rnn'];
  const cycle = async (n) => {
    for (let i = 0; i < n; i++) {
      await page.selectOption('#model-select', names[i % 3]);
      await waitModel(page, names[i % 3]);
    }
  };
  await cycle(6);
  const nodes0 = await waitDomSettled(page);
  const js0 = await jsHeap(cdp);
  await cycle(SOAK ? 100 : 12); // a multiple of 3: back on the same model
  const nodes1 = await waitDomSettled(page);
  const js1 = await jsHeap(cdp);
  console.log(`# Chromium, UI switches: DOM ${nodes0} → ${nodes1} elements; JS heap ${MB(js0)} → ${MB(js1)} (${((js1 - js0) / 1024).toFixed(0)} KB)`);
  assert.equal(nodes1, nodes0);
  assert.ok(js1 - js0 < 2 * 1048576, `JS heap grew ${MB(js1 - js0)}`);
  assert.deepEqual(errors, []);
  await page.close();
});

// The aim is no task of 100 ms or more while typing, but on a shared 2-core machine the longest
// task follows the load (68–270 ms seen for the same commit), so that figure is a benchmark
// (bench/page/typing.mjs, docs/robustness.md). The test checks what must always hold: every
// keystroke lands, the runs are debounced (fewer than the keystrokes) and nothing hangs (no task of
// 500 ms or more: several times the worst seen under load).
test('typing into a 400-word review: every key lands, runs are debounced, no task of 500 ms or more', async () => {
  const { page, errors } = await openPage(env.browser.context, env.server.url);
  const { long, runs, text, review } = await typeTenWords(page);
  console.log(`# typing 10 words into 390: ${runs} runs; long tasks (ms): ${long.join(', ') || 'none'}`);
  assert.equal(text, `${review} and i loved every minute of it truly wonderful film`);
  assert.ok(runs >= 1 && runs < KEYS, `${runs} runs for ${KEYS} keys`);
  assert.ok(long.every((d) => d < 500), `long tasks: ${long.join(', ')} ms`);
  assert.deepEqual(errors, []);
  await page.close();
});

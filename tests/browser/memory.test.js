// Long use in Chromium (docs/robustness.md): 10,000 runs and 100 model switches through the API
// inside the page leave the wasm heap and the JS heap flat; switching models in the UI leaves the
// JS heap and the DOM flat; typing into a 400-word review never blocks a frame for 100 ms.
// UNROLL_SOAK=1 adds the 100 switches through the UI (slow: each one redraws every view).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { USE_MOCK, startServer, startBrowser, openPage, waitReady, waitModel } from './helpers.js';

const REAL = !USE_MOCK;
const SOAK = process.env.UNROLL_SOAK === '1';
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const MB = (bytes) => `${(bytes / 1048576).toFixed(2)} MB`;

/** JS heap in use after a full collection (CDP), bytes. */
async function jsHeap(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

test('10,000 runs and 100 model switches through the API leave the wasm and JS heaps flat', { skip: !REAL && 'needs the real wasm build' }, async () => {
  const { page, errors } = await openPage(browser.context, server.url);
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
  const { page, errors } = await openPage(browser.context, server.url);
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
  const nodes0 = await page.evaluate(() => document.getElementsByTagName('*').length);
  const js0 = await jsHeap(cdp);
  await cycle(SOAK ? 100 : 12); // a multiple of 3: back on the same model
  const nodes1 = await page.evaluate(() => document.getElementsByTagName('*').length);
  const js1 = await jsHeap(cdp);
  console.log(`# Chromium, UI switches: DOM ${nodes0} → ${nodes1} elements; JS heap ${MB(js0)} → ${MB(js1)} (${((js1 - js0) / 1024).toFixed(0)} KB)`);
  assert.equal(nodes1, nodes0);
  assert.ok(js1 - js0 < 2 * 1048576, `JS heap grew ${MB(js1 - js0)}`);
  assert.deepEqual(errors, []);
  await page.close();
});

// todo: on the loaded 2-core test machine this sees long tasks of 70–270 ms (each debounced run
// redraws every view synchronously); the figures are printed and kept in docs/robustness.md.
test('typing into a 400-word review: no long task over 100 ms', async () => {
  const { page, errors } = await openPage(browser.context, server.url);
  await waitReady(page);
  const words = 'the film was a quiet and moving story about a family with great acting but a slow middle part'.split(' ');
  const review = Array.from({ length: 390 }, (_, i) => words[i % words.length]).join(' ');
  const runs = Number(await page.getAttribute('#app', 'data-runs'));
  await page.fill('#review', review);
  await waitReady(page, runs + 1);
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(Math.round(e.duration)); }).observe({ type: 'longtask' });
  });
  await page.focus('#review');
  await page.keyboard.press('End');
  // Ten more words (400 in all), with a pause after each so the debounced run happens mid-typing.
  for (const word of ['and', 'i', 'loved', 'every', 'minute', 'of', 'it', 'truly', 'wonderful', 'film']) {
    await page.keyboard.type(` ${word}`, { delay: 20 });
    await page.waitForTimeout(250);
  }
  await waitReady(page, runs + 5);
  const long = await page.evaluate(() => window.__long);
  const runCount = Number(await page.getAttribute('#app', 'data-runs')) - runs - 1;
  console.log(`# typing 10 words into 390: ${runCount} runs; long tasks (ms): ${long.join(', ') || 'none'}`);
  assert.ok(long.every((d) => d < 100), `long tasks: ${long.join(', ')} ms`);
  assert.deepEqual(errors, []);
  await page.close();
});

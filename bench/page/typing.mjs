// Long tasks while typing into a 390-word review (docs/robustness.md, "Responsiveness while
// typing"): the page's aim is no task of 100 ms or more. A benchmark, not a test: on a shared
// machine the figures follow the load, so they are printed, and tests/browser/memory.test.js only
// fails on a hang (a task of 500 ms or more). Dev server, real wasm module, headless Chromium.
// Usage: node bench/page/typing.mjs [runs=5]
import { startServer, startBrowser, openPage, waitReady, USE_MOCK } from '../../tests/browser/helpers.js';

const TYPED = ['and', 'i', 'loved', 'every', 'minute', 'of', 'it', 'truly', 'wonderful', 'film'];
/** Keys pressed by typeTenWords (a space before each word). */
export const KEYS = TYPED.reduce((n, w) => n + 1 + w.length, 0);

/** Types ten words into a 390-word review, a pause after each; returns the long tasks (ms) and runs. */
export async function typeTenWords(page) {
  await waitReady(page);
  const words = 'the film was a quiet and moving story about a family with great acting but a slow middle part'.split(' ');
  const review = Array.from({ length: 390 }, (_, i) => words[i % words.length]).join(' ');
  const runs0 = Number(await page.getAttribute('#app', 'data-runs'));
  await page.fill('#review', review);
  await waitReady(page, runs0 + 1);
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(Math.round(e.duration)); }).observe({ type: 'longtask' });
  });
  await page.focus('#review');
  await page.keyboard.press('End');
  // A pause after each word so that the debounced run happens mid-typing.
  for (const word of TYPED) {
    await page.keyboard.type(` ${word}`, { delay: 20 });
    await page.waitForTimeout(250);
  }
  await waitReady(page, runs0 + 5);
  return {
    long: await page.evaluate(() => window.__long),
    runs: Number(await page.getAttribute('#app', 'data-runs')) - runs0 - 1,
    text: await page.inputValue('#review'),
    review,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (USE_MOCK) throw new Error('needs the real wasm build (scripts/build-wasm.sh) and models/');
  const runs = Number(process.argv[2] || 5);
  const server = await startServer();
  const browser = await startBrowser();
  try {
    const all = [];
    for (let i = 0; i < runs; i++) {
      const { page } = await openPage(browser.context, server.url);
      const { long, runs: n } = await typeTenWords(page);
      all.push(...long);
      console.log(`run ${i + 1}: ${n} debounced runs; long tasks (ms): ${long.join(', ') || 'none'}`);
      await page.close();
    }
    const over = all.filter((d) => d >= 100).length;
    console.log(`longest task ${Math.max(0, ...all)} ms; ${over} of ${all.length} long tasks at 100 ms or more, in ${runs} runs`);
  } finally {
    await browser.close();
    await server.close();
  }
}

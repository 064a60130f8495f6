// What a huge review costs through the JS API: run() (window + 16 tokens), tokenize() (every token)
// and logit(), for 1 MB and 10 MB of mixed text, with the wasm heap before and after. One fresh
// module per build (node), so the heap figures start from the module's 16 MB.
// Usage: node --no-experimental-fetch bench/wasm/huge-review.mjs [simd|scalar]
import { loadModel } from '../../wasm/api/unroll.js';

const build = process.argv[2] || 'simd';
const model = await loadModel(new URL('../../models/seed-rnn.safetensors', import.meta.url), { simd: build === 'simd' });
const unit = 'A good film with 中文 words and emoji 😀 that goes on and on. ';
const mb = (bytes) => (bytes / (1024 * 1024)).toFixed(1); // MiB, as docs/robustness.md
const time = (fn) => {
  const start = performance.now();
  const value = fn();
  return [performance.now() - start, value];
};

console.log(`build ${build}, model seed-rnn; wasm heap at start ${mb(model.memory().heapSize)} MiB`);
for (const bytes of [1_000_000, 10_000_000]) {
  const text = unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));
  const before = model.memory().heapSize;
  const runs = [];
  let r;
  for (let i = 0; i < 3; i++) {
    let ms;
    [ms, r] = time(() => model.run(text));
    runs.push(ms);
  }
  const afterRun = model.memory().heapSize;
  const [logitMs] = time(() => model.logit(text));
  const [tokenizeMs, all] = time(() => model.tokenize(text));
  console.log(`${Buffer.byteLength(text).toLocaleString('en-US')} bytes, ${r.totalTokens.toLocaleString('en-US')} words: ` +
    `run() ${Math.min(...runs).toFixed(0)} ms (best of 3, ${r.tokens.length} tokens returned), ` +
    `logit() ${logitMs.toFixed(0)} ms, tokenize() ${tokenizeMs.toFixed(0)} ms (${all.tokens.length.toLocaleString('en-US')} tokens); ` +
    `heap ${mb(before)} → ${mb(afterRun)} MiB after run(), ${mb(model.memory().heapSize)} MiB after tokenize()`);
}
model.dispose();

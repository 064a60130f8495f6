// Hostile input at the JS API (docs/robustness.md), on both wasm builds: odd and huge reviews,
// markup in reviews and in a model's metadata, and broken model files. Every case must end in a
// correct result or an Error whose message says what is wrong, in bounded time, and leave the
// module usable (a good model still loads and runs afterwards).
// Run: scripts/build-wasm.sh && node --test tests/js/

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';

import { loadModel } from '../../wasm/api/unroll.js';
import { BUILDS, fixturePath } from './helpers.mjs';

const FIXTURE = fs.readFileSync(fixturePath('simple_rnn.safetensors'));

// ---- a tiny safetensors reader/writer (docs/model-format.md), for crafting hostile files ----

/** { header (parsed JSON, incl. __metadata__), data (Buffer) } of a safetensors file. */
function parse(bytes) {
  const n = Number(Buffer.from(bytes).readBigUInt64LE(0));
  return { header: JSON.parse(Buffer.from(bytes).subarray(8, 8 + n).toString('utf8')), data: Buffer.from(bytes).subarray(8 + n) };
}

/** The file for a header object (or raw JSON text) and data bytes; the header is space-padded to 8. */
function write(header, data) {
  let json = typeof header === 'string' ? header : JSON.stringify(header);
  const length = Buffer.byteLength(json);
  json += ' '.repeat((8 - (length % 8)) % 8);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return Buffer.concat([head, Buffer.from(json, 'utf8'), data]);
}

/** The fixture with `edit(header, data)` applied (metadata values are strings). */
function craft(edit) {
  const { header, data } = parse(FIXTURE);
  const copy = Buffer.from(data);
  const out = edit(header, copy) ?? copy;
  return write(header, out);
}

// ---- helpers ----

/** Runs `fn`, asserting it takes less than `ms` milliseconds; returns its result. */
function timed(ms, label, fn) {
  const start = performance.now();
  const value = fn();
  const took = performance.now() - start;
  assert.ok(took < ms, `${label}: ${took.toFixed(0)} ms ≥ ${ms} ms`);
  return value;
}

async function timedAsync(ms, label, fn) {
  const start = performance.now();
  const value = await fn();
  const took = performance.now() - start;
  assert.ok(took < ms, `${label}: ${took.toFixed(0)} ms ≥ ${ms} ms`);
  return value;
}

/** A result is sane: probability in [0, 1], finite logit, tokens' spans index `text`. */
function assertSane(r, text, maxlen) {
  assert.ok(Number.isFinite(r.logit), `finite logit (${r.logit})`);
  assert.ok(r.probability >= 0 && r.probability <= 1, `probability ${r.probability}`);
  assert.equal(r.label, r.probability >= 0.5 ? 'positive' : 'negative');
  assert.equal(r.steps, r.ids.length);
  if (maxlen) assert.equal(r.steps, maxlen);
  for (const layer of r.layers) assert.ok(layer.hidden.every(Number.isFinite), 'finite hidden states');
  let previous = 0;
  for (const t of r.tokens) {
    assert.ok(t.begin >= previous && t.begin < t.end && t.end <= text.length, `span [${t.begin}, ${t.end}) in order, inside the text`);
    previous = t.end;
  }
}

/** A message that names the file and says something (not a bare "Error" or an abort). */
function named(name, pattern) {
  return (e) => {
    assert.ok(e instanceof Error, `an Error, got ${e}`);
    assert.ok(e.message.startsWith(`${name}: `), `message names the file: ${e.message}`);
    assert.ok(!/abort|RuntimeError|unreachable|memory access out of bounds/i.test(e.message), `no crash: ${e.message}`);
    if (pattern) assert.match(e.message, pattern);
    return true;
  };
}

const EMOJI = '👍🏽 great 👨‍👩‍👧 family film 🇫🇷 🎬🍿';
const COMBINING = 'Ame\u0301lie is cafe\u0301 cre\u0300me bru\u0302le\u0301e Z\u0335\u0321a\u0337l\u0336g\u0338o\u0334';
const RTL = 'فيلم رائع جدا ‏ סרט נהדר \u202eevil\u202c ok';
const CHINESE = '这部电影非常好看，演员的表演很精彩。我很喜欢！';
const CONTROL = 'good\0film\x01\x02\x07\b\t\v\f\r\x1b[31mred\x1b[0m\x7f\u0085\u2028\u2029\ufeff end\0';
const SURROGATES = 'lone \ud800 high \udc00 low \ud83d'; // encoded as U+FFFD by TextEncoder
const HTML = ['<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=2">', '"><svg onload=window.__pwned=3>',
  "'><iframe src=javascript:alert(1)>", '{{constructor.constructor("return 1")()}}', '${alert(1)}', '<!-- -->', '</textarea><b>x'].join(' great ');

for (const build of BUILDS) {
  describe(`hostile reviews, ${build.name} build`, () => {
    const load = () => loadModel(fixturePath('lstm_stacked_bi.safetensors'), build.options);

    test('empty, whitespace only, markup only: no words, a full padded sequence, a finite verdict', async () => {
      const model = await load();
      try {
        for (const text of ['', ' ', '   \n\t\r\n  ', '\u3000\u00a0\u2003', '<br /><br />', '.,;:!?']) {
          const r = model.run(text);
          assertSane(r, text, model.info.maxlen);
          assert.equal(r.tokens.length, 0, JSON.stringify(text));
          assert.equal(r.keptTokens, 0);
        }
      } finally {
        model.dispose();
      }
    });

    test('emoji, combining marks, right-to-left, Chinese, control characters, lone surrogates', async () => {
      const model = await load();
      try {
        for (const text of [EMOJI, COMBINING, RTL, CHINESE, CONTROL, SURROGATES, `${EMOJI}${RTL}${CHINESE}${CONTROL}`]) {
          const r = model.run(text);
          assertSane(r, text, model.info.maxlen);
          assert.ok(r.tokens.length > 0, JSON.stringify(text));
          for (const t of r.tokens) assert.ok(t.text.length > 0 && !/[\0\s]/.test(t.text), `token ${JSON.stringify(t.text)}`);
        }
        // NUL separates words (it is not part of one) and is passed through, not a C string end.
        assert.deepEqual(model.run('good\0film\0').tokens.map((t) => t.text), ['good', 'film']);
        assert.deepEqual(model.run(CHINESE).tokens.map((t) => t.text).join(''), '这部电影非常好看演员的表演很精彩我很喜欢');
        assert.deepEqual(model.run(RTL).tokens.slice(0, 3).map((t) => t.text), ['فيلم', 'رائع', 'جدا']);
      } finally {
        model.dispose();
      }
    });

    test('HTML and script in a review are plain text: tags are skipped, words are read', async () => {
      const model = await load();
      try {
        globalThis.__pwned = 0;
        const r = model.run(HTML);
        assertSane(r, HTML, model.info.maxlen);
        assert.equal(globalThis.__pwned, 0);
        assert.ok(r.tokens.some((t) => t.text === 'great'));
        for (const t of r.tokens) assert.equal(HTML.slice(t.begin, t.end).toLowerCase(), t.text.replace(/'/g, "'"), 'spans index the text');
      } finally {
        delete globalThis.__pwned;
        model.dispose();
      }
    });

    test('a single 100,000-character word is one out-of-vocabulary token', async () => {
      const model = await load();
      try {
        for (const word of ['a'.repeat(100_000), 'é'.repeat(100_000), '中'.repeat(100_000)]) {
          const r = timed(10_000, `${word[0]}×100000`, () => model.run(`good ${word} film`));
          assertSane(r, `good ${word} film`, model.info.maxlen);
          assert.equal(r.tokens.length, 3);
          assert.equal(r.tokens[1].text.length, 100_000);
          assert.equal(r.tokens[1].oov, true);
        }
      } finally {
        model.dispose();
      }
    });

    test('1 MB and 10 MB reviews run in bounded time; the window is the last maxlen words', async () => {
      const model = await load();
      try {
        const unit = 'w1 w2 中文 😀 <b>w3</b> w4, w5! ';
        for (const [bytes, limit] of [[1_000_000, 15_000], [10_000_000, 90_000]]) {
          const text = unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));
          const r = timed(limit, `${bytes} bytes`, () => model.run(text));
          assertSane(r, text, model.info.maxlen);
          assert.ok(r.totalTokens > bytes / 10);
          assert.ok(r.keptTokens >= model.info.maxlen - 1 && r.keptTokens <= model.info.maxlen, `kept ${r.keptTokens}`);
          assert.equal(r.tokens.at(-1).end, text.lastIndexOf('w5') + 2);
          assert.equal(model.logit(text), r.logit);
        }
        // Still fine afterwards.
        assertSane(model.run('w1 w2'), 'w1 w2', model.info.maxlen);
      } finally {
        model.dispose();
      }
    });

    test('a 10 MB review costs the window, not its length: O(maxlen) tokens handed over, little heap', async () => {
      const model = await load();
      try {
        const unit = 'w1 w2 中文 😀 <b>w3</b> w4, w5! ';
        const text = unit.repeat(Math.ceil(10_000_000 / Buffer.byteLength(unit)));
        const before = model.memory().heapBreak;
        const r = timed(10_000, '10 MB run', () => model.run(text));
        const grown = model.memory().heapBreak - before;
        console.log(`# 10 MB run (${build.name}): heap break +${(grown / 1e6).toFixed(1)} MB`);
        // The text itself passes through twice (Embind's copy, the std::string); nothing per token.
        assert.ok(grown < 3 * 10_000_000, `heap grew by ${grown} bytes`);
        const { maxlen } = model.info;
        assert.ok(r.tokens.length <= maxlen + 16, `${r.tokens.length} tokens handed over`);
        assert.equal(r.firstToken + r.tokens.length, r.totalTokens, "truncating 'pre': the last words");
        r.tokens.forEach((tk, i) => assert.equal(tk.index, r.firstToken + i));
        assert.equal(r.tokens.filter((tk) => tk.inWindow).length, r.keptTokens);
        for (let t = 0; t < r.steps; t++) {
          if (r.tokenIndex[t] >= 0) assert.equal(r.tokens[r.tokenIndex[t]].position, t, `step ${t}`);
        }
        assert.ok(r.oovTokens > 0 && r.oovTokens < r.totalTokens);
      } finally {
        model.dispose();
      }
    });

    test('run() keeps the window and 16 tokens, tokenize() every one; counts and effects agree', async () => {
      const model = await load();
      try {
        const { maxlen } = model.info;
        const words = Array.from({ length: maxlen + 40 }, (_, i) => `w${(i * 7) % 13}`);  // w10..w12 unknown
        const text = words.join(' ');
        const all = model.tokenize(text);
        const r = model.run(text);
        assert.equal(all.tokens.length, words.length);
        assert.equal(all.firstToken, 0);
        assert.equal(r.totalTokens, words.length);
        assert.equal(r.oovTokens, all.tokens.filter((tk) => tk.oov).length);
        assert.equal(all.oovTokens, r.oovTokens);
        assert.equal(r.tokens.length, maxlen + 16);
        assert.deepEqual(r.tokens, all.tokens.slice(r.firstToken), 'the same token objects, from firstToken on');
        assert.deepEqual(r.ids, all.ids);
        for (let t = 0; t < r.steps; t++) {
          const i = r.tokenIndex[t];
          assert.equal(i < 0 ? -1 : i + r.firstToken, all.tokenIndex[t], `step ${t}`);
        }
        // Leave-one-out lines up with run().tokens and is what it says: the logit without the word.
        const effects = model.leaveOneOut(text);
        assert.equal(effects.length, r.tokens.length);
        for (const i of [0, 15, 16, 17, r.tokens.length - 1]) {
          const tk = r.tokens[i];
          if (!tk.inWindow) { assert.ok(Number.isNaN(effects[i]), `token ${i} outside the window`); continue; }
          const without = text.slice(0, tk.begin) + text.slice(tk.end);
          assert.ok(Math.abs(effects[i] - (r.logit - model.logit(without))) < 1e-5, `token ${i}`);
        }
      } finally {
        model.dispose();
      }
    });

    test('beyond 16 MB a review is refused with a message, and the model keeps working', async () => {
      const model = await load();
      try {
        const text = 'w1 '.repeat(6 * 1024 * 1024); // 18 MB
        for (const call of ['run', 'tokenize', 'logit', 'leaveOneOut']) {
          assert.throws(() => model[call](text), { message: 'review is too long: 18.0 MB of text (at most 16.0 MB)' }, call);
        }
        assertSane(model.run('w1 w2'), 'w1 w2', model.info.maxlen);
      } finally {
        model.dispose();
      }
    });

    test('many tags, many "<" without ">", many apostrophes: linear time', async () => {
      const model = await load();
      try {
        for (const text of ['<a'.repeat(500_000), '<b>'.repeat(300_000), "'".repeat(1_000_000), "a'".repeat(500_000), '&amp;'.repeat(200_000)]) {
          const r = timed(20_000, JSON.stringify(text.slice(0, 6)), () => model.run(text));
          assertSane(r, text, model.info.maxlen);
        }
      } finally {
        model.dispose();
      }
    });
  });

  describe(`hostile model files, ${build.name} build`, () => {
    const opts = (name) => ({ ...build.options, name });

    test('zero-length, 1-byte and 7-byte files are "too short"', async () => {
      for (const bytes of [new Uint8Array(0), new Uint8Array(1), FIXTURE.subarray(0, 7)]) {
        await assert.rejects(loadModel(bytes, opts('short.safetensors')), named('short.safetensors', /too short|bytes/));
      }
    });

    test('every truncation of a good file is rejected with a message', async () => {
      for (let n = 8; n < FIXTURE.length; n++) {
        await assert.rejects(loadModel(FIXTURE.subarray(0, n), opts('cut.safetensors')), named('cut.safetensors'), `cut at ${n}`);
      }
    });

    test('header lengths 0, 2^63, 2^64−1 and past the end are rejected before allocating', async () => {
      const m0 = (await loadModel(fixturePath('simple_rnn.safetensors'), build.options));
      const before = m0.memory();
      for (const length of [0n, 1n, 7n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 32n, BigInt(FIXTURE.length)]) {
        const bytes = Buffer.from(FIXTURE);
        bytes.writeBigUInt64LE(length);
        await timedAsync(2000, `length ${length}`, () => assert.rejects(loadModel(bytes, opts('len.safetensors')), named('len.safetensors'), `length ${length}`));
      }
      assert.equal(m0.memory().heapSize, before.heapSize, 'no allocation sized by the corrupt length');
      m0.dispose();
    });

    test('a file over 128 MB, or whose header length is impossible, is refused before it is copied into wasm', async () => {
      const m0 = await loadModel(fixturePath('simple_rnn.safetensors'), build.options);
      const before = m0.memory().heapSize;
      const huge = new Uint8Array(129 * 1024 * 1024);
      huge.set(FIXTURE);
      await assert.rejects(loadModel(huge, opts('huge.safetensors')), named('huge.safetensors', /file is 129\.0 MB, more than the 128\.0 MB a model may have/));
      const big = new Uint8Array(100 * 1024 * 1024);  // 100 MB whose header length points past the end
      new DataView(big.buffer).setBigUint64(0, 2n ** 40n, true);
      await assert.rejects(loadModel(big, opts('big.safetensors')), named('big.safetensors', /header length 1099511627776 runs past the end/));
      assert.equal(m0.memory().heapSize, before, 'neither file reached the wasm heap');
      m0.dispose();
    });

    test('a 50 MB JSON header loads in bounded time (junk metadata is ignored); 110 MB is refused', async () => {
      const fill = 'x'.repeat(50 * 1024 * 1024);
      const big = craft((h) => { h.__metadata__.junk = fill; });
      const model = await timedAsync(30_000, '50 MB header', () => loadModel(big, opts('big.safetensors')));
      assert.equal(model.info.provenance.seed, 101);
      model.dispose();
      const { header, data } = parse(FIXTURE);
      header.__metadata__.junk = 'x'.repeat(110 * 1024 * 1024);
      await timedAsync(30_000, '110 MB header', () => assert.rejects(loadModel(write(header, data), opts('huge.safetensors')), named('huge.safetensors', /header length/)));
    });

    test('a deeply nested header, config or provenance is refused, not a stack overflow', async () => {
      const deep = (n) => '['.repeat(n) + ']'.repeat(n);
      const { header, data } = parse(FIXTURE);
      const json = JSON.stringify(header);
      for (const n of [65, 1000, 1_000_000]) {
        const raw = `{"nest":${deep(n)},${json.slice(1)}`;
        await assert.rejects(loadModel(write(raw, data), opts('deep.safetensors')), named('deep.safetensors', /nested/), `header depth ${n}`);
        const cfg = craft((h) => { h.__metadata__.config = h.__metadata__.config.replace('{', `{"x":${deep(n)},`); });
        await assert.rejects(loadModel(cfg, opts('deep.safetensors')), named('deep.safetensors', /nested|config/), `config depth ${n}`);
        const prov = craft((h) => { h.__metadata__.provenance = `{"x":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`; });
        await assert.rejects(loadModel(prov, opts('deep.safetensors')), named('deep.safetensors', /nested|provenance/), `provenance depth ${n}`);
      }
    });

    test('overlapping tensors, offsets past the end, gaps, wrong sizes are named', async () => {
      const cases = [
        ['overlap', (h) => { h['head.bias'].data_offsets = [412, 416]; }, /overlap|head/],
        ['past end', (h) => { h['head.bias'].data_offsets = [416, 1_000_000]; }, /head\.bias/],
        ['past end 2^64', (h) => { h['head.bias'].data_offsets = [416, 18446744073709551615]; }, /head\.bias|data_offsets/],
        ['begin > end', (h) => { h['head.bias'].data_offsets = [420, 416]; }, /begin after end|head\.bias/],
        ['negative', (h) => { h['head.bias'].data_offsets = [-4, 420]; }, /data_offsets|head\.bias/],
        ['float offsets', (h) => { h['head.bias'].data_offsets = [416.5, 420]; }, /data_offsets|head\.bias/],
        ['same range twice', (h) => { h['head.kernel'].data_offsets = [384, 400]; }, /overlap|head\.kernel|rnn\.0\.fwd\.bias/],
        ['trailing bytes', (h, d) => Buffer.concat([d, Buffer.alloc(8)]), /bytes|trailing|covered/],
        ['gap', (h, d) => { h['head.bias'].data_offsets = [420, 424]; return Buffer.concat([d, Buffer.alloc(4)]); }, /bytes|gap|head\.bias/],
        ['huge shape', (h) => { h.embedding.shape = [2 ** 40, 2 ** 40]; }, /embedding/],
        ['shape × size overflow', (h) => { h.embedding.shape = [4294967296, 4294967296, 4294967296]; }, /embedding/],
        ['unknown dtype', (h) => { h.embedding.dtype = 'F64'; }, /dtype/],
        ['missing tensor', (h) => { delete h['head.bias']; }, /head\.bias|bytes/],
        ['extra tensor', (h, d) => { h.evil = { dtype: 'F32', shape: [1], data_offsets: [420, 424] }; return Buffer.concat([d, Buffer.alloc(4)]); }, /evil/],
        ['__proto__ tensor', (h, d) => { h.__proto__x = { dtype: 'F32', shape: [1], data_offsets: [420, 424] }; return Buffer.concat([d, Buffer.alloc(4)]); }, /__proto__x/],
        ['not JSON', null, /JSON/],
      ];
      for (const [label, edit, pattern] of cases) {
        const bytes = edit ? craft(edit) : write('{"__metadata__": {', Buffer.alloc(0));
        await assert.rejects(loadModel(bytes, opts(`${label}.safetensors`)), named(`${label}.safetensors`, pattern), label);
      }
    });

    test('NaN and ±Inf weights (F32 and F16) are refused, naming the tensor', async () => {
      for (const [label, value] of [['nan', NaN], ['inf', Infinity], ['-inf', -Infinity]]) {
        const bytes = craft((h, d) => { d.writeFloatLE(value, 320 + 4 * 5); });
        await assert.rejects(loadModel(bytes, opts(`${label}.safetensors`)), named(`${label}.safetensors`, /rnn\.0\.fwd\.recurrent_kernel/), label);
      }
      // F16 head.bias: 0x7e00 is NaN, 0x7c00 +inf.
      for (const bits of [0x7e00, 0x7c00, 0xfc00]) {
        const bytes = craft((h, d) => {
          h['head.bias'] = { dtype: 'F16', shape: [1], data_offsets: [416, 418] };
          const out = Buffer.alloc(418 + 6); // 6 bytes of padding would be a gap: keep the data exact
          d.copy(out, 0, 0, 416);
          out.writeUInt16LE(bits, 416);
          return out.subarray(0, 418);
        });
        await assert.rejects(loadModel(bytes, opts('f16.safetensors')), named('f16.safetensors', /head\.bias/), `F16 ${bits.toString(16)}`);
      }
    });

    test('an int8 embedding loads as q · scale; a missing or broken scale is refused, named', async () => {
      // The shipped models store the embedding as I8 with one F32 scale per word.
      const shipped = fs.readFileSync(new URL('../../models/seed-rnn.safetensors', import.meta.url));
      const { header, data } = parse(shipped);
      assert.equal(header.embedding.dtype, 'I8');
      assert.deepEqual(header['embedding.scale'].shape, [header.embedding.shape[0]]);
      const model = await loadModel(shipped, opts('seed-rnn.safetensors'));
      assert.ok(model.run('A wonderful, moving film.').probability > 0.5);
      model.dispose();
      const [begin] = header['embedding.scale'].data_offsets;
      const broken = [
        ['no scale', (h, d) => {
          const [b, e] = h['embedding.scale'].data_offsets;
          delete h['embedding.scale'];
          for (const t of Object.values(h)) if (t.data_offsets && t.data_offsets[0] >= e) t.data_offsets = t.data_offsets.map((o) => o - (e - b));
          return Buffer.concat([d.subarray(0, b), d.subarray(e)]);
        }, /'embedding' is I8 but the file has no 'embedding\.scale'/],
        ['negative scale', (h, d) => { d.writeFloatLE(-1, begin + 4 * 7); }, /embedding\.scale.*negative/],
        ['NaN scale', (h, d) => { d.writeFloatLE(NaN, begin + 4 * 7); }, /embedding\.scale.*NaN/],
        ['I8 head', (h) => { h['head.kernel'].dtype = 'I8'; h['head.kernel'].shape = [4 * h['head.kernel'].shape[0]]; }, /head\.kernel/],
      ];
      for (const [label, edit, pattern] of broken) {
        const copy = Buffer.from(data);
        const edited = JSON.parse(JSON.stringify(header));
        const out = edit(edited, copy) ?? copy;
        await assert.rejects(loadModel(write(edited, out), opts(`${label}.safetensors`)), named(`${label}.safetensors`, pattern), label);
      }
    });

    test('finite weights that overflow the forward pass are refused (fuzzer finding)', async () => {
      // fuzz/corpus/model_file/overflow-to-nan: weights around 1e34 load as finite numbers, but
      // x·W + h·U overflows to inf − inf = NaN, so every verdict would have been NaN.
      const bytes = fs.readFileSync(new URL('../../fuzz/corpus/model_file/overflow-to-nan', import.meta.url));
      await assert.rejects(loadModel(bytes, opts('overflow.safetensors')),
        named('overflow.safetensors', /tensor 'embedding' has a weight of 1\.15451e\+13 \(at most 65504 in magnitude/));
      const big = craft((h, d) => { d.writeFloatLE(70000, 0); });
      await assert.rejects(loadModel(big, opts('big.safetensors')), named('big.safetensors', /tensor 'embedding' has a weight of 70000/));
      const edge = craft((h, d) => { d.writeFloatLE(-65504, 0); d.writeFloatLE(65504, 416); });
      const model = await loadModel(edge, opts('edge.safetensors'));
      assertSane(model.run('w0 w1 w2'), 'w0 w1 w2', model.info.maxlen);
      model.dispose();
    });

    test('bad metadata: wrong format, version, config, vocabulary are named', async () => {
      const cases = [
        ['format', (m) => { m.format = '<script>alert(1)</script>'; }, /format/],
        ['version', (m) => { m.format_version = '2'; }, /format_version/],
        ['config json', (m) => { m.config = '{'; }, /config/],
        ['config key', (m) => { m.config = m.config.replace('"units":4', '"units":4,"evil":"<img src=x onerror=alert(1)>"'); }, /evil/],
        ['units', (m) => { m.config = m.config.replace('"units":4', '"units":1000000000'); }, /units/],
        ['maxlen', (m) => { m.config = m.config.replace('"maxlen":16', '"maxlen":-1'); }, /maxlen/],
        ['vocab size', (m) => { m.vocabulary += '\nextra'; }, /vocabulary/],
        ['vocab dup', (m) => { m.vocabulary = m.vocabulary.replace('w1', 'w0'); }, /duplicate/],
        ['vocab empty word', (m) => { m.vocabulary = m.vocabulary.replace('w1\n', '\n'); }, /empty/],
        ['provenance', (m) => { m.provenance = '[1,2]'; }, /provenance/],
        ['metadata not string', (m) => { m.config = { cell: 'lstm' }; }, /config/],
      ];
      for (const [label, edit, pattern] of cases) {
        const bytes = craft((h) => { edit(h.__metadata__); });
        await assert.rejects(loadModel(bytes, opts('meta.safetensors')), named('meta.safetensors', pattern), label);
      }
    });

    test('markup in provenance and vocabulary loads and comes back verbatim, as data', async () => {
      const evil = ['<script>window.__pwned=1</script>', '<img src=x onerror=window.__pwned=2>', '"><svg onload=window.__pwned=3>'];
      const bytes = craft((h) => {
        h.__metadata__.provenance = JSON.stringify({ note: evil[0], source: evil[1], '<b>key</b>': evil[2], test_accuracy: '0.5"><img src=x>' });
        const words = h.__metadata__.vocabulary.split('\n');
        words[0] = evil[0]; words[1] = evil[1]; words[2] = evil[2];
        h.__metadata__.vocabulary = words.join('\n');
      });
      globalThis.__pwned = 0;
      const model = await loadModel(bytes, opts('evil.safetensors'));
      try {
        assert.equal(model.info.provenance.note, evil[0]);
        assert.equal(model.info.provenance['<b>key</b>'], evil[2]);
        const top = model.topWords(0, 'forward', 0, 20);
        const words = [...top.positive, ...top.negative].map((w) => w.word);
        for (const e of evil) assert.ok(words.includes(e), `${e} among the top words`);
        // The tokenizer never produces a vocabulary word with '<' or spaces: such words are unreachable.
        const r = model.run(evil.join(' '));
        assertSane(r, evil.join(' '), model.info.maxlen);
        assert.equal(globalThis.__pwned, 0);
      } finally {
        delete globalThis.__pwned;
        model.dispose();
      }
    });

    test('after all of that, a good model still loads and runs', async () => {
      const model = await loadModel(fixturePath('gru_stacked_bi.safetensors'), build.options);
      try {
        assertSane(model.run('w1 w2 w3'), 'w1 w2 w3', model.info.maxlen);
        assert.equal(model.memory().emvalHandles, 0);
      } finally {
        model.dispose();
      }
    });
  });
}

// The JavaScript API of docs/js-api.md: the only module that touches Emscripten.
//
// It loads one of two builds of the same C++ (unroll-simd.{js,wasm} with WebAssembly SIMD,
// unroll-scalar.{js,wasm} without) and wraps the Embind facade (wasm/bindings.cpp, class
// ModelHandle). Rules it keeps:
// - every result is a JS-owned copy (the facade builds plain objects and typed-array copies), so
//   nothing here holds a view into the wasm heap, which memory growth would detach;
// - the only Embind object is the ModelHandle, deleted by dispose();
// - the facade reports errors as values ({error} / handle.ok() false); this wrapper throws them.
// Works in browsers (wasm served at options.wasmBase, default /wasm/) and in node ≥ 18 (the .wasm
// is read from disk and handed over as `wasmBinary`: Emscripten 3.1.6's fetch path breaks on
// file URLs under node 18+).

import { detectSimd, detectSimdSync, hasWebAssembly } from './simd-detect.js';

export { detectSimd };

const IS_NODE = typeof process === 'object' && process !== null && typeof process.versions === 'object' &&
  typeof process.versions.node === 'string' && typeof window === 'undefined';

const NO_WASM = 'WebAssembly is not available in this browser';

/** Loaded Emscripten modules, one per build and base URL (all models of a build share one heap). */
const modules = new Map();

/** Where the builds live when no `wasmBase` is given. */
function defaultWasmBase() {
  if (IS_NODE) {
    // node: the repository's build output (scripts/build-wasm.sh), or UNROLL_WASM_DIR.
    const dir = process.env.UNROLL_WASM_DIR;
    return dir ? dir : new URL('../../build/web-wasm/', import.meta.url);
  }
  return '/wasm/';
}

/** `base` (URL, URL string or, in node, a directory path) as an absolute URL ending in '/'. */
async function baseUrl(base) {
  if (base instanceof URL) base = base.href;
  base = String(base);
  if (!base.endsWith('/')) base += '/';
  if (IS_NODE && !/^[a-z][a-z0-9+.-]*:/i.test(base)) {
    const { pathToFileURL } = await import('node:url');
    const { resolve } = await import('node:path');
    return new URL(pathToFileURL(resolve(base)).href + '/');
  }
  const here = globalThis.location ? globalThis.location.href : import.meta.url;
  return new URL(base, here);
}

async function readUrlBytes(url) {
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    const { fileURLToPath } = await import('node:url');
    return new Uint8Array(await readFile(fileURLToPath(url)));
  }
  const response = await fetch(url.href);
  if (!response.ok) throw new Error(`${url.href}: HTTP ${response.status} ${response.statusText}`.trim());
  return new Uint8Array(await response.arrayBuffer());
}

/** The Emscripten module of one build ('simd' | 'scalar'), loaded once. */
function loadBuild(variant, base) {
  const key = `${variant}@${base.href}`;
  if (!modules.has(key)) {
    const promise = (async () => {
      const glue = new URL(`unroll-${variant}.js`, base);
      const wasm = new URL(`unroll-${variant}.wasm`, base);
      const { default: createUnrollModule } = await import(/* @vite-ignore */ glue.href);
      const options = {
        locateFile: (path) => new URL(path, base).href,
        print: () => {},
        printErr: (text) => console.warn(`unroll-${variant}: ${text}`),
      };
      // In node, read the binary ourselves (no fetch of file: URLs); in a browser, let Emscripten
      // stream-compile it from the server.
      if (wasm.protocol === 'file:') options.wasmBinary = await readUrlBytes(wasm);
      const module = await createUnrollModule(options);
      module.variant = variant;
      checkLayout(typeof module.traceLayout === 'function' ? module.traceLayout() : null);
      return module;
    })();
    promise.catch(() => modules.delete(key));  // a failed load may be retried
    modules.set(key, promise);
  }
  return modules.get(key);
}

/** The model file's bytes and the name used in messages. */
async function modelBytes(source, options) {
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), name: options.name || 'model' };
  if (ArrayBuffer.isView(source)) {
    const bytes = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
    return { bytes, name: options.name || 'model' };
  }
  if (typeof source !== 'string' && !(source instanceof URL)) {
    throw new TypeError('loadModel: source must be a URL or path string, a URL, an ArrayBuffer or a Uint8Array');
  }
  const text = source instanceof URL ? source.href : source;
  const name = options.name || text.split(/[\\/]/).filter(Boolean).pop()?.split(/[?#]/)[0] || 'model';
  try {
    if (IS_NODE && !/^(https?|data|blob):/i.test(text)) {
      const url = /^file:/i.test(text) ? new URL(text) : await baseUrl(text).then((u) => new URL(u.href.slice(0, -1)));
      return { bytes: await readUrlBytes(url), name };
    }
    const response = await fetch(text);
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
    const length = Number(response.headers.get('content-length'));
    if (length > MAX_MODEL_BYTES) throw new Error(tooLarge(length));  // refused before downloading it
    return { bytes: new Uint8Array(await response.arrayBuffer()), name };
  } catch (error) {
    throw new Error(`${name}: ${error.message}`, { cause: error });
  }
}

// The largest model file the wrapper copies into wasm. The heap needs about 4× the file while
// loading (the copy, the parsed F32 weights) and never shrinks; the shipped models are 2–3 MB.
const MAX_MODEL_BYTES = 128 * 1024 * 1024;
const MAX_HEADER_BYTES = 100 * 1000 * 1000;  // core/io/safetensors.cpp's limit

const megabytes = (n) => (n / (1024 * 1024)).toFixed(1);
const tooLarge = (size) => `file is ${megabytes(size)} MB, more than the ${megabytes(MAX_MODEL_BYTES)} MB a model may have`;

/**
 * Refuses, before anything is copied into wasm memory, a file that is too large or whose header
 * length (the first 8 bytes, little-endian) cannot be right. The C++ reader checks everything
 * again (and the rest); these checks only spare the heap a useless copy of a huge file.
 */
function checkModelBytes(bytes, name) {
  if (bytes.length > MAX_MODEL_BYTES) throw new Error(`${name}: ${tooLarge(bytes.length)}`);
  if (bytes.length < 8) return;  // the reader's own message says why
  const header = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (header > BigInt(bytes.length - 8)) {
    throw new Error(`${name}: header length ${header} runs past the end of the file (${bytes.length} bytes)`);
  }
  if (header > BigInt(MAX_HEADER_BYTES)) {
    throw new Error(`${name}: header length ${header} exceeds the limit of 100 MB`);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// The longest review the wrapper hands to wasm, in UTF-8 bytes. The heap needs up to ~35 bytes per
// input byte (one token per two bytes at worst: spans, ids, words) and never shrinks, and the 2 GB
// limit makes malloc fail — an abort() that leaves the shared module in an undefined state — at
// about 60 MB; run() also builds one JS object per token. Beyond this: a clear Error instead.
const MAX_TEXT_BYTES = 16 * 1024 * 1024;

/** `text` as UTF-8, or throws if it is longer than MAX_TEXT_BYTES. */
function encodeText(text) {
  const bytes = encoder.encode(String(text));
  if (bytes.length > MAX_TEXT_BYTES) {
    throw new Error(`review is too long: ${megabytes(bytes.length)} MB of text (at most ${megabytes(MAX_TEXT_BYTES)} MB)`);
  }
  return bytes;
}

/** UTF-8 byte offsets → UTF-16 indices of `text`, for increasing offsets (one walk over text). */
function utf16Walker(text) {
  let unit = 0; // UTF-16 index
  let byte = 0; // UTF-8 offset of text[unit]; TextEncoder wrote 1–3 bytes per BMP code unit
  return (target) => { //      (a lone surrogate becomes U+FFFD, 3 bytes) and 4 per pair
    while (byte < target && unit < text.length) {
      const c = text.charCodeAt(unit);
      if (c < 0x80) { byte += 1; unit += 1; }
      else if (c < 0x800) { byte += 2; unit += 1; }
      else if (c >= 0xd800 && c <= 0xdbff && unit + 1 < text.length &&
               (text.charCodeAt(unit + 1) & 0xfc00) === 0xdc00) { byte += 4; unit += 2; }
      else { byte += 3; unit += 1; }
    }
    return unit;
  };
}

/**
 * The int32 layout tokenize/run/runIds return, field by field, as wasm/bindings.cpp (namespace
 * layout) writes it: LAYOUT.fields words, then LAYOUT.layerFields per layer entry. A module whose
 * traceLayout() differs is refused when it loads (checkLayout), and every header's first word must
 * be LAYOUT.version: a wrapper and a module built from different sources fail with a message
 * instead of reading garbage.
 */
export const LAYOUT = Object.freeze({
  version: 2,
  fields: Object.freeze([
    'version', 'hasTrace', 'tokenCount', 'spans', 'words', 'wordsBytes',
    'steps', 'ids', 'tokenIndex', 'padding', 'keptTokens', 'startKept',
    'firstToken', 'totalTokens', 'oovTokens', 'layerCount', 'scalars', 'runningLogit',
  ]),
  layerFields: Object.freeze([
    'layer', 'direction', 'hidden', 'cell', 'gates', 'inputPart', 'recurrentPart', 'preactivation',
  ]),
});
const F = Object.fromEntries(LAYOUT.fields.map((name, i) => [name, i]));
const LF = Object.fromEntries(LAYOUT.layerFields.map((name, i) => [name, i]));

/**
 * Throws unless `layout` (a module's traceLayout()) is LAYOUT: same version, same fields in the
 * same order.
 */
export function checkLayout(layout) {
  const same = (a, b) => Array.isArray(a) && a.length === b.length && a.every((name, i) => name === b[i]);
  if (!layout || layout.version !== LAYOUT.version || !same(layout.fields, LAYOUT.fields) ||
      !same(layout.layerFields, LAYOUT.layerFields)) {
    const describe = (l) => (l ? `v${l.version} [${l.fields}] + [${l.layerFields}]` : 'none');
    throw new Error(`the module's trace layout ${describe(layout)} is not the one unroll.js reads ` +
      `(${describe(LAYOUT)}): the wasm build and wasm/api/unroll.js come from different sources; rebuild (scripts/build-wasm.sh)`);
  }
}

/**
 * Copies the result of tokenize/run/runIds out of the heap, following the layout (LAYOUT). Must
 * run right after the call: nothing may allocate in between. Every array returned is a fresh
 * JS-owned copy.
 */
function readLayout(module, view, text, units, gateWidth) {
  const h = Int32Array.from(view); // the view itself is dropped here
  if (h[F.version] !== LAYOUT.version || h.length !== LAYOUT.fields.length + LAYOUT.layerFields.length * h[F.layerCount]) {
    throw new Error(`unroll-${module.variant}: trace layout version ${h[F.version]} with ${h.length} words; unroll.js reads version ${LAYOUT.version}`);
  }
  const I32 = module.HEAP32;
  const F32 = module.HEAPF32;
  const ints = (ptr, n) => I32.slice(ptr >> 2, (ptr >> 2) + n);
  const floats = (ptr, n) => (ptr ? F32.slice(ptr >> 2, (ptr >> 2) + n) : null);
  const count = h[F.tokenCount];
  const steps = h[F.steps];
  const out = {
    count,
    spans: ints(h[F.spans], 4 * count),
    words: count ? decoder.decode(module.HEAPU8.subarray(h[F.words], h[F.words] + h[F.wordsBytes])) : '',
    ids: ints(h[F.ids], steps),
    tokenIndex: ints(h[F.tokenIndex], steps),
    steps,
    padding: h[F.padding],
    keptTokens: h[F.keptTokens],
    startKept: h[F.startKept] === 1,
    firstToken: h[F.firstToken],
    totalTokens: h[F.totalTokens],
    oovTokens: h[F.oovTokens],
  };
  if (h[F.hasTrace] === 1) {
    const scalars = F32.slice(h[F.scalars] >> 2, (h[F.scalars] >> 2) + 2);
    out.logit = scalars[0];
    out.probability = scalars[1];
    out.runningLogit = floats(h[F.runningLogit], steps);
    out.layers = [];
    for (let l = 0; l < h[F.layerCount]; l++) {
      const e = h.subarray(LAYOUT.fields.length + LAYOUT.layerFields.length * l);
      out.layers.push({
        layer: e[LF.layer],
        direction: e[LF.direction] ? 'backward' : 'forward',
        units,
        hidden: floats(e[LF.hidden], steps * units),
        cell: floats(e[LF.cell], steps * units),
        gates: floats(e[LF.gates], steps * gateWidth),
        inputPart: floats(e[LF.inputPart], steps * gateWidth),
        recurrentPart: floats(e[LF.recurrentPart], steps * gateWidth),
        preactivation: floats(e[LF.preactivation], steps * gateWidth),
      });
    }
  }
  return out;
}

/**
 * Token objects (docs/js-api.md) from the layout's flat spans and '\n'-joined words: the tokens the
 * facade kept (all of them, or the window and its context), `index` counting among all tokens.
 */
function makeTokens(text, raw) {
  const { count, spans, firstToken } = raw;
  const words = count ? raw.words.split('\n') : [];
  const tokens = new Array(count);
  const toUtf16 = utf16Walker(text);
  for (let i = 0; i < count; i++) {
    const byteBegin = spans[4 * i];
    const byteEnd = spans[4 * i + 1];
    const id = spans[4 * i + 2];
    const position = spans[4 * i + 3];
    const begin = toUtf16(byteBegin);
    const end = toUtf16(byteEnd);
    tokens[i] = {
      text: words[i], index: firstToken + i, begin, end, byteBegin, byteEnd, id, oov: id === 2, inWindow: position >= 0, position,
    };
  }
  return {
    tokens,
    ids: raw.ids,
    tokenIndex: raw.tokenIndex,
    steps: raw.steps,
    keptTokens: raw.keptTokens,
    totalTokens: raw.totalTokens,
    oovTokens: raw.oovTokens,
    firstToken,
    padding: raw.padding,
    startKept: raw.startKept,
  };
}

const sigmoid = (x) => 1 / (1 + Math.exp(-x));

/** An id argument: an integer (any integer; ones that are not words get no answer). */
function wordId(what, id) {
  if (!Number.isInteger(id)) throw new TypeError(`${what}: id must be an integer, got ${id}`);
  return Math.max(-1, Math.min(id, 0x7fffffff));
}

/** A count argument: a non-negative integer, capped (the vocabulary is smaller). */
function count(what, k) {
  if (!Number.isInteger(k) || k < 0) throw new TypeError(`${what}: k must be a non-negative integer, got ${k}`);
  return Math.min(k, 1 << 20);
}

/** 0 | 1 from 'forward' | 'backward' | 0 | 1 (undefined: forward), else NaN. */
function directionIndex(direction) {
  if (direction === 'backward' || direction === 1) return 1;
  if (direction === 'forward' || direction === 0 || direction === undefined) return 0;
  return NaN;
}

/**
 * docs/js-api.md `knockout`: [{layer, direction, unit, mode: 'zero' | 'clamp', value}] as the
 * facade's flat Float32Array [layer, direction, unit, value, …]. The facade checks the ranges.
 */
function knockoutArray(knockout) {
  if (knockout == null) return new Float32Array(0);
  if (!Array.isArray(knockout)) throw new TypeError('knockout must be an array of {layer, direction, unit, mode}');
  const flat = new Float32Array(4 * knockout.length);
  knockout.forEach((k, i) => {
    if (!k || typeof k !== 'object') throw new TypeError(`knockout[${i}] must be an object`);
    const direction = directionIndex(k.direction);
    const mode = k.mode ?? 'zero';
    if (Number.isNaN(direction)) throw new TypeError(`knockout[${i}]: direction must be 'forward' or 'backward'`);
    if (mode !== 'zero' && mode !== 'clamp') throw new TypeError(`knockout[${i}]: mode must be 'zero' or 'clamp'`);
    if (!Number.isInteger(k.layer ?? 0) || !Number.isInteger(k.unit)) throw new TypeError(`knockout[${i}]: layer and unit must be integers`);
    const value = mode === 'zero' ? 0 : (k.value ?? 1);
    if (typeof value !== 'number') throw new TypeError(`knockout[${i}]: value must be a number`);
    flat.set([k.layer ?? 0, direction, k.unit, value], 4 * i);
  });
  return flat;
}

/** A loaded model (docs/js-api.md). Call dispose() when done with it. */
class Model {
  #module;
  #handle;
  #info;
  #biases; // [[bias, recurrentBias | null]] per layer entry, copied out once
  #gateWidth;

  constructor(module, handle, name) {
    this.#module = module;
    this.#handle = handle;
    const raw = handle.info();
    const { provenanceJson, headBias, ...rest } = raw;
    let provenance;
    try {
      provenance = JSON.parse(provenanceJson);
    } catch {
      provenance = {};
    }
    this.#info = Object.freeze({ name, ...rest, provenance, build: module.variant, headBias });
    this.#biases = handle.biases();
    this.#gateWidth = rest.gateNames.length * rest.units;
  }

  /** Configuration, provenance and which build runs it. */
  get info() {
    this.#check();
    return this.#info;
  }

  #check() {
    if (!this.#handle) throw new Error('model is disposed');
  }

  /** Throws the facade's {error} value, otherwise returns it. */
  #value(result) {
    if (result && typeof result.error === 'string') throw new Error(result.error);
    return result;
  }

  #read(view, text) {
    if (!view) throw new Error('model is not loaded');
    return readLayout(this.#module, view, text, this.#info.units, this.#gateWidth);
  }

  /** Every token of `text` (UTF-16 and UTF-8 spans) and the id sequence the network reads. */
  tokenize(text) {
    this.#check();
    text = String(text);
    return makeTokens(text, this.#read(this.#handle.tokenize(encodeText(text)), text));
  }

  /**
   * Runs `call` with `knockout` (docs/js-api.md) applied to the C++ model, which is restored
   * afterwards whatever happens: a knockout lasts one call.
   */
  #withKnockouts(knockout, call) {
    const flat = knockoutArray(knockout);
    if (flat.length === 0) return call();
    const error = this.#handle.setKnockouts(flat);
    if (error) throw new Error(error);
    try {
      return call();
    } finally {
      this.#handle.setKnockouts(new Float32Array(0));
    }
  }

  /**
   * The forward pass with every hidden state; all of it JS-owned copies. `tokens` are the window's
   * and up to 16 next to it (all of them when the review fits): a 10 MB review costs no more
   * objects than a short one. `options.knockout`: units fixed during this pass.
   */
  run(text, { knockout } = {}) {
    this.#check();
    text = String(text);
    const bytes = encodeText(text);
    const raw = this.#withKnockouts(knockout, () => this.#read(this.#handle.run(bytes), text));
    return { ...this.#result(raw), ...makeTokens(text, raw) };
  }

  /**
   * The memory lens (docs/js-api.md): per step run() reads, how much the logit depends on the
   * word read there (‖∂logit/∂x_t‖, gradient × input) and on each layer's state there
   * (‖∂logit/∂h_t‖), from one backward pass through time. `options.knockout` as in run().
   */
  attribution(text, { knockout } = {}) {
    this.#check();
    const bytes = encodeText(text);
    const raw = this.#value(this.#withKnockouts(knockout, () => this.#handle.attribution(bytes)));
    const { directions, layers } = this.#info;
    const stateGradient = raw.stateGradient.map((values, e) => ({
      layer: Math.floor(e / directions),
      direction: e % directions ? 'backward' : 'forward',
      values,
      fadeStep: raw.fadeSteps[e],
    }));
    return {
      steps: raw.steps,
      logit: raw.logit,
      probability: sigmoid(raw.logit),
      wordGradient: raw.wordGradient,
      gradTimesInput: raw.gradTimesInput,
      stateGradient,
      fadeStep: raw.fadeSteps.length ? raw.fadeSteps[(layers - 1) * directions] : -1,
      fadeFraction: 0.01,
    };
  }

  /**
   * Every unit of (layer, direction) with the change in this review's verdict when it alone is set
   * to zero at every step (on top of `options.knockout`), the largest |logitChange| first.
   */
  knockoutRanking(text, layer, direction, { knockout } = {}) {
    this.#check();
    const d = directionIndex(direction);
    if (Number.isNaN(d)) throw new Error(`knockoutRanking: direction must be 'forward' or 'backward', got ${direction}`);
    const bytes = encodeText(text);
    return this.#value(this.#withKnockouts(knockout, () => this.#handle.knockoutRanking(bytes, layer | 0, d)));
  }

  /**
   * The forward pass over an id sequence exactly as given: no tokenizing, no padding, no start id
   * (ids outside the vocabulary read as out-of-vocabulary). Same fields as run() minus the tokens.
   */
  runIds(ids) {
    this.#check();
    const array = ids instanceof Int32Array ? ids : Int32Array.from(ids);
    const raw = this.#read(this.#handle.runIds(array), '');
    return { ...this.#result(raw), ids: raw.ids, steps: raw.steps };
  }

  #result(raw) {
    const headBias = this.#info.headBias;
    let runningProbability = null;
    let stepEffect = null;
    const running = raw.runningLogit;
    if (running) {
      runningProbability = new Float32Array(running.length);
      stepEffect = new Float32Array(running.length);
      for (let t = 0; t < running.length; t++) {
        runningProbability[t] = sigmoid(running[t]);
        stepEffect[t] = running[t] - (t ? running[t - 1] : headBias);
      }
    }
    return {
      probability: raw.probability,
      logit: raw.logit,
      label: raw.probability >= 0.5 ? 'positive' : 'negative',
      layers: raw.layers,
      bias: this.#biases.map(([b]) => b.slice()),
      recurrentBias: this.#biases.map(([, rb]) => (rb ? rb.slice() : null)),
      runningLogit: running,
      runningProbability,
      stepEffect,
    };
  }

  /** Logit of a review without recording the trace (the cheapest full pass; for benchmarks). */
  logit(text) {
    this.#check();
    return this.#handle.logit(encodeText(text));
  }

  /**
   * Probabilities for many reviews at once: `inputs` is an array of texts, or of id sequences
   * (Int32Array or arrays, already padded, all the same length; for a masked model any lengths).
   * The batch runs through one matrix-matrix product per time step (a masked model's reviews
   * grouped by length, no padding step run). Returns a Float32Array, one probability per input.
   */
  predictBatch(inputs) {
    this.#check();
    if (!Array.isArray(inputs)) throw new TypeError('predictBatch takes an array of texts or of id sequences');
    if (inputs.length === 0) return new Float32Array(0);
    let out;
    if (inputs.every((x) => typeof x === 'string')) {
      out = this.#handle.predictTexts(inputs.map((text) => encodeText(text)));
    } else {
      if (!inputs.every((ids) => ids != null && typeof ids.length === 'number'))
        throw new TypeError('predictBatch takes an array of texts or of id sequences');
      const steps = inputs.reduce((longest, ids) => Math.max(longest, ids.length), 0);
      // A masked model skips padding ids (0), so sequences of any length are left-padded to the
      // longest; any other model reads every id, so they must already have one length.
      if (!this.#info.maskPadding && !inputs.every((ids) => ids.length === steps))
        throw new TypeError('predictBatch: id sequences must all have the same length');
      const flat = new Int32Array(inputs.length * steps);
      inputs.forEach((ids, b) => flat.set(ids, b * steps + steps - ids.length));
      out = this.#handle.predictIds(flat, inputs.length, steps);
    }
    if (!(out instanceof Float32Array)) throw new Error(out && out.error ? out.error : 'predictBatch failed');
    return out;
  }

  /**
   * Microseconds per forward pass over `text`'s sequence, timed inside wasm (no tokenizing, no
   * copies to JS): `{ repeats = 100, trace = true }`. For benchmarks.
   */
  benchmark(text, { repeats = 100, trace = true } = {}) {
    this.#check();
    return this.#handle.benchmark(encodeText(text), repeats, trace);
  }

  /** Microseconds per attribution() pass (forward with trace and backward), timed inside wasm. */
  benchmarkAttribution(text, { repeats = 100 } = {}) {
    this.#check();
    return this.#handle.benchmarkAttribution(encodeText(text), repeats);
  }

  /** Float32Array(run(text).tokens.length): logit(review) − logit(review without token i), NaN outside the window. */
  leaveOneOut(text) {
    this.#check();
    return this.#value(this.#handle.leaveOneOut(encodeText(text))).effects;
  }

  /** Layer 0 only: words pushing `unit`'s first-gate pre-activation up (positive) or down. */
  topWords(layer, direction, unit, k = 10) {
    this.#check();
    if (layer !== 0) throw new Error(`topWords: layer ${layer}: only layer 0 reads words`);
    const d = directionIndex(direction);
    if (Number.isNaN(d)) throw new Error(`topWords: direction must be 'forward' or 'backward', got ${direction}`);
    return this.#value(this.#handle.topWords(d, unit | 0, k | 0));
  }

  /**
   * The `k` vocabulary words nearest word `id` in the embedding, by cosine similarity, most similar
   * first: [{id, word, similarity}]. [] when `id` is not a word (padding, start, unknown, out of
   * range). The first call computes every row's norm (~1 ms); later calls one product.
   */
  nearestWords(id, k = 8) {
    this.#check();
    return this.#value(this.#handle.nearestWords(wordId('nearestWords', id), count('nearestWords', k)));
  }

  /**
   * Up to `k` words whose effect (wordEffect) has the opposite sign to word `id`'s: the strongest
   * of them, nearest in the embedding first (docs/js-api.md states the rule): [{id, word, effect}].
   * [] when `id` is not a word. The first call runs every one-word review (~100 ms on `best`);
   * later calls reuse the effects (~1 ms).
   */
  oppositeWords(id, k = 8) {
    this.#check();
    return this.#value(this.#handle.oppositeWords(wordId('oppositeWords', id), count('oppositeWords', k)));
  }

  /** logit(the review that is word `id` alone) − logit(the empty review); NaN when `id` is not a word. */
  wordEffect(id) {
    this.#check();
    return this.#handle.wordEffect(wordId('wordEffect', id));
  }

  /** Diagnostics: linear memory size, the allocator's break, live Embind value handles. */
  memory() {
    const m = this.#module;
    return {
      heapSize: m.heapSize(),
      heapBreak: m.heapBreak(),
      emvalHandles: typeof m.count_emval_handles === 'function' ? m.count_emval_handles() : null,
    };
  }

  /** Frees the C++ model. Idempotent; any other call afterwards throws. */
  dispose() {
    if (this.#handle) {
      this.#handle.delete();
      this.#handle = null;
    }
  }
}

/** docs/js-api.md `loadModel(source, options?) → Promise<Model>`. */
export async function loadModel(source, options = {}) {
  if (!hasWebAssembly()) throw new Error(NO_WASM);
  const want = options.simd ?? 'auto';
  const simd = detectSimdSync();
  if (want === true && !simd) throw new Error('WebAssembly SIMD is not available in this browser');
  const variant = want === false ? 'scalar' : simd ? 'simd' : 'scalar';

  const [{ bytes, name }, module] = await Promise.all([
    modelBytes(source, options),
    baseUrl(options.wasmBase ?? defaultWasmBase()).then((base) => loadBuild(variant, base)).catch((error) => {
      if (error instanceof WebAssembly.CompileError || error instanceof WebAssembly.LinkError) {
        throw new Error(`${NO_WASM} (${error.message})`, { cause: error });
      }
      throw new Error(`unroll-${variant}: ${error.message}`, { cause: error });
    }),
  ]);

  checkModelBytes(bytes, name);
  const handle = new module.ModelHandle(bytes, name);
  if (!handle.ok()) {
    const message = handle.error();
    handle.delete();
    throw new Error(message);
  }
  return new Model(module, handle, name.replace(/\.safetensors$/, ''));
}

// The in-browser trainer's JavaScript API (docs/js-api.md, "Training"): the only module that
// touches the trainer's Emscripten build (unroll-trainer-{simd,scalar}.{js,wasm}, wasm/trainer/).
//
// It is separate from wasm/api/unroll.js on purpose: the explainer never loads training code. A
// page view runs it in a Web Worker and drives it step-wise: runBatches(n) a few batches at a
// time (or runEpoch(), which slices an epoch and yields between slices), posting progress,
// pausing (by not calling again) and stopping (AbortSignal) between calls. Rules, as unroll.js:
// - every result is a JS-owned copy; nothing here keeps a view into the wasm heap;
// - the only Embind object is the TrainerHandle, deleted by dispose();
// - the facade reports errors as values ({error}, ok() false, a message string); this throws them.

import { detectSimdSync, hasWebAssembly } from './simd-detect.js';

const IS_NODE = typeof process === 'object' && process !== null && typeof process.versions === 'object' &&
  typeof process.versions.node === 'string' && typeof window === 'undefined';

/** The tutorial's recipe (SimpleRNN 2×64, embedding 100, dropout 0.2, Adam 1e-3, batch 128). */
export const TUTORIAL_RECIPE = Object.freeze({
  cell: 'simple_rnn',
  units: 64,
  layers: 2,
  bidirectional: false,
  maskPadding: false,
  embeddingDim: 100,
  dropout: 0.2,
  learningRate: 1e-3,
  clip: 5,
  batchSize: 128,
  validation: 0.1,
  seed: 42,
});

const MAGIC = 'UNRLDATA';
const modules = new Map();

async function baseUrl(base) {
  if (base === undefined) {
    base = IS_NODE ? (process.env.UNROLL_WASM_DIR || new URL('../../build/web-wasm/', import.meta.url)) : '/wasm/';
  }
  if (base instanceof URL) base = base.href;
  base = String(base);
  if (!base.endsWith('/')) base += '/';
  if (IS_NODE && !/^[a-z][a-z0-9+.-]*:/i.test(base)) {
    const { pathToFileURL } = await import('node:url');
    const { resolve } = await import('node:path');
    return new URL(pathToFileURL(resolve(base)).href + '/');
  }
  return new URL(base, globalThis.location ? globalThis.location.href : import.meta.url);
}

async function readFileUrl(url) {
  const { readFile } = await import('node:fs/promises');
  const { fileURLToPath } = await import('node:url');
  return new Uint8Array(await readFile(fileURLToPath(url)));
}

/** The trainer module of one build ('simd' | 'scalar'), loaded once per base URL. */
function loadBuild(variant, base) {
  const key = `${variant}@${base.href}`;
  if (!modules.has(key)) {
    const promise = (async () => {
      const glue = new URL(`unroll-trainer-${variant}.js`, base);
      const wasm = new URL(`unroll-trainer-${variant}.wasm`, base);
      const { default: create } = await import(/* @vite-ignore */ glue.href);
      const options = {
        locateFile: (path) => new URL(path, base).href,
        print: () => {},
        printErr: (text) => console.warn(`unroll-trainer-${variant}: ${text}`),
      };
      if (wasm.protocol === 'file:') options.wasmBinary = await readFileUrl(wasm);
      const module = await create(options);
      module.variant = variant;
      return module;
    })();
    promise.catch(() => modules.delete(key));
    modules.set(key, promise);
  }
  return modules.get(key);
}

function hex(buffer) {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Reads the header of a training-data file (docs/training-data.md) and checks the payload's
 * SHA-256 with WebCrypto (when the context has it: browsers only give it to secure contexts).
 * Returns { header, checksumVerified }; throws naming the file when it is not one or is damaged.
 */
export async function checkTrainingData(bytes, name = 'training data') {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('checkTrainingData: bytes must be a Uint8Array');
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new Error(`${name}: not an Unroll training-data file (no UNRLDATA magic)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(12, true);
  if (16 + headerLength > bytes.length) {
    throw new Error(`${name}: header length ${headerLength} runs past the end of the file (${bytes.length} bytes)`);
  }
  let header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength)));
  } catch {
    throw new Error(`${name}: header is not a JSON object`);
  }
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  if (!subtle) return { header, checksumVerified: false };
  const digest = hex(await subtle.digest('SHA-256', bytes.subarray(16 + headerLength)));
  if (digest !== header.payload_sha256) {
    throw new Error(`${name}: checksum mismatch (payload sha256 ${digest}, header says ${header.payload_sha256}): the file is damaged or incomplete; download it again`);
  }
  return { header, checksumVerified: true };
}

/**
 * Fetches a training-data file (URL, or a path in node) with progress: onProgress({ loaded,
 * total }) after every chunk (total is 0 when the server sends no length). Returns its bytes.
 */
export async function fetchTrainingData(source, { onProgress, signal } = {}) {
  const text = source instanceof URL ? source.href : String(source);
  const name = text.split(/[\\/]/).filter(Boolean).pop()?.split(/[?#]/)[0] || 'training data';
  try {
    if (IS_NODE && !/^(https?|data|blob):/i.test(text)) {
      const url = /^file:/i.test(text) ? new URL(text) : new URL((await baseUrl(text)).href.slice(0, -1));
      const bytes = await readFileUrl(url);
      onProgress?.({ loaded: bytes.length, total: bytes.length });
      return bytes;
    }
    const response = await fetch(text, { signal });
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
    const total = Number(response.headers.get('content-length')) || 0;
    if (!response.body) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      onProgress?.({ loaded: bytes.length, total: bytes.length });
      return bytes;
    }
    const chunks = [];
    let loaded = 0;
    for (const reader = response.body.getReader(); ;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      onProgress?.({ loaded, total });
    }
    const bytes = new Uint8Array(loaded);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return bytes;
  } catch (error) {
    throw new Error(`${name}: ${error.message}`, { cause: error });
  }
}

const yieldToEventLoop = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A training run (docs/js-api.md). Call dispose() when done with it. */
class Trainer {
  #handle;
  #build;
  #dataInfo;
  #recipe;
  #history = [];
  #epoch = null; // running sums of the current epoch

  constructor(handle, build, dataInfo, recipe) {
    this.#handle = handle;
    this.#build = build;
    this.#dataInfo = dataInfo;
    this.#recipe = recipe;
  }

  #check() {
    if (!this.#handle) throw new Error('trainer is disposed');
  }

  #value(result) {
    if (result && typeof result.error === 'string') throw new Error(result.error);
    return result;
  }

  /** Which build runs it ('simd' | 'scalar'). */
  get build() {
    return this.#build;
  }

  /** The recipe in force (defaults filled in). */
  get recipe() {
    return this.#recipe;
  }

  /** What the data file holds: vocabSize, maxlen, splits, provenance, checksumVerified. */
  get dataInfo() {
    return this.#dataInfo;
  }

  /** The run's state: epochsDone, batchInEpoch, batchesPerEpoch, train/validation/test counts. */
  get info() {
    this.#check();
    return this.#value(this.#handle.info());
  }

  /** Completed epochs as { epoch, loss, accuracy, seconds, valLoss?, valAccuracy? }, in order. */
  get history() {
    return this.#history.map((entry) => ({ ...entry }));
  }

  /**
   * Runs up to `count` mini-batches (stopping at the end of an epoch): { losses: Float32Array
   * (mean loss of each batch), reviews, correct, epoch, batch, batchesPerEpoch, epochEnd,
   * gradientNorms: Float32Array [layers·directions × maxlen] (the last batch's mean ‖∂loss/∂hₜ‖) }.
   * When an epoch ends its summary joins `history` (evaluate('validation') adds val_* to it).
   */
  runBatches(count = 1) {
    this.#check();
    if (!Number.isInteger(count) || count < 1) throw new RangeError('runBatches: count must be a positive integer');
    const started = this.#epoch ?? (this.#epoch = { loss: 0, reviews: 0, correct: 0, seconds: 0 });
    const t0 = globalThis.performance ? performance.now() : Date.now();
    const result = this.#value(this.#handle.runBatches(count));
    started.seconds += ((globalThis.performance ? performance.now() : Date.now()) - t0) / 1000;
    // Batch losses are means: weight them by the batch's size (the last one may be smaller).
    const full = Math.min(this.#recipe.batchSize, this.info.trainCount);
    const sizes = result.losses.length;
    for (let i = 0; i < sizes; i++) {
      const size = i === sizes - 1 ? result.reviews - full * (sizes - 1) : full;
      started.loss += result.losses[i] * size;
    }
    started.reviews += result.reviews;
    started.correct += result.correct;
    if (result.epochEnd) {
      this.#history.push({
        epoch: result.epoch,
        loss: started.loss / started.reviews,
        accuracy: started.correct / started.reviews,
        seconds: started.seconds,
      });
      this.#epoch = null;
    }
    return result;
  }

  /** One mini-batch (runBatches(1)). */
  step() {
    return this.runBatches(1);
  }

  /**
   * Runs the rest of the current epoch in slices of `sliceBatches` batches, calling
   * onProgress(result of each slice) and yielding to the event loop between slices (so a
   * worker receives its pause/stop messages). Stops early, between slices, when `signal` is
   * aborted (the epoch can be resumed by calling again). Returns the epoch's history entry,
   * or null when stopped.
   */
  async runEpoch({ sliceBatches = 4, onProgress, signal } = {}) {
    for (;;) {
      if (signal?.aborted) return null;
      const result = this.runBatches(sliceBatches);
      onProgress?.(result);
      if (result.epochEnd) return this.#history[this.#history.length - 1];
      await yieldToEventLoop();
    }
  }

  /**
   * Metrics of the current weights on 'train', 'validation' or 'test' (the file's test split):
   * { count, loss, accuracy, precision, recall, f1, rocAuc }. Validation after an epoch's end is
   * recorded in that epoch's history entry.
   */
  evaluate(split = 'validation') {
    this.#check();
    const metrics = this.#value(this.#handle.evaluate(String(split)));
    const last = this.#history[this.#history.length - 1];
    if (split === 'validation' && last && this.#epoch === null && last.valAccuracy === undefined) {
      last.valLoss = metrics.loss;
      last.valAccuracy = metrics.accuracy;
    }
    return metrics;
  }

  /**
   * The current weights as a model file (docs/model-format.md, F32) that loadModel() reads:
   * Uint8Array. The provenance records the recipe, the data's provenance, the build and the
   * history; `extra` is merged into it (e.g. { validation_accuracy, test_accuracy }).
   */
  exportModel(extra = {}) {
    this.#check();
    const provenance = {
      trainer: `Unroll in-browser trainer (wasm/trainer, ${this.#build})`,
      data: this.#dataInfo.provenance,
      hyperparameters: this.#recipe,
      epochs: this.#history.length,
      history: this.#history,
      ...extra,
    };
    const bytes = this.#handle.exportModel(JSON.stringify(provenance));
    if (!bytes) throw new Error('trainer has not started');
    return bytes;
  }

  /** Every parameter as one Float32Array (a copy), in the core's tensor order. */
  parameters() {
    this.#check();
    return this.#handle.parameters();
  }

  /** Frees the wasm side. Safe to call twice. */
  dispose() {
    if (this.#handle) {
      this.#handle.delete();
      this.#handle = null;
    }
  }
}

/**
 * Loads a trainer on a training-data file and starts a run with `recipe` (missing keys: the
 * tutorial's, TUTORIAL_RECIPE). `data`: a Uint8Array / ArrayBuffer of the file, or a URL or path
 * (fetched, options.onProgress as fetchTrainingData). Options: simd (true | false | 'auto'),
 * wasmBase (where unroll-trainer-*.{js,wasm} live: /wasm/ in a browser, build/web-wasm in node),
 * name (for messages), signal.
 */
export async function createTrainer(data, recipe = {}, options = {}) {
  if (!hasWebAssembly()) throw new Error('WebAssembly is not available in this browser');
  const want = options.simd ?? 'auto';
  const simd = detectSimdSync();
  if (want === true && !simd) throw new Error('WebAssembly SIMD is not available in this browser');
  const variant = want === false ? 'scalar' : simd ? 'simd' : 'scalar';
  let bytes;
  let name = options.name;
  if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
  else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  else if (typeof data === 'string' || data instanceof URL) {
    name ??= String(data instanceof URL ? data.href : data).split(/[\\/]/).pop();
    bytes = await fetchTrainingData(data, options);
  } else {
    throw new TypeError('createTrainer: data must be a URL or path string, a URL, an ArrayBuffer or a Uint8Array');
  }
  name ??= 'training data';
  const full = { ...TUTORIAL_RECIPE, ...recipe };
  const [{ header, checksumVerified }, module] = await Promise.all([
    checkTrainingData(bytes, name),
    baseUrl(options.wasmBase).then((base) => loadBuild(variant, base)).catch((error) => {
      throw new Error(`unroll-trainer-${variant}: ${error.message}`, { cause: error });
    }),
  ]);
  const handle = new module.TrainerHandle(bytes, name);
  if (!handle.ok()) {
    const message = handle.error();
    handle.delete();
    throw new Error(message);
  }
  const failure = handle.start(full);
  if (failure) {
    handle.delete();
    throw new Error(`recipe: ${failure}`);
  }
  const raw = handle.dataInfo();
  const dataInfo = Object.freeze({
    vocabSize: raw.vocabSize,
    maxlen: raw.maxlen,
    splits: raw.splits,
    provenance: header.provenance ?? {},
    payloadSha256: raw.payloadSha256,
    checksumVerified,
  });
  return new Trainer(handle, module.variant, dataInfo, Object.freeze(full));
}

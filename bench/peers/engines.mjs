// The engines under test, each behind one interface (the same in node and in the browser page):
//
//   const engine = await ENGINES[name].create(model, assets)
//   engine.prepare(ids, batch, steps) → feed     (ids: Int32Array [batch × steps], row-major;
//                                                 conversion to the engine's input, not timed)
//   await engine.run(feed) → Float32Array(batch)  (probability of the positive class; timed)
//   engine.dispose()
//
// `model` is { bytes: Uint8Array of our .safetensors, onnx: Uint8Array of onnx_graph.py's graph }.
// `assets` says where each engine's files are (node paths or page URLs).
// Every engine sees the same id sequences (tokenized once, by our tokenizer). A masked model
// (config mask_padding: it reads only the words) is given to each peer in the form its library
// documents for sequences of different lengths — ONNX's sequence_lens, TF.js' mask_zero, PyTorch's
// packed sequences (torch_peer.py) — each batch only as wide as its longest review.

/**
 * Our model file's config and tensors as Float32Arrays (F16 widened exactly; an I8 embedding
 * multiplied by its per-row `embedding.scale`, as the core does: docs/model-format.md).
 */
export function readSafetensors(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
  const metadata = header.__metadata__;
  delete header.__metadata__;
  const base = 8 + length;
  const WIDTH = { F32: 4, F16: 2, I8: 1 };
  const tensors = {};
  for (const [name, info] of Object.entries(header)) {
    const [begin, end] = info.data_offsets;
    const count = info.shape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(count);
    if (info.dtype === 'F32') {
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(base + begin + 4 * i, true);
    } else if (info.dtype === 'F16') {
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(base + begin + 2 * i, true));
    } else if (info.dtype === 'I8') {
      for (let i = 0; i < count; i++) out[i] = view.getInt8(base + begin + i);
    } else {
      throw new Error(`tensor ${name}: dtype ${info.dtype} not supported by the benchmark`);
    }
    if (end - begin !== count * WIDTH[info.dtype]) throw new Error(`tensor ${name}: bad byte length`);
    tensors[name] = { shape: info.shape, data: out };
  }
  const scale = tensors['embedding.scale'];
  if (scale) {
    const { shape, data } = tensors.embedding;
    // Math.fround: the core multiplies in float32.
    for (let i = 0; i < data.length; i++) data[i] = Math.fround(data[i] * scale.data[Math.floor(i / shape[1])]);
    delete tensors['embedding.scale'];
  }
  return { config: JSON.parse(metadata.config), tensors };
}

/**
 * A masked model's batch as the peers take it: each row's words (nonzero ids, in order) aligned
 * to the start ('start': ONNX sequence_lens) or the end ('end': Keras pre-padding, for mask_zero),
 * the batch only as wide as its longest row. Returns { ids: Int32Array [batch × width], lengths:
 * Int32Array [batch], width }. Id 0 is padding (docs/model-format.md).
 */
export function wordsOnly(ids, batch, steps, align) {
  const lengths = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < steps; t++) if (ids[b * steps + t] !== 0) lengths[b]++;
  }
  const width = Math.max(1, ...lengths);
  const out = new Int32Array(batch * width);
  for (let b = 0; b < batch; b++) {
    let at = b * width + (align === 'end' ? width - lengths[b] : 0);
    for (let t = 0; t < steps; t++) {
      const id = ids[b * steps + t];
      if (id !== 0) out[at++] = id;
    }
  }
  return { ids: out, lengths, width };
}

function halfToFloat(h) {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

// ------------------------------------------------------------------------------------------ ours

/** Ours: the product API (wasm/api/unroll.js), `model.predictBatch` over id sequences. */
async function createOurs(model, assets) {
  const { loadModel } = await import(assets.unrollApi);
  const m = await loadModel(model.bytes.slice(), { name: 'bench.safetensors', simd: true, ...assets.unrollOptions });
  return {
    api: 'model.predictBatch (wasm/api/unroll.js)',
    version: `unroll ${m.info.build}`,
    prepare: (ids, batch, steps) => ({ ids, batch, steps }),
    // predictBatch(id arrays): one Int32Array per review.
    run: async ({ ids, batch, steps }) =>
      m.predictBatch(Array.from({ length: batch }, (_, b) => ids.subarray(b * steps, (b + 1) * steps))),
    memory: () => m.memory().heapSize,
    dispose: () => m.dispose(),
  };
}

// ------------------------------------------------------------------------------------------ TF.js

/**
 * A tf.layers model with the same math: Embedding → simpleRNN / lstm (recurrentActivation
 * 'sigmoid': tfjs defaults to hard sigmoid) / GRU with reset_after (tfjs' gru lacks it: a custom
 * cell below) → Dense(1, sigmoid); bidirectional layers through tf.layers.bidirectional (concat).
 */
function buildTfModel(tf, bytes) {
  const { config, tensors } = readSafetensors(bytes);
  const { units, layers } = config;
  const bi = config.bidirectional;
  const input = tf.input({ shape: [null], dtype: 'int32' });
  // mask_zero: the recurrent layers (and both directions of tf.layers.bidirectional) skip the
  // padding, carrying their state over it, as Keras does.
  let x = tf.layers.embedding({ inputDim: config.vocab_size, outputDim: config.embedding_dim, maskZero: !!config.mask_padding }).apply(input);
  for (let l = 0; l < layers; l++) {
    const returnSequences = l < layers - 1;
    // Initialisers are irrelevant (setWeights below) and tfjs' orthogonal one is slow.
    const zeros = { kernelInitializer: 'zeros', recurrentInitializer: 'zeros' };
    const make = () => {
      if (config.cell === 'simple_rnn') return tf.layers.simpleRNN({ units, returnSequences, activation: 'tanh', ...zeros });
      if (config.cell === 'lstm') return tf.layers.lstm({ units, returnSequences, activation: 'tanh', recurrentActivation: 'sigmoid', ...zeros });
      return tf.layers.rnn({ cell: new (resetAfterGruCell(tf))({ units }), returnSequences });
    };
    if (bi && config.cell === 'gru') {
      // tf.layers.bidirectional cannot clone a custom cell (its config round trip fails), so the
      // two directions are built by hand: the backward one reads the sequence reversed
      // (goBackwards) and, without returned sequences, ends on h_0(bwd), as Keras' Bidirectional.
      if (returnSequences) throw new Error('tfjs: stacked bidirectional GRU is not built by this benchmark');
      const cell = resetAfterGruCell(tf);
      const forward = tf.layers.rnn({ cell: new cell({ units }) }).apply(x);
      const backward = tf.layers.rnn({ cell: new cell({ units }), goBackwards: true }).apply(x);
      x = tf.layers.concatenate().apply([forward, backward]);
      continue;
    }
    x = (bi ? tf.layers.bidirectional({ layer: make(), mergeMode: 'concat' }) : make()).apply(x);
  }
  const output = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(x);
  const model = tf.model({ inputs: input, outputs: output });

  const t = (name) => tensors[name];
  const weights = [t('embedding')];
  for (let l = 0; l < layers; l++) {
    for (const d of bi ? ['fwd', 'bwd'] : ['fwd']) {
      const p = `rnn.${l}.${d}.`;
      weights.push(t(p + 'kernel'), t(p + 'recurrent_kernel'), t(p + 'bias'));
      if (config.cell === 'gru') weights.push(t(p + 'recurrent_bias'));
    }
  }
  weights.push(t('head.kernel'), t('head.bias'));
  const expected = model.getWeights().map((w) => w.shape.join('x'));
  const given = weights.map((w) => w.shape.join('x'));
  if (expected.join(' ') !== given.join(' ')) throw new Error(`tfjs weights: expected ${expected}, got ${given}`);
  model.setWeights(weights.map((w) => tf.tensor(w.data, w.shape)));
  return model;
}

/** GRU, Keras reset_after=True (our equations), as a tf.layers RNN cell. */
let gruCellClass = null;
function resetAfterGruCell(tf) {
  if (gruCellClass) return gruCellClass;
  // tf.RNNCell is not exported; GRUCell's base class is it.
  const RNNCell = Object.getPrototypeOf(tf.layers.gruCell({ units: 1 }).constructor);
  class ResetAfterGruCell extends RNNCell {
    constructor({ units }) {
      super({});
      this.units = units;
      this.stateSize = units;
    }
    build(inputShape) {
      const inputDim = inputShape[inputShape.length - 1];
      const u = this.units;
      const zeros = tf.initializers.zeros();
      this.kernel = this.addWeight('kernel', [inputDim, 3 * u], 'float32', zeros);
      this.recurrentKernel = this.addWeight('recurrent_kernel', [u, 3 * u], 'float32', zeros);
      this.bias = this.addWeight('bias', [3 * u], 'float32', zeros);
      this.recurrentBias = this.addWeight('recurrent_bias', [3 * u], 'float32', zeros);
      this.built = true;
    }
    call(inputs) {
      return tf.tidy(() => {
        const [x, hPrev] = [inputs[0], inputs[1]];
        const u = this.units;
        const xw = tf.add(tf.matMul(x, this.kernel.read()), this.bias.read());
        const hu = tf.add(tf.matMul(hPrev, this.recurrentKernel.read()), this.recurrentBias.read());
        const [xz, xr, xn] = tf.split(xw, [u, u, u], 1);
        const [hz, hr, hn] = tf.split(hu, [u, u, u], 1);
        const z = tf.sigmoid(tf.add(xz, hz));
        const r = tf.sigmoid(tf.add(xr, hr));
        const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
        const h = tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), n));
        return [h, h];
      });
    }
    getConfig() {
      return { ...super.getConfig(), units: this.units };
    }
    static get className() {
      return 'ResetAfterGruCell';
    }
  }
  tf.serialization.registerClass(ResetAfterGruCell);
  gruCellClass = ResetAfterGruCell;
  return gruCellClass;
}

function tfEngine(backendName) {
  return async (model, assets) => {
    const tf = assets.tf;
    if (backendName === 'wasm') {
      assets.setTfWasmPaths?.();
    }
    if (!(await tf.setBackend(backendName))) throw new Error(`tfjs backend ${backendName} unavailable`);
    await tf.ready();
    const net = buildTfModel(tf, model.bytes);
    const masked = !!readSafetensors(model.bytes).config.mask_padding;
    return {
      api: `tf.LayersModel.predict, backend ${backendName}${masked ? ', mask_zero' : ''}`,
      version: `@tensorflow/tfjs ${tf.version.tfjs}`,
      prepare: (ids, batch, steps) => {
        if (!masked) return tf.tensor2d(ids, [batch, steps], 'int32');
        const rows = wordsOnly(ids, batch, steps, 'end');
        return tf.tensor2d(rows.ids, [batch, rows.width], 'int32');
      },
      run: async (x) => {
        const y = net.predict(x);
        const data = await y.data();
        y.dispose();
        return data;
      },
      memory: () => tf.memory().numBytes,
      dispose: () => net.dispose(),
    };
  };
}

// ------------------------------------------------------------------------------------------ ONNX Runtime

function ortEngine(kind) {
  return async (model, assets) => {
    const ort = kind === 'node' ? assets.ortNode : assets.ortWeb;
    if (kind === 'web') {
      ort.env.wasm.numThreads = 1;
      ort.env.wasm.simd = true;
      if (assets.ortWasmPaths) ort.env.wasm.wasmPaths = assets.ortWasmPaths;
    }
    const options = { graphOptimizationLevel: 'all', executionMode: 'sequential' };
    if (kind === 'node') Object.assign(options, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    else options.executionProviders = ['wasm'];
    const session = await ort.InferenceSession.create(model.onnx, options);
    // onnx_graph.py gives a masked model a second input, each row's length (sequence_lens).
    const masked = session.inputNames.includes('lengths');
    return {
      api: (kind === 'node' ? 'InferenceSession (CPU EP, 1 thread)' : 'InferenceSession (wasm EP, SIMD, 1 thread)') + (masked ? ', sequence_lens' : ''),
      version: `onnxruntime-${kind} ${assets[kind === 'node' ? 'ortNodeVersion' : 'ortWebVersion']}`,
      prepare: (ids, batch, steps) => {
        if (!masked) return { ids: new ort.Tensor('int32', ids, [batch, steps]) };
        const rows = wordsOnly(ids, batch, steps, 'start');
        return { ids: new ort.Tensor('int32', rows.ids, [batch, rows.width]), lengths: new ort.Tensor('int32', rows.lengths, [batch]) };
      },
      run: async (feed) => {
        const result = await session.run(feed);
        return result.probability.data;
      },
      memory: () => null,
      dispose: () => session.release(),
    };
  };
}

export const ENGINES = {
  ours: { label: 'Unroll (ours, wasm SIMD)', create: createOurs },
  'tfjs-wasm': { label: 'TF.js wasm', create: tfEngine('wasm') },
  'tfjs-cpu': { label: 'TF.js cpu', create: tfEngine('cpu') },
  'ort-web': { label: 'ONNX Runtime Web (wasm, 1 thread)', create: ortEngine('web') },
  'ort-node': { label: 'ONNX Runtime Node (native, 1 thread)', create: ortEngine('node') },
};

// ------------------------------------------------------------------------------------------ timing

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Median of one call's time in ms after `warmup` calls: at most `runs` calls or `budgetMs`. */
export async function medianMs(fn, { warmup, runs, budgetMs }) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  const start = now();
  while (times.length < runs && (now() - start < budgetMs || times.length < 5)) {
    const t0 = now();
    await fn();
    times.push(now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], runs: times.length };
}

/** Reviews per second over `ids` ([count × steps]) in batches; stops early after budgetMs. */
export async function throughput(engine, ids, count, steps, { batch, budgetMs }) {
  const feeds = [];
  for (let b = 0; b < count; b += batch) {
    const n = Math.min(batch, count - b);
    feeds.push({ n, feed: null, slice: ids.subarray(b * steps, (b + n) * steps) });
  }
  await engine.run(engine.prepare(feeds[0].slice, feeds[0].n, steps));  // warm-up
  let done = 0;
  let elapsed = 0;
  for (const f of feeds) {
    const feed = engine.prepare(f.slice, f.n, steps);  // input conversion is not timed
    const t0 = now();
    await engine.run(feed);
    elapsed += now() - t0;
    feed?.dispose?.();
    done += f.n;
    if (elapsed > budgetMs) break;
  }
  return { reviews: done, seconds: elapsed / 1000, perSecond: done / (elapsed / 1000), batch };
}

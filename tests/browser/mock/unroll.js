// A stand-in for wasm/api/unroll.js, for page development and browser tests only.
// It implements the API of docs/js-api.md with small, seeded, hand-tilted weights so that
// clearly positive and clearly negative reviews come out right. Selected by UNROLL_MOCK=1
// (see vite.config.js); never part of a production build.

const POSITIVE = `good great excellent wonderful amazing brilliant superb love loved loves lovely beautiful
best masterpiece moving delight delightful fun funny enjoyed enjoy enjoyable perfect perfectly fantastic
stunning gorgeous charming touching heartfelt powerful favorite favourite recommend recommended gem
clever smart witty warm fresh outstanding terrific memorable beautifully impressive joy pleasure
superbly incredible tender haunting riveting gripping`.split(/\s+/);
const NEGATIVE = `bad worst awful terrible boring bored dull waste wasted horrible poor poorly stupid mess
disappointing disappointed disappointment lame weak annoying pointless predictable mediocre ugly hate
hated painful tedious cheap nonsense forgettable ridiculous unwatchable sloppy bland lazy clumsy
overlong incoherent flat fails failed failure worse garbage trash slow unfunny`.split(/\s+/);
const NEUTRAL = `the a an and of to is was it in that this i you he she they we film movie story plot
acting actor actors actress director script scene scenes character characters ending end time minutes
hour hours but not no never very really just so too much more most all some any what who how why when
there here be been being have has had do does did with for on at by from as about than then up down
out over into after before again only even also still yet though although while if or because which
one two three first last new old long short little big whole part parts way thing things people man
woman world life love's its it's i'm don't didn't doesn't isn't wasn't can't won't could would should
will can may might must see saw seen watch watched watching make made makes give gave get got go went
think thought feel felt know knew say said look looks looked seems seemed music score camera cast
performance performances role roles screen cinema hollywood series sequel book version year years day
night action comedy drama horror romance thriller effects special visual dialogue lines scene's bit
lot kind sort something nothing everything anything every each other another such own same well back
my your his her their our me him them us what's`.split(/\s+/);

const SHIPPED = {
  'seed-rnn': { cell: 'simple_rnn', layers: 2, units: 16, bidirectional: false, maxlen: 80, acc: 0.842 },
  'bi-rnn': { cell: 'simple_rnn', layers: 1, units: 12, bidirectional: true, maxlen: 80, acc: 0.851 },
  best: { cell: 'lstm', layers: 1, units: 24, bidirectional: true, maxlen: 200, acc: 0.887 },
  'mock-gru': { cell: 'gru', layers: 1, units: 16, bidirectional: false, maxlen: 120, acc: 0.874 },
  'mock-gru-bi': { cell: 'gru', layers: 2, units: 8, bidirectional: true, maxlen: 60, acc: 0.86 },
};
const GATES = { simple_rnn: ['h'], lstm: ['i', 'f', 'c', 'o'], gru: ['z', 'r', 'n'] };

function rng(seed) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (sd = 1) => sd * Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

const sigmoid = (x) => 1 / (1 + Math.exp(-x));

/** x (length n) · M ([n × m], row-major) → length m. */
function vecMat(x, M, n, m) {
  const out = new Float32Array(m);
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    for (let j = 0; j < m; j++) out[j] += xi * M[i * m + j];
  }
  return out;
}

function buildWeights(name, spec) {
  const normal = rng([...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
  const words = [...new Set([...POSITIVE, ...NEGATIVE, ...NEUTRAL])];
  const vocabSize = words.length + 3;
  const E = 12;
  const embedding = new Float32Array(vocabSize * E);
  const pos = new Set(POSITIVE);
  const neg = new Set(NEGATIVE);
  for (let id = 0; id < vocabSize; id++) {
    const w = words[id - 3];
    for (let k = 0; k < E; k++) embedding[id * E + k] = normal(0.25);
    embedding[id * E] = pos.has(w) ? 1.6 : neg.has(w) ? -1.6 : normal(0.1);
  }
  const G = GATES[spec.cell].length;
  const H = spec.units;
  const D = spec.bidirectional ? 2 : 1;
  const sentimentSign = (u) => (u % 4 === 0 ? 1 : u % 4 === 1 ? -1 : 0);
  const layers = [];
  for (let l = 0; l < spec.layers; l++) {
    const inDim = l === 0 ? E : H * D;
    for (let d = 0; d < D; d++) {
      const W = new Float32Array(inDim * G * H);
      const U = new Float32Array(H * G * H);
      const b = new Float32Array(G * H);
      const rb = new Float32Array(G * H);
      for (let i = 0; i < W.length; i++) W[i] = normal(0.35);
      for (let i = 0; i < U.length; i++) U[i] = normal(0.12);
      for (let i = 0; i < b.length; i++) b[i] = normal(0.05);
      // The candidate block (last for LSTM c, GRU n, the only one for SimpleRNN) carries sentiment.
      const cand = spec.cell === 'lstm' ? 2 : G - 1;
      for (let u = 0; u < H; u++) {
        const s = sentimentSign(u);
        if (l === 0) W[0 * G * H + cand * H + u] += 1.1 * s;
        else for (let dd = 0; dd < D; dd++) W[(dd * H + u) * G * H + cand * H + u] += 1.0;
        U[u * G * H + cand * H + u] += spec.cell === 'simple_rnn' ? 0.75 : 0.4;
        if (spec.cell === 'lstm') { b[1 * H + u] += 1.2; b[3 * H + u] += 0.8; }
        if (spec.cell === 'gru') b[0 * H + u] += 0.6;
      }
      layers.push({ layer: l, direction: d ? 'backward' : 'forward', inDim, W, U, b, rb });
    }
  }
  const head = new Float32Array(H * D);
  for (let d = 0; d < D; d++)
    for (let u = 0; u < H; u++) head[d * H + u] = 1.3 * sentimentSign(u) / D + normal(0.05);
  return { words, vocabSize, E, G, H, D, embedding, layers, head, headBias: 0.1 };
}

/** Core-like tokenizer: tags are spaces; a word is a run of letters, marks, digits, apostrophes. */
function tokenizeText(text) {
  const cleaned = text.replace(/<[^>]*>/g, (m) => ' '.repeat(m.length));
  const tokens = [];
  const re = /[\p{L}\p{M}\p{N}']+/gu;
  let byte = 0;
  let last = 0;
  const utf8 = (from, to) => {
    let n = 0;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (c >= 0xd800 && c < 0xdc00) { n += 4; i++; }
      else n += 3;
    }
    return n;
  };
  for (let m; (m = re.exec(cleaned)); ) {
    let begin = m.index;
    let end = begin + m[0].length;
    while (begin < end && text[begin] === "'") begin++;
    while (end > begin && text[end - 1] === "'") end--;
    if (begin === end) continue;
    byte += utf8(last, begin);
    const byteBegin = byte;
    byte += utf8(begin, end);
    last = end;
    tokens.push({ text: text.slice(begin, end).toLowerCase(), begin, end, byteBegin, byteEnd: byte });
  }
  return tokens;
}

function makeSequence(wordIds, spec) {
  // Virtual sequence: index 0 is the start id, index i + 1 is word i. Keep a window of it, then pad.
  const full = wordIds.length + 1;
  const maxlen = spec.maxlen > 0 ? spec.maxlen : full;
  const kept = Math.min(full, maxlen);
  const from = full > maxlen && spec.truncating === 'pre' ? full - maxlen : 0;
  const padding = maxlen - kept;
  const offset = spec.padding === 'pre' ? padding : 0;
  const ids = new Int32Array(maxlen);
  const tokenIndex = new Int32Array(maxlen).fill(-1);
  const position = new Int32Array(wordIds.length).fill(-1);
  for (let k = 0; k < kept; k++) {
    const v = from + k;
    const t = offset + k;
    if (v === 0) ids[t] = 1;
    else { ids[t] = wordIds[v - 1]; tokenIndex[t] = v - 1; position[v - 1] = t; }
  }
  return { ids, tokenIndex, position, padding, startKept: from === 0 };
}

function forward(w, spec, ids) {
  const T = ids.length;
  const { G, H, D, E } = w;
  const cell = spec.cell;
  let inputs = Array.from({ length: T }, (_, t) => w.embedding.subarray(ids[t] * E, ids[t] * E + E));
  const traces = [];
  for (let l = 0; l < spec.layers; l++) {
    const outs = Array.from({ length: T }, () => new Float32Array(H * D));
    for (let d = 0; d < D; d++) {
      const L = w.layers[l * D + d];
      const tr = {
        layer: l, direction: L.direction, units: H,
        hidden: new Float32Array(T * H), cell: cell === 'lstm' ? new Float32Array(T * H) : null,
        gates: new Float32Array(T * G * H), inputPart: new Float32Array(T * G * H),
        recurrentPart: new Float32Array(T * G * H), preactivation: new Float32Array(T * G * H),
      };
      let h = new Float32Array(H);
      let c = new Float32Array(H);
      for (let k = 0; k < T; k++) {
        const t = d === 0 ? k : T - 1 - k;
        const xp = vecMat(inputs[t], L.W, L.inDim, G * H);
        const hp = vecMat(h, L.U, H, G * H);
        const pre = new Float32Array(G * H);
        const gate = new Float32Array(G * H);
        const hn = new Float32Array(H);
        if (cell === 'simple_rnn') {
          for (let j = 0; j < H; j++) { pre[j] = xp[j] + hp[j] + L.b[j]; gate[j] = hn[j] = Math.tanh(pre[j]); }
        } else if (cell === 'lstm') {
          for (let j = 0; j < 4 * H; j++) pre[j] = xp[j] + hp[j] + L.b[j];
          for (let u = 0; u < H; u++) {
            const i = sigmoid(pre[u]), f = sigmoid(pre[H + u]), g = Math.tanh(pre[2 * H + u]), o = sigmoid(pre[3 * H + u]);
            gate[u] = i; gate[H + u] = f; gate[2 * H + u] = g; gate[3 * H + u] = o;
            c[u] = f * c[u] + i * g;
            hn[u] = o * Math.tanh(c[u]);
          }
          tr.cell.set(c, t * H);
        } else {
          for (let u = 0; u < H; u++) {
            const z = sigmoid(xp[u] + L.b[u] + hp[u] + L.rb[u]);
            const r = sigmoid(xp[H + u] + L.b[H + u] + hp[H + u] + L.rb[H + u]);
            const npre = xp[2 * H + u] + L.b[2 * H + u] + r * (hp[2 * H + u] + L.rb[2 * H + u]);
            const n = Math.tanh(npre);
            pre[u] = xp[u] + L.b[u] + hp[u] + L.rb[u];
            pre[H + u] = xp[H + u] + L.b[H + u] + hp[H + u] + L.rb[H + u];
            pre[2 * H + u] = npre;
            gate[u] = z; gate[H + u] = r; gate[2 * H + u] = n;
            hn[u] = z * h[u] + (1 - z) * n;
          }
        }
        h = hn;
        tr.hidden.set(h, t * H);
        tr.gates.set(gate, t * G * H);
        tr.inputPart.set(xp, t * G * H);
        tr.recurrentPart.set(hp, t * G * H);
        tr.preactivation.set(pre, t * G * H);
        outs[t].set(h, d * H);
      }
      traces.push(tr);
    }
    inputs = outs;
  }
  const top = traces.slice(-D);
  const headOn = (vec) => vec.reduce((s, v, i) => s + v * w.head[i], w.headBias);
  let logit;
  let runningLogit = null;
  if (D === 1) {
    runningLogit = new Float32Array(T);
    for (let t = 0; t < T; t++) runningLogit[t] = headOn(top[0].hidden.subarray(t * H, t * H + H));
    logit = T ? runningLogit[T - 1] : w.headBias;
  } else {
    const v = new Float32Array(2 * H);
    if (T) { v.set(top[0].hidden.subarray((T - 1) * H, T * H), 0); v.set(top[1].hidden.subarray(0, H), H); }
    logit = headOn(v);
  }
  return { traces, logit, runningLogit };
}

class MockModel {
  constructor(name, spec) {
    this.spec = { padding: 'pre', truncating: 'pre', ...spec };
    this.w = buildWeights(name, spec);
    this.vocab = new Map(this.w.words.map((word, i) => [word, i + 3]));
    this.disposed = false;
    const { w } = this;
    const params = w.vocabSize * w.E + w.layers.reduce((s, L) => s + L.W.length + L.U.length + L.b.length, 0) + w.head.length + 1;
    this.info = {
      name, cell: spec.cell, layers: spec.layers, units: spec.units, directions: w.D, bidirectional: spec.bidirectional,
      vocabSize: w.vocabSize, embeddingDim: w.E, maxlen: spec.maxlen, padding: 'pre', truncating: 'pre', startToken: true,
      gateNames: GATES[spec.cell],
      provenance: { trainer: 'mock (tests/browser/mock)', dataset: 'none — random weights tilted by a word list', seed: 7, epochs: 0, test_accuracy: spec.acc, note: '<b>not</b> a real model' },
      build: 'scalar', parameters: params,
    };
  }
  check() { if (this.disposed) throw new Error('model is disposed'); }
  tokenize(text) {
    this.check();
    const raw = tokenizeText(String(text));
    const wordIds = raw.map((t) => this.vocab.get(t.text) ?? 2);
    const seq = makeSequence(wordIds, this.spec);
    let keptTokens = 0;
    const tokens = raw.map((t, i) => {
      t.index = i; t.id = wordIds[i]; t.oov = wordIds[i] === 2; t.position = seq.position[i]; t.inWindow = t.position >= 0;
      if (t.inWindow) keptTokens++;
      return t;
    });
    const oovTokens = tokens.reduce((n, t) => n + (t.oov ? 1 : 0), 0);
    return { tokens, ids: seq.ids, tokenIndex: seq.tokenIndex, steps: seq.ids.length, keptTokens, totalTokens: tokens.length, oovTokens, firstToken: 0, padding: seq.padding, startKept: seq.startKept };
  }
  /** [from, to) of the tokens run() returns: the window and up to 16 on its truncated side, as wasm does. */
  keptRange(total) {
    const keep = this.spec.maxlen > 0 ? this.spec.maxlen + 16 : Infinity;
    if (total <= keep) return [0, total];
    return this.spec.truncating === 'pre' ? [total - keep, total] : [0, keep];
  }
  run(text) {
    const all = this.tokenize(text);
    const [from, to] = this.keptRange(all.totalTokens);
    const tok = { ...all, tokens: all.tokens.slice(from, to), firstToken: from, tokenIndex: all.tokenIndex.map((i) => (i < 0 ? -1 : i - from)) };
    const { traces, logit, runningLogit } = forward(this.w, this.spec, tok.ids);
    const probability = sigmoid(logit);
    let stepEffect = null;
    if (runningLogit) {
      stepEffect = new Float32Array(runningLogit.length);
      for (let t = 0; t < runningLogit.length; t++) stepEffect[t] = runningLogit[t] - (t ? runningLogit[t - 1] : this.w.headBias);
    }
    return {
      probability, logit, label: probability >= 0.5 ? 'positive' : 'negative', ...tok,
      layers: traces, bias: this.w.layers.map((L) => Float32Array.from(L.b)),
      runningLogit, runningProbability: runningLogit ? runningLogit.map(sigmoid) : null, stepEffect,
    };
  }
  leaveOneOut(text) {
    const tok = this.tokenize(text);
    const base = forward(this.w, this.spec, tok.ids).logit;
    const ids = tok.tokens.map((t) => t.id);
    const out = new Float32Array(tok.tokens.length).fill(NaN);
    tok.tokens.forEach((t, i) => {
      if (!t.inWindow) return;
      const seq = makeSequence(ids.filter((_, j) => j !== i), this.spec);
      out[i] = base - forward(this.w, this.spec, seq.ids).logit;
    });
    return out.slice(...this.keptRange(out.length));
  }
  /** Mock memory lens: made-up gradients of the right shapes (the real ones come from the core). */
  attribution(text) {
    const r = this.run(text);
    const T = r.steps;
    const decay = (d) => Math.exp(-0.25 * d);
    const wordGradient = Float32Array.from({ length: T }, (_, t) => decay(T - 1 - t));
    const gradTimesInput = wordGradient.map((v, t) => (t % 2 ? v : -v) / 2);
    const stateGradient = r.layers.map((L) => {
      const values = Float32Array.from({ length: T }, (_, t) => decay(L.direction === 'backward' ? t : T - 1 - t));
      let fadeStep = -1;
      for (let i = 0; i < T && fadeStep < 0; i++) {
        const t = L.direction === 'backward' ? i : T - 1 - i;
        if (values[t] < 0.01) fadeStep = t;
      }
      return { layer: L.layer, direction: L.direction, values, fadeStep };
    });
    const top = stateGradient.filter((g) => g.direction === 'forward').pop();
    return { steps: T, logit: r.logit, probability: r.probability, wordGradient, gradTimesInput, stateGradient, fadeStep: top ? top.fadeStep : -1, fadeFraction: 0.01 };
  }
  knockoutRanking(text, layer) {
    const units = this.w.H;
    return Array.from({ length: units }, (_, u) => ({ unit: u, logitChange: (units - u) / (10 * units), probabilityChange: (units - u) / (40 * units) }));
  }
  topWords(layer, direction, unit, k) {
    this.check();
    if (layer !== 0) throw new Error('topWords: layer 0 only');
    const L = this.w.layers[direction === 'backward' ? 1 : 0];
    const { E, G, H, words } = this.w;
    const scored = words.map((word, i) => {
      const id = i + 3;
      let v = 0;
      for (let e = 0; e < E; e++) v += this.w.embedding[id * E + e] * L.W[e * G * H + unit];
      return { word, id, value: v };
    });
    scored.sort((a, b) => b.value - a.value);
    return { positive: scored.slice(0, k), negative: scored.slice(-k).reverse() };
  }
  /** Mock of the word suggestions (docs/js-api.md), by the same definitions, brute force. */
  wordEffect(id) {
    this.check();
    if (!Number.isInteger(id) || id < 3 || id >= this.w.vocabSize) return NaN;
    const one = (ids) => forward(this.w, this.spec, makeSequence(ids, this.spec).ids).logit;
    return one([id]) - one([]);
  }
  nearestWords(id, k = 8) {
    this.check();
    if (!Number.isInteger(id) || id < 3 || id >= this.w.vocabSize) return [];
    const { E, embedding, words } = this.w;
    const row = (i) => embedding.subarray(i * E, (i + 1) * E);
    const cos = (a, b) => { let d = 0, na = 0, nb = 0; for (let e = 0; e < E; e++) { d += a[e] * b[e]; na += a[e] * a[e]; nb += b[e] * b[e]; } return na && nb ? d / Math.sqrt(na * nb) : 0; };
    return words.map((word, i) => ({ id: i + 3, word, similarity: cos(row(id), row(i + 3)) }))
      .filter((w) => w.id !== id).sort((a, b) => b.similarity - a.similarity || a.id - b.id).slice(0, k);
  }
  oppositeWords(id, k = 8) {
    this.check();
    if (!Number.isInteger(id) || id < 3 || id >= this.w.vocabSize) return [];
    const positive = this.wordEffect(id) >= 0;
    return this.w.words.map((word, i) => ({ id: i + 3, word, effect: this.wordEffect(i + 3) }))
      .filter((w) => w.id !== id && (positive ? w.effect < 0 : w.effect >= 0))
      .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect)).slice(0, k);
  }
  dispose() { this.disposed = true; }
}

export async function detectSimd() { return false; }

/** Mock loadModel: knows the shipped names; anything else fails like a missing file. */
export async function loadModel(source, options = {}) {
  if (typeof WebAssembly === 'undefined') throw new Error('WebAssembly is not available in this browser');
  const url = String(source);
  const file = options.name || url.split('/').pop() || 'model';
  const name = file.replace(/\.safetensors$/, '');
  await new Promise((r) => setTimeout(r, 120)); // let the loading state be visible
  if (!(name in SHIPPED)) throw new Error(`${file}: HTTP 404 Not Found`);
  return new MockModel(name, SHIPPED[name]);
}

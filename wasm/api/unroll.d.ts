// Types of the JavaScript API (wasm/api/unroll.js), as docs/js-api.md documents it. Checked by
// `npx tsc -p tests/types` (scripts/test.sh, js stage) against a typed usage example and the JS
// tests' use of the API.

/** Options of {@link loadModel}. */
export interface LoadOptions {
  /** 'auto' (default): feature-detect; true: require SIMD; false: the scalar build. */
  simd?: 'auto' | boolean;
  /** File name used in error messages (default: the URL's last segment, or 'model'). */
  name?: string;
  /**
   * Where unroll-{simd,scalar}.{js,wasm} are: in a browser a URL (default '/wasm/', resolved against
   * the page); in node a directory path or file: URL (default $UNROLL_WASM_DIR, else the package's
   * build/web-wasm/).
   */
  wasmBase?: string | URL;
}

export type Cell = 'simple_rnn' | 'lstm' | 'gru';
export type Direction = 'forward' | 'backward';

/** `model.info`: the model's configuration, provenance and the build that runs it. */
export interface ModelInfo {
  /** The file name without `.safetensors`. */
  readonly name: string;
  readonly cell: Cell;
  readonly layers: number;
  readonly units: number;
  /** 1, or 2 when bidirectional. */
  readonly directions: number;
  readonly bidirectional: boolean;
  readonly vocabSize: number;
  readonly embeddingDim: number;
  readonly maxlen: number;
  readonly padding: 'pre' | 'post';
  readonly truncating: 'pre' | 'post';
  readonly startToken: boolean;
  /**
   * Keras mask_zero: the model reads only the words. Its runs have no padding steps (a 5-word
   * review is 6 steps, the start id included), and `maxlen` only truncates.
   */
  readonly maskPadding: boolean;
  /**
   * What the head reads: 'last', the top layer's final state(s); 'mean' / 'max', its output
   * averaged / maxed over every step run (the model file's `pooling`, docs/model-format.md).
   */
  readonly pooling: 'last' | 'mean' | 'max';
  /** ['h'] (SimpleRNN), ['i','f','c','o'] (LSTM), ['z','r','n'] (GRU). */
  readonly gateNames: readonly string[];
  /** The file's provenance object (free-form). */
  readonly provenance: Record<string, unknown>;
  readonly build: 'simd' | 'scalar';
  readonly parameters: number;
  /** The compiled kernels. */
  readonly backend: 'wasm_simd128' | 'eigen';
  /** The head on h_0 = 0 (what stepEffect[0] is measured from). */
  readonly headBias: number;
}

/** One token of a review. */
export interface Token {
  text: string;
  /** The token's place among all `totalTokens`. */
  index: number;
  /** UTF-16 indices into the review: `text.slice(begin, end)`. */
  begin: number;
  end: number;
  /** UTF-8 byte offsets. */
  byteBegin: number;
  byteEnd: number;
  id: number;
  oov: boolean;
  inWindow: boolean;
  /** Step index in the sequence, or -1. */
  position: number;
}

/** The fields `tokenize()` and `run()` share. */
export interface Tokenization {
  tokens: Token[];
  /** The sequence the network reads (padding 0, start 1). */
  ids: Int32Array;
  /** Per step: index into `tokens`, or -1 (padding / start). */
  tokenIndex: Int32Array;
  steps: number;
  keptTokens: number;
  totalTokens: number;
  oovTokens: number;
  /** The `index` of `tokens[0]`. */
  firstToken: number;
  padding: number;
  startKept: boolean;
}

/** One layer entry of a trace: layer `⌊i / directions⌋`, direction `i mod directions`. Row-major. */
export interface LayerTrace {
  layer: number;
  direction: Direction;
  units: number;
  /** steps × units: row t = h_t. */
  hidden: Float32Array;
  /** steps × units, LSTM only. */
  cell: Float32Array | null;
  /** steps × G·units, after activation, blocks per gateNames. */
  gates: Float32Array;
  /** steps × G·units: x_t·W. */
  inputPart: Float32Array;
  /** steps × G·units: h_{t-1}·U. */
  recurrentPart: Float32Array;
  /** steps × G·units. */
  preactivation: Float32Array;
}

/** The forward pass with every hidden state (`runIds()`: these fields plus `ids` and `steps`). */
export interface Trace {
  probability: number;
  logit: number;
  /** 'positive' when probability ≥ 0.5. */
  label: 'positive' | 'negative';
  layers: LayerTrace[];
  /** b per layer entry (G·units). */
  bias: Float32Array[];
  /** GRU's b' per layer entry, null for other cells. */
  recurrentBias: (Float32Array | null)[];
  /** Unidirectional models: the head on h_t of the top layer; null otherwise. */
  runningLogit: Float32Array | null;
  runningProbability: Float32Array | null;
  /** runningLogit[t] − runningLogit[t−1] (t = 0: minus the head on h_0 = 0). */
  stepEffect: Float32Array | null;
}

/** `model.run(text)`: the trace and the tokens near the window. */
export interface RunResult extends Trace, Tokenization {}

/** `model.runIds(ids)`. */
export interface RunIdsResult extends Trace {
  ids: Int32Array;
  steps: number;
}

export interface TopWord {
  word: string;
  id: number;
  value: number;
}

export interface TopWords {
  /** Largest first. */
  positive: TopWord[];
  /** Smallest first. */
  negative: TopWord[];
}

/** `model.nearestWords()`: a word and the cosine similarity of its embedding row to the asked word's. */
export interface NearWord {
  id: number;
  word: string;
  /** −1..1. */
  similarity: number;
}

/** `model.oppositeWords()`: a word and its effect (`model.wordEffect(id)`), of the other sign. */
export interface OppositeWord {
  id: number;
  word: string;
  /** logit(the word alone) − logit(the empty review). */
  effect: number;
}

/**
 * One knocked-out unit for a call (`run`, `attribution`, `knockoutRanking`): h_t[unit] of that
 * layer and direction fixed at every step, at 0 (`'zero'`) or at `value` in [−1, 1] (`'clamp'`,
 * default 1).
 */
export interface Knockout {
  layer: number;
  direction: Direction | 0 | 1;
  unit: number;
  mode?: 'zero' | 'clamp';
  value?: number;
}

export interface KnockoutOptions {
  knockout?: readonly Knockout[];
}

/** ‖∂logit/∂h_t‖ of one layer and direction, t in time order. */
export interface StateGradient {
  layer: number;
  direction: Direction;
  values: Float32Array;
  /** The first step, walking away from where the head reads this direction, below fadeFraction of the largest value; −1 if none. */
  fadeStep: number;
}

/** `model.attribution(text)`: the memory lens, one value per step of `run(text)`. */
export interface Attribution {
  steps: number;
  logit: number;
  probability: number;
  /** ‖∂logit/∂x_t‖, x_t the embedding row read at step t. */
  wordGradient: Float32Array;
  /** Σ (∂logit/∂x_t) ⊙ x_t: signed, positive pushes toward 'positive'. */
  gradTimesInput: Float32Array;
  /** One per layer entry, as `run().layers`. */
  stateGradient: StateGradient[];
  /** The top layer's forward fadeStep. */
  fadeStep: number;
  /** 0.01: memory has faded below 1 % of its largest value. */
  fadeFraction: number;
}

/** One unit of `model.knockoutRanking()`. */
export interface UnitEffect {
  unit: number;
  /** logit with the unit at zero − logit without. */
  logitChange: number;
  probabilityChange: number;
}

/** `model.memory()`: diagnostics. */
export interface MemoryInfo {
  /** Bytes of wasm linear memory. */
  heapSize: number;
  /** The allocator's break, sbrk(0). */
  heapBreak: number;
  /** Live Embind value handles (null if the build cannot count them). */
  emvalHandles: number | null;
}

/** A loaded model. Call `dispose()` when done; any call on a disposed model throws. */
export interface Model {
  readonly info: ModelInfo;
  tokenize(text: string): Tokenization;
  run(text: string, options?: KnockoutOptions): RunResult;
  runIds(ids: Int32Array | ArrayLike<number>): RunIdsResult;
  /** One value per token of `run(text).tokens`: logit(review) − logit(review without it); NaN outside the window. */
  leaveOneOut(text: string): Float32Array;
  /** Layer 0 only. */
  topWords(layer: number, direction: Direction | 0 | 1, unit: number, k?: number): TopWords;
  /** The `k` (default 8) words nearest word `id` in the embedding, most similar first; [] if `id` is not a word. */
  nearestWords(id: number, k?: number): NearWord[];
  /** Up to `k` (default 8) strong words whose effect has the other sign, nearest first; [] if `id` is not a word. */
  oppositeWords(id: number, k?: number): OppositeWord[];
  /** logit(word `id` alone) − logit(the empty review); NaN if `id` is not a word. */
  wordEffect(id: number): number;
  logit(text: string): number;
  /** The memory lens: gradients of the logit, one backward pass through time. */
  attribution(text: string, options?: KnockoutOptions): Attribution;
  /** Every unit of (layer, direction), the one whose knockout moves this verdict most first. */
  knockoutRanking(text: string, layer: number, direction: Direction | 0 | 1, options?: KnockoutOptions): UnitEffect[];
  /** Microseconds per attribution pass, timed inside wasm. */
  benchmarkAttribution(text: string, options?: { repeats?: number }): number;
  /** Microseconds per forward pass, timed inside wasm. */
  benchmark(text: string, options?: { repeats?: number; trace?: boolean }): number;
  /** One probability per input: texts, or id sequences all of the same length. */
  predictBatch(inputs: readonly string[] | ReadonlyArray<Int32Array | ArrayLike<number>>): Float32Array;
  memory(): MemoryInfo;
  dispose(): void;
}

/** Loads a model file (URL or path string, URL, ArrayBuffer or Uint8Array). Rejects with an Error saying what is wrong. */
export function loadModel(source: string | URL | ArrayBuffer | ArrayBufferView, options?: LoadOptions): Promise<Model>;

/** Whether this engine validates a tiny WebAssembly SIMD module. */
export function detectSimd(): Promise<boolean>;

/** The field layout of the int32 results the module writes (wasm/bindings.cpp, namespace layout). */
export interface TraceLayout {
  readonly version: number;
  readonly fields: readonly string[];
  readonly layerFields: readonly string[];
}
/** The layout this wrapper reads; a module whose traceLayout() differs is refused at load. */
export const LAYOUT: TraceLayout;
/** Throws unless `layout` (a module's traceLayout()) is LAYOUT. */
export function checkLayout(layout: TraceLayout | null | undefined): void;

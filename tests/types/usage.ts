// A typed use of every documented function and result field (docs/js-api.md), checked by
// `npx tsc -p tests/types`; never run. Lines marked @ts-expect-error must stay errors.
import { loadModel, detectSimd, type Model, type RunResult, type ModelInfo, type Token, type NearWord, type OppositeWord } from '../../wasm/api/unroll.js';

export async function example(bytes: Uint8Array): Promise<string> {
  const simd: boolean = await detectSimd();
  const model: Model = await loadModel('models/seed-rnn.safetensors', { simd: simd ? 'auto' : false, wasmBase: 'build/web-wasm', name: 'seed-rnn.safetensors' });
  const other = await loadModel(bytes.buffer as ArrayBuffer, { simd: true, wasmBase: new URL('file:///tmp/wasm/') });
  const third = await loadModel(bytes);
  try {
    const info: ModelInfo = model.info;
    const cells: 'simple_rnn' | 'lstm' | 'gru' = info.cell;
    const sizes: number[] = [info.layers, info.units, info.directions, info.vocabSize, info.embeddingDim, info.maxlen, info.parameters, info.headBias];
    const flags: boolean[] = [info.bidirectional, info.startToken];
    const names: string[] = [info.name, info.padding, info.truncating, info.build, info.backend, ...info.gateNames];
    const provenance: unknown = info.provenance['test_accuracy'];

    const tokens = model.tokenize('A wonderful film.');
    const first: Token | undefined = tokens.tokens[0];
    if (first) {
      const spans: number[] = [first.index, first.begin, first.end, first.byteBegin, first.byteEnd, first.id, first.position];
      const marks: boolean[] = [first.oov, first.inWindow];
      void [spans, marks, first.text];
    }
    const counts: number[] = [tokens.steps, tokens.keptTokens, tokens.totalTokens, tokens.oovTokens, tokens.firstToken, tokens.padding];
    const ids: Int32Array = tokens.ids;
    const where: Int32Array = tokens.tokenIndex;

    const r: RunResult = model.run('A wonderful film.');
    const label: 'positive' | 'negative' = r.label;
    const scalars: number[] = [r.probability, r.logit];
    for (const layer of r.layers) {
      const h: Float32Array = layer.hidden;
      const c: Float32Array | null = layer.cell;
      const parts: Float32Array[] = [layer.gates, layer.inputPart, layer.recurrentPart, layer.preactivation];
      const dir: 'forward' | 'backward' = layer.direction;
      void [h, c, parts, dir, layer.layer, layer.units];
    }
    const b: Float32Array[] = r.bias;
    const rb: (Float32Array | null)[] = r.recurrentBias;
    const running: (Float32Array | null)[] = [r.runningLogit, r.runningProbability, r.stepEffect];
    const fromIds = model.runIds([1, 14, 22]);
    const idSteps: number = fromIds.steps + fromIds.ids.length + fromIds.layers.length;

    const effects: Float32Array = model.leaveOneOut('A wonderful film.');
    const top = model.topWords(0, 'forward', 3, 5);
    const word: string | undefined = top.positive[0]?.word ?? top.negative[0]?.word;
    model.topWords(0, 1, 3);
    const logit: number = model.logit('fine');
    const near: NearWord[] = model.nearestWords(14, 8);
    const opposite: OppositeWord[] = model.oppositeWords(14);
    const suggestion: [number, string, number, number, string, number] = [near[0]!.id, near[0]!.word, near[0]!.similarity, opposite[0]!.id, opposite[0]!.word, opposite[0]!.effect];
    const alone: number = model.wordEffect(14);
    void [suggestion, alone];
    const micros: number = model.benchmark('fine', { repeats: 10, trace: false });
    const batch: Float32Array = model.predictBatch(['good', 'bad']);
    const batchIds: Float32Array = model.predictBatch([new Int32Array([1, 2]), [1, 3]]);
    const knocked: RunResult = model.run('fine', { knockout: [{ layer: 0, direction: 'forward', unit: 3 }, { layer: 0, direction: 1, unit: 2, mode: 'clamp', value: -1 }] });
    const lens = model.attribution('fine', { knockout: [] });
    const lensValues: Float32Array[] = [lens.wordGradient, lens.gradTimesInput, ...lens.stateGradient.map((s) => s.values)];
    const fades: number[] = [lens.fadeStep, lens.fadeFraction, lens.steps, lens.logit, lens.probability, ...lens.stateGradient.map((s) => s.fadeStep + s.layer)];
    const ranking = model.knockoutRanking('fine', 0, 'backward');
    const change: number | undefined = ranking[0] && ranking[0].logitChange + ranking[0].probabilityChange + ranking[0].unit;
    const lensMicros: number = model.benchmarkAttribution('fine', { repeats: 3 });
    // @ts-expect-error: a knockout's mode is 'zero' or 'clamp'
    model.run('fine', { knockout: [{ layer: 0, direction: 0, unit: 1, mode: 'half' }] });
    const memory = model.memory();
    const heap: number = memory.heapSize + memory.heapBreak + (memory.emvalHandles ?? 0);

    // @ts-expect-error: run() takes a string
    model.run(42);
    // @ts-expect-error: the label is one of two words
    const wrong: 'neutral' = r.label;
    // @ts-expect-error: info is read-only
    model.info.units = 3;

    void [cells, sizes, flags, names, provenance, counts, ids, where, scalars, b, rb, running, idSteps, effects, word, logit, micros, batch, batchIds, heap, wrong, knocked, lensValues, fades, change, lensMicros];
    return label;
  } finally {
    model.dispose();
    other.dispose();
    third.dispose();
  }
}

// The network runs here, off the page's main thread: reading a 10 MB review, leave-one-out over a
// 500-step LSTM (one pass per word) or loading a model never blocks a frame. The worker holds at
// most one model; messages are handled strictly in order, so a run always uses the model of the
// latest load that succeeded before it (a failed load keeps the previous model).
// Protocol (web/model-client.js): {id, op, args} → {id, value} | {id, error}.
import { loadModel } from '../wasm/api/unroll.js';

let model = null;

/** The buffers of a run() result's typed arrays, to move (not copy) to the page. */
function buffersOf(result) {
  const arrays = [result.ids, result.tokenIndex, result.runningLogit, result.runningProbability, result.stepEffect,
    ...(result.bias || []), ...(result.recurrentBias || [])];
  for (const layer of result.layers) {
    arrays.push(layer.hidden, layer.cell, layer.gates, layer.inputPart, layer.recurrentPart, layer.preactivation);
  }
  // The API gives every array a buffer of its own (docs/js-api.md); an array that is a view into a
  // larger buffer is copied instead, so that moving it could never detach anything else.
  const own = arrays.filter((a) => a && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength);
  return [...new Set(own.map((a) => a.buffer))];
}

const ops = {
  async load({ url }) {
    const next = await loadModel(url);
    if (model) model.dispose();
    model = next;
    return [model.info];
  },
  run({ text }) {
    const result = model.run(text);
    return [result, buffersOf(result)];
  },
  leaveOneOut({ text }) {
    const effects = model.leaveOneOut(text);
    return [effects, [effects.buffer]];
  },
  topWords({ layer, direction, unit, k }) {
    return [model.topWords(layer, direction, unit, k)];
  },
};

let queue = Promise.resolve();
self.addEventListener('message', ({ data: { id, op, args } }) => {
  queue = queue.then(async () => {
    try {
      if (op !== 'load' && !model) throw new Error('no model is loaded');
      const [value, transfer = []] = await ops[op](args);
      self.postMessage({ id, value }, transfer);
    } catch (err) {
      self.postMessage({ id, error: String((err && err.message) || err) });
    }
  });
});

// The network runs here, off the page's main thread: reading a 10 MB review, leave-one-out over a
// 500-step LSTM (one pass per word), the memory lens's backward pass, ranking every unit's knockout
// or loading a model never blocks a frame. The model and the order
// of calls are web/model/model-host.js's; this file only carries messages and moves result buffers.
// Protocol (web/model/client.js): {id, op, args} → {id, value} | {id, error}.
import { createModelHost } from './model-host.js';

/** The buffers of a run() result's typed arrays, to move (not copy) to the page. */
function buffersOf(result) {
  const arrays = [result.ids, result.tokenIndex, result.runningLogit, result.runningProbability, result.stepEffect,
    ...(result.bias || []), ...(result.recurrentBias || []), result.baseline && result.baseline.runningProbability];
  for (const layer of result.layers) {
    arrays.push(layer.hidden, layer.cell, layer.gates, layer.inputPart, layer.recurrentPart, layer.preactivation);
  }
  // The API gives every array a buffer of its own (docs/js-api.md); an array that is a view into a
  // larger buffer is copied instead, so that moving it could never detach anything else.
  const own = arrays.filter((a) => a && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength);
  return [...new Set(own.map((a) => a.buffer))];
}

/** The buffers of an attribution() result (each array has its own, docs/js-api.md). */
function lensBuffers(lens) {
  return [lens.wordGradient.buffer, lens.gradTimesInput.buffer, ...lens.stateGradient.map((row) => row.values.buffer)];
}

const host = createModelHost();

self.addEventListener('message', async ({ data: { id, op, args } }) => {
  try {
    const value = await host.call(op, args);
    const transfer = op === 'run' ? buffersOf(value) : op === 'leaveOneOut' ? [value.buffer]
      : op === 'attribution' ? lensBuffers(value) : [];
    self.postMessage({ id, value }, transfer);
  } catch (err) {
    self.postMessage({ id, error: String((err && err.message) || err) });
  }
});

// Holds the page's model and answers the calls of web/model/client.js, one at a time, in order: a
// run always uses the model of the latest load that succeeded before it (a failed load keeps the
// previous model). The one implementation behind both backends: web/model/model-worker.js wraps it in a
// Web Worker; the client's fallback calls it in the page's own thread.
import { loadModel } from '../../wasm/api/unroll.js';

/** { call(op, args) → Promise of the answer } over one model at a time. */
export function createModelHost() {
  let model = null;
  let queue = Promise.resolve();
  const ops = {
    // `bytes` (with `name`): a model file held by the page ("yours": trained here or loaded from disk).
    async load({ url, bytes, name, wasmBase }) {
      const next = await loadModel(bytes ?? url, { wasmBase, name }); // ship hook (#15): wasmBase from the page
      // The page's pictures and sentences (the diagram's wires into the head, "the head reads the
      // last forward state…") are true of a head that reads the final states only. A pooled head
      // (docs/model-format.md `pooling`) reads every step: refused here, before the swap, so the
      // previous model stays; tools/evaluate and the JS API run such files.
      if (next.info.pooling && next.info.pooling !== 'last') {
        const pooling = next.info.pooling;
        next.dispose();
        throw new Error(`${name || url}: its head reads the ${pooling} of every step's state (config pooling "${pooling}"), not the final states`);
      }
      if (model) model.dispose();
      model = next;
      // With the info, the model's prior: the head on h = 0, i.e. the forward pass over no steps.
      const prior = typeof model.runIds === 'function' ? model.runIds(new Int32Array(0)).probability : null;
      return { ...model.info, prior };
    },
    // With knocked-out units, the untouched run's verdict and running curve come along (the page
    // keeps them dashed beside the changed ones).
    run({ text, knockout }) {
      if (!knockout || !knockout.length) return model.run(text);
      const result = model.run(text, { knockout });
      const { probability, logit, runningProbability } = model.run(text);
      return { ...result, baseline: { probability, logit, runningProbability } };
    },
    attribution: ({ text, knockout }) => model.attribution(text, { knockout }),
    knockoutRanking: ({ text, layer, direction, knockout }) => model.knockoutRanking(text, layer, direction, { knockout }),
    leaveOneOut: ({ text }) => model.leaveOneOut(text),
    topWords: ({ layer, direction, unit, k }) => model.topWords(layer, direction, unit, k),
    // The word menu's replacements (issue #17 item 2): the first call on a model computes every
    // word's effect (~100 ms on best, here in the worker); later calls reuse it.
    suggest: ({ id, k }) => ({ near: model.nearestWords(id, k), opposite: model.oppositeWords(id, k), effect: model.wordEffect(id) }),
  };
  return {
    call(op, args) {
      const answer = queue.then(() => {
        if (op !== 'load' && !model) throw new Error('no model is loaded');
        return ops[op](args);
      });
      queue = answer.catch(() => {});
      return answer;
    },
  };
}

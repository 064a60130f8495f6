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
    async load({ url, wasmBase }) {
      const next = await loadModel(url, { wasmBase }); // ship hook (#15): wasmBase from the page
      if (model) model.dispose();
      model = next;
      // With the info, the model's prior: the head on h = 0, i.e. the forward pass over no steps.
      const prior = typeof model.runIds === 'function' ? model.runIds(new Int32Array(0)).probability : null;
      return { ...model.info, prior };
    },
    run: ({ text }) => model.run(text),
    leaveOneOut: ({ text }) => model.leaveOneOut(text),
    topWords: ({ layer, direction, unit, k }) => model.topWords(layer, direction, unit, k),
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

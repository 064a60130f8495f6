// The page's handle on the network: the calls of the JS API (docs/js-api.md) the page needs,
// asynchronous, answered by web/model/model-worker.js in a Web Worker so that the main thread only ever
// draws. Where a worker cannot start or dies (no module workers, a policy forbids them, it ran out
// of memory), the same calls run in the page's own thread: slower to answer a huge review, never
// broken. Both answer strictly in order, so a run sent before a model switch is answered by the
// old model, and before the switch's own answer.
import { wasmBaseUrl } from '../shell/paths.js'; // ship hook (#15): wasm resolved against the page

/** { call(op, args) → Promise, broken() } over a module worker, or null if none can start. */
function workerBackend() {
  let worker;
  try {
    worker = new Worker(new URL('./model-worker.js', import.meta.url), { type: 'module' });
  } catch {
    return null;
  }
  let nextId = 0;
  let stopped = null;
  const pending = new Map();
  worker.addEventListener('message', ({ data }) => {
    const call = pending.get(data.id);
    if (!call) return;
    pending.delete(data.id);
    if (data.error !== undefined) call.reject(new Error(data.error));
    else call.resolve(data.value);
  });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    stopped = `the model worker stopped${event.message ? `: ${event.message}` : ''}`;
    for (const { reject } of pending.values()) reject(new Error(stopped));
    pending.clear();
    worker.terminate();
  });
  return {
    call: (op, args) => new Promise((resolve, reject) => {
      if (stopped) { reject(new Error(stopped)); return; }
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, args });
    }),
    broken: () => stopped !== null,
  };
}

/** The same calls in the page's thread (the API is only downloaded if it comes to this). */
function pageBackend() {
  const host = import('./model-host.js').then(({ createModelHost }) => createModelHost());
  return {
    call: (op, args) => host.then((h) => h.call(op, args)),
    broken: () => false,
  };
}

/**
 * { load(url) / loadBytes(bytes, name) → info (with .prior: p of the head on h = 0), run(text, knockout),
 *   attribution(text, knockout), knockoutRanking(text, layer, direction, knockout), leaveOneOut(text),
 *   topWords(layer, direction, unit, k), suggest(id, k) → { near, opposite, effect } (the word menu's
 *   replacements), inWorker }.
 */
export function createModelClient() {
  let backend = workerBackend();
  let inWorker = backend !== null;
  let loaded = null; // the last load's arguments, repeated to the page's thread if the worker dies
  async function call(op, args) {
    if (!backend || backend.broken()) {
      // Fall back to the page's thread, with the model the worker had.
      backend = pageBackend();
      inWorker = false;
      if (loaded && op !== 'load') await backend.call('load', loaded);
    }
    let value;
    try {
      value = await backend.call(op, args);
    } catch (err) {
      if (!backend.broken()) throw err;
      return call(op, args); // the worker died under this call: answer it in the page
    }
    if (op === 'load') loaded = args;
    return value;
  }
  return {
    // Absolute: the worker would resolve a relative URL against its own script's address.
    load: (url) => call('load', { url: new URL(url, location.href).href, wasmBase: wasmBaseUrl() }),
    // A copy goes to the worker (structured clone): the page keeps its bytes for a download.
    loadBytes: (bytes, name) => call('load', { bytes, name, wasmBase: wasmBaseUrl() }),
    run: (text, knockout = []) => call('run', { text, knockout }),
    attribution: (text, knockout = []) => call('attribution', { text, knockout }),
    knockoutRanking: (text, layer, direction, knockout = []) => call('knockoutRanking', { text, layer, direction, knockout }),
    leaveOneOut: (text) => call('leaveOneOut', { text }),
    topWords: (layer, direction, unit, k) => call('topWords', { layer, direction, unit, k }),
    suggest: (id, k = 8) => call('suggest', { id, k }),
    get inWorker() { return inWorker; },
  };
}

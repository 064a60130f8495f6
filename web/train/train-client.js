// The page's handle on the training worker (web/train/train-worker.js): it starts the worker when
// training is opened (never before), forwards the learner's commands, and hands every message the
// worker posts to one listener. No training math here: the worker computes, the page draws.

/**
 * { load(url), start(recipe, epochs, wasmBase), pause(), resume(), stop(), dispose() }; every
 * message of the worker goes to onMessage(message). A worker that dies reports {type:'error'}.
 */
export function createTrainClient(onMessage) {
  const worker = new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module' });
  worker.addEventListener('message', ({ data }) => onMessage(data));
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    onMessage({ type: 'error', message: `the training worker stopped${event.message ? `: ${event.message}` : ''}` });
  });
  const send = (message) => worker.postMessage(message);
  return {
    // Absolute: the worker would resolve a relative URL against its own script's address.
    load: (url) => send({ type: 'load', url: new URL(url, location.href).href }),
    start: (recipe, epochs, wasmBase) => send({ type: 'start', recipe, epochs, wasmBase }),
    pause: () => send({ type: 'pause' }),
    resume: () => send({ type: 'resume' }),
    stop: () => send({ type: 'stop' }),
    dispose: () => worker.terminate(),
  };
}

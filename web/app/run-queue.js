// One run of the network at a time. Text typed while the worker is busy is read by one more run
// afterwards (the latest text, not every keystroke), so a burst of keys or a huge paste never
// queues stale work.

/**
 * @param {object} o
 * @param {() => boolean} o.ready      a model is loaded (requests wait for the next one otherwise)
 * @param {() => string} o.currentText the text to run now
 * @param {(text) => Promise<object>} o.run   runs the network (and fetches what the first draw needs)
 * @param {(result, text, done) => void} o.onResult  the latest run's result; call done() once drawn
 * @param {(error, done) => void} o.onError
 * @returns {{ request(onDone?) }} onDone runs once the run that reads the current text is drawn
 */
export function createRunQueue({ ready, currentText, run, onResult, onError }) {
  let running = false;  // a run is in flight
  let rerun = false;    // the text or the model changed meanwhile
  let waiting = [];     // onDone callbacks of the requests folded into the run in flight

  async function request(onDone) {
    if (onDone) waiting.push(onDone);
    if (!ready()) return;
    if (running) { rerun = true; return; }
    running = true;
    let text;
    let result = null;
    let error = null;
    do {
      rerun = false;
      text = currentText();
      try {
        result = await run(text);
        error = null;
      } catch (err) {
        error = err;
      }
    } while (rerun);
    running = false;
    const callbacks = waiting;
    waiting = [];
    const done = () => { for (const callback of callbacks) callback(); };
    if (error) onError(error, done);
    else onResult(result, text, done);
  }

  return { request };
}

// The in-browser training runs here, in a dedicated Web Worker, through the trainer's JS API
// (wasm/api/trainer.js): the page's main thread only draws what this posts. Batches run a few at a
// time; between slices the worker yields to its event loop, so pause, resume and stop arrive
// within one slice. The best epoch (by validation accuracy) is kept as model-file bytes, with its
// test accuracy, and is what the page receives at the end.
//
// Protocol (web/train/train-client.js):
//   in:  {type:'load', url}  {type:'start', recipe, epochs, wasmBase}  {type:'pause'} {type:'resume'} {type:'stop'}
//   out: {type:'download', loaded, total}  {type:'loaded', bytes, header}
//        {type:'started', info, build}  {type:'batch', …running metrics, losses, gradientNorms}
//        {type:'evaluating', split}  {type:'epoch', entry, best}
//        {type:'finished', stopped, model (Uint8Array, moved) | null, best}  {type:'error', message}
import { checkTrainingData, createTrainer, fetchTrainingData } from '../../wasm/api/trainer.js';
import { bestEpoch } from './overfitting.js';

/** Batches per slice: about a third of a second of work each (the tutorial's recipe), so controls answer promptly. */
const SLICE_BATCHES = 4;
/** Progress goes to the page at most this often (a small recipe runs many slices per frame). */
const POST_EVERY_MS = 200;

let data = null; // { bytes, name }: loaded once, reused by every run
let run = null;  // { paused, stopped, wake }

const post = (message, transfer = []) => self.postMessage(message, transfer);
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

async function load({ url }) {
  const name = String(url).split(/[\\/]/).pop().split(/[?#]/)[0];
  const bytes = await fetchTrainingData(url, { onProgress: ({ loaded, total }) => post({ type: 'download', loaded, total }) });
  const { header, checksumVerified } = await checkTrainingData(bytes, name);
  data = { bytes, name };
  post({ type: 'loaded', bytes: bytes.length, header: { splits: header.splits, vocabSize: header.vocab_size, maxlen: header.maxlen,
    counts: Object.fromEntries(header.splits.map((s) => [s, header.sections[`${s}.labels`].length])), checksumVerified } });
}

/** Resolves when the run may go on (not paused); false when it was stopped. */
async function mayContinue() {
  await nextTask();
  while (run.paused && !run.stopped) await new Promise((resolve) => { run.wake = resolve; });
  return !run.stopped;
}

async function train({ recipe, epochs, wasmBase }) {
  if (!data) throw new Error('no training data is loaded');
  run = { paused: false, stopped: false, wake: null };
  const trainer = await createTrainer(data.bytes, recipe, { wasmBase, name: data.name });
  let best = null; // { epoch, bytes, valAccuracy, testAccuracy }
  try {
    const info = trainer.info;
    post({ type: 'started', info, build: trainer.build, recipe: trainer.recipe });
    const full = Math.min(trainer.recipe.batchSize, info.trainCount);
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const sums = { loss: 0, reviews: 0, correct: 0, seconds: 0 };
      let ended = false;
      let losses = [];   // batch losses not posted yet
      let posted = performance.now();
      while (!ended) {
        if (!(await mayContinue())) break;
        const t0 = performance.now();
        const r = trainer.runBatches(SLICE_BATCHES);
        sums.seconds += (performance.now() - t0) / 1000;
        for (let i = 0; i < r.losses.length; i++) {
          const size = i === r.losses.length - 1 ? r.reviews - full * (r.losses.length - 1) : full;
          sums.loss += r.losses[i] * size;
        }
        sums.reviews += r.reviews;
        sums.correct += r.correct;
        ended = r.epochEnd;
        losses.push(...r.losses);
        if (!ended && performance.now() - posted < POST_EVERY_MS) continue;
        const batchLosses = Float32Array.from(losses);
        losses = [];
        posted = performance.now();
        post({
          type: 'batch', epoch, epochs, step: r.epochEnd ? r.batchesPerEpoch : r.batch, steps: r.batchesPerEpoch,
          seconds: sums.seconds, loss: sums.loss / sums.reviews, accuracy: sums.correct / sums.reviews,
          losses: batchLosses, gradientNorms: r.gradientNorms,
        }, [batchLosses.buffer, r.gradientNorms.buffer]);
      }
      if (!ended) break; // stopped mid-epoch: that epoch does not count
      post({ type: 'evaluating', split: 'validation' });
      trainer.evaluate('validation'); // joins the history entry as valLoss, valAccuracy
      const history = trainer.history;
      const entry = history[history.length - 1];
      const top = bestEpoch(history);
      if (top === entry) {
        post({ type: 'evaluating', split: 'test' });
        const test = trainer.evaluate('test');
        best = { epoch: entry.epoch, valAccuracy: entry.valAccuracy, testAccuracy: test.accuracy,
          bytes: trainer.exportModel({ best_epoch: entry.epoch, epochs_planned: epochs, validation_accuracy: entry.valAccuracy, test_accuracy: test.accuracy }) };
      }
      post({ type: 'epoch', entry, history, best: best && { epoch: best.epoch, valAccuracy: best.valAccuracy, testAccuracy: best.testAccuracy } });
      if (run.stopped) break;
    }
  } finally {
    trainer.dispose();
  }
  const stopped = run.stopped;
  run = null;
  const model = best ? best.bytes : null;
  post({ type: 'finished', stopped, model, best: best && { epoch: best.epoch, valAccuracy: best.valAccuracy, testAccuracy: best.testAccuracy } },
    model ? [model.buffer] : []);
}

const control = {
  pause() { if (run) run.paused = true; },
  resume() { if (run) { run.paused = false; run.wake?.(); } },
  stop() { if (run) { run.stopped = true; run.wake?.(); } },
};

self.addEventListener('message', async ({ data: message }) => {
  if (control[message.type]) { control[message.type](); return; }
  try {
    if (message.type === 'load') await load(message);
    else if (message.type === 'start') await train(message);
  } catch (err) {
    run = null;
    post({ type: 'error', message: String((err && err.message) || err) });
  }
});

// The training panel ("Train it yourself"): the recipe form, Start / Pause / Stop, the data's
// download progress, the live charts (loss and accuracy; gradients through time), the overfitting
// note, the Keras-style log, and the trained model handed to the page as "yours". Loaded with a
// dynamic import when the learner opens training, so the explainer's first visit fetches neither
// this code, the trainer's wasm nor the training data. All the math runs in the training worker
// (train-worker.js); this file keeps the state the worker reports and draws it, at most once per
// animation frame.
import { createRecipeForm } from './recipe-form.js';
import { createTrainClient } from './train-client.js';
import { createMetricsChart } from './metrics-chart.js';
import { createGradientChart } from './gradient-chart.js';
import { detectOverfitting } from './overfitting.js';
import { epochLine, epochEndLine, progressLine } from './keras-log.js';
import { count } from '../ui/format.js';

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

/**
 * Builds the panel into `root`. hooks: { t: () => t, dataUrl(dataset), wasmBase(), onTrained(bytes,
 * best) → Promise (the page loads the model as "yours"), download() (saves "yours") }.
 * Returns { refresh() (language), dispose() }.
 */
export function createTrainingView(root, hooks) {
  const t = (...args) => hooks.t()(...args);
  const texts = []; // [element, key] re-read on a language change
  const text = (node, key) => { texts.push([node, key]); node.textContent = t(key); return node; };

  const intro = text(el('p', { className: 'train-intro' }), 'train.intro');
  const formRoot = el('div', { className: 'train-form' });
  const start = text(el('button', { type: 'button', id: 'train-start', className: 'train-btn is-primary' }), 'train.start');
  const pause = text(el('button', { type: 'button', id: 'train-pause', className: 'train-btn', disabled: true }), 'train.pause');
  const stop = text(el('button', { type: 'button', id: 'train-stop', className: 'train-btn', disabled: true }), 'train.stop');
  const actions = el('div', { className: 'train-actions' }, start, pause, stop);
  const progress = el('progress', { id: 'train-download', max: 1, value: 0, hidden: true });
  progress.setAttribute('aria-label', t('train.downloadLabel'));
  const status = el('p', { id: 'train-status', className: 'train-status', role: 'status' });
  status.setAttribute('aria-live', 'polite');
  const chartHead = text(el('h3'), 'train.chart.title');
  const chartRoot = el('div', { id: 'train-metrics', className: 'train-metrics' });
  const overfit = el('p', { id: 'train-overfit', className: 'train-overfit-note', hidden: true });
  const gradHead = text(el('h3'), 'train.grad.title');
  const gradRoot = el('div', { id: 'train-gradients', className: 'train-gradients' });
  const logHead = text(el('h3', { id: 'train-log-h' }), 'train.log');
  // The log's box lays its text out bottom-up (flex column-reverse), so it shows the newest line
  // without the page reading the layout to scroll it.
  const logText = el('div', { className: 'train-log-text' });
  const log = el('pre', { id: 'train-log', className: 'train-log', tabIndex: 0 }, logText);
  log.setAttribute('aria-labelledby', 'train-log-h');
  log.dataset.ownKeys = ''; // arrow keys scroll the log, not the review's playback
  const result = el('p', { id: 'train-result', className: 'train-result', hidden: true });
  const download = text(el('button', { type: 'button', id: 'train-save', className: 'train-btn', hidden: true }), 'train.save');
  root.append(intro, formRoot, actions, progress, status, chartHead, chartRoot, overfit, gradHead, gradRoot, logHead, log, result, download);

  const form = createRecipeForm(formRoot, { t: hooks.t });
  // The charts' width, observed (never read while drawing: a read after a write would force a layout).
  new ResizeObserver((entries) => {
    const width = Math.round(entries[entries.length - 1].contentRect.width);
    if (width && width !== state.width) { state.width = width; draw(); }
  }).observe(chartRoot);
  const metrics = createMetricsChart(chartRoot);
  const gradients = createGradientChart(gradRoot);

  const state = {
    phase: 'idle',     // idle | downloading | running | paused | stopping | finished | error
    loaded: null,      // the data set the worker holds ('subset' | 'full')
    pending: null,     // a start waiting for its data: { recipe, epochs, dataset }
    epochs: 4, cell: 'simple_rnn', shape: null,
    losses: [], history: [], best: null, norms: null, inEpoch: 0, steps: 0,
    width: 0, lines: [], statusKey: 'train.status.idle', statusParams: {}, result: null,
  };

  const setStatus = (key, params = {}) => { state.statusKey = key; state.statusParams = params; status.textContent = t(key, params); };

  let frame = 0;
  function draw() {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const finding = detectOverfitting(state.history);
      metrics.data({ t, width: state.width, epochs: state.epochs, losses: state.losses, history: state.history, best: state.best?.epoch ?? null, overfitting: finding });
      gradients.data({ t, width: state.width, norms: state.norms, shape: state.shape, cell: state.cell });
      overfit.hidden = !finding;
      overfit.textContent = finding ? t('train.overfit.note', {
        peak: finding.peak, valPeak: pctText(finding.valPeak), valNow: pctText(finding.valNow),
        trainAtPeak: pctText(finding.trainAtPeak), trainNow: pctText(finding.trainNow),
      }) : '';
      logText.textContent = state.lines.join('\n');
    });
  }
  const pctText = (v) => `${(v * 100).toFixed(1)}%`;

  function setPhase(phase) {
    state.phase = phase;
    const busy = phase === 'downloading' || phase === 'running' || phase === 'paused' || phase === 'stopping';
    start.disabled = busy;
    form.setDisabled(busy);
    pause.disabled = !(phase === 'running' || phase === 'paused');
    stop.disabled = !(phase === 'running' || phase === 'paused');
    pause.textContent = t(phase === 'paused' ? 'train.resume' : 'train.pause');
    texts.find(([node]) => node === pause)[1] = phase === 'paused' ? 'train.resume' : 'train.pause';
    root.dataset.phase = phase; // tests wait on it
  }

  const client = createTrainClient(onMessage);

  function load(dataset) {
    state.loaded = null;
    progress.hidden = false;
    progress.value = 0;
    progress.removeAttribute('value'); // indeterminate until the first byte
    setPhase('downloading');
    setStatus('train.status.downloading', { name: dataset === 'full' ? t('train.data.full') : t('train.data.subset') });
    client.load(hooks.dataUrl(dataset));
    state.loading = dataset;
  }

  function begin({ recipe, epochs }) {
    Object.assign(state, { epochs, cell: recipe.cell, shape: null, losses: [], history: [], best: null, norms: null, inEpoch: 0, steps: 0, lines: [] });
    result.hidden = true;
    setPhase('running');
    setStatus('train.status.starting');
    client.start(recipe, epochs, hooks.wasmBase());
    draw();
  }

  function onMessage(msg) {
    switch (msg.type) {
      case 'download':
        if (msg.total) { progress.max = msg.total; progress.value = msg.loaded; }
        setStatus('train.status.downloadingBytes', { loaded: (msg.loaded / 1e6).toFixed(1), total: msg.total ? (msg.total / 1e6).toFixed(1) : '?' });
        break;
      case 'loaded': {
        state.loaded = state.loading;
        progress.max = 1;
        progress.value = 1;
        const c = msg.header.counts;
        setStatus('train.status.loaded', { train: count(c.train), test: count(c.test) });
        setPhase('idle');
        if (state.pending && state.pending.dataset === state.loaded) {
          const run = state.pending;
          state.pending = null;
          begin(run);
        }
        break;
      }
      case 'started':
        state.shape = { layers: msg.info.layers, directions: msg.info.bidirectional ? 2 : 1, maxlen: msg.info.maxlen };
        state.steps = msg.info.batchesPerEpoch;
        state.lines.push(epochLine(1, state.epochs), '');
        setStatus('train.status.running', { build: msg.build === 'simd' ? 'WebAssembly SIMD' : 'WebAssembly', train: count(msg.info.trainCount), validation: count(msg.info.validationCount) });
        break;
      case 'batch': {
        for (const loss of msg.losses) {
          state.inEpoch++;
          state.losses.push({ x: msg.epoch - 1 + state.inEpoch / msg.steps, loss });
        }
        state.norms = msg.gradientNorms;
        state.steps = msg.steps;
        state.lines[state.lines.length - 1] = progressLine({ step: Math.min(state.inEpoch, msg.steps), steps: msg.steps, seconds: msg.seconds,
          metrics: { loss: msg.loss, accuracy: msg.accuracy } });
        if (state.phase === 'running') setStatus('train.status.epoch', { epoch: msg.epoch, epochs: state.epochs, step: Math.min(state.inEpoch, msg.steps), steps: msg.steps });
        break;
      }
      case 'evaluating':
        setStatus(msg.split === 'test' ? 'train.status.testing' : 'train.status.validating');
        break;
      case 'epoch':
        state.history = msg.history;
        state.best = msg.best;
        state.inEpoch = 0;
        state.lines[state.lines.length - 1] = epochEndLine(msg.entry, state.steps);
        if (msg.entry.epoch < state.epochs && state.phase !== 'stopping') state.lines.push(epochLine(msg.entry.epoch + 1, state.epochs), '');
        break;
      case 'finished':
        if (state.lines[state.lines.length - 1] === '') state.lines.pop();
        progress.hidden = true;
        setPhase('finished');
        if (!msg.model) {
          setStatus(msg.stopped ? 'train.status.stoppedEmpty' : 'train.status.idle');
          break;
        }
        setStatus('train.status.using');
        hooks.onTrained(msg.model, msg.best).then(() => {
          state.result = { epoch: msg.best.epoch, val: pctText(msg.best.valAccuracy), test: pctText(msg.best.testAccuracy) };
          result.hidden = false;
          result.textContent = t('train.result', state.result);
          download.hidden = false;
          setStatus(msg.stopped ? 'train.status.stopped' : 'train.status.done', { epoch: msg.best.epoch });
        }, (err) => setStatus('train.status.error', { message: String(err.message || err) }));
        break;
      case 'error': {
        progress.hidden = true;
        state.pending = null;
        const downloading = state.phase === 'downloading';
        if (downloading) state.loaded = null;
        setPhase('error');
        setStatus(downloading ? 'train.status.dataError' : 'train.status.error', { message: msg.message });
        break;
      }
      default:
        break;
    }
    draw();
  }

  start.addEventListener('click', () => {
    const run = form.read();
    if (state.loaded === run.dataset) begin(run);
    else {
      state.pending = run;
      load(run.dataset);
    }
  });
  pause.addEventListener('click', () => {
    if (state.phase === 'running') { client.pause(); setPhase('paused'); setStatus('train.status.paused'); }
    else if (state.phase === 'paused') { client.resume(); setPhase('running'); setStatus('train.status.resumed'); }
  });
  stop.addEventListener('click', () => {
    client.stop();
    setPhase('stopping');
    setStatus('train.status.stopping');
  });
  download.addEventListener('click', () => hooks.download());

  // Opening training fetches the small data set at once, so Start answers quickly.
  load('subset');
  draw();

  return {
    refresh() {
      for (const [node, key, params] of texts) node.textContent = t(key, params);
      progress.setAttribute('aria-label', t('train.downloadLabel'));
      if (state.result) result.textContent = t('train.result', state.result);
      form.refresh();
      setStatus(state.statusKey, state.statusParams);
      draw();
    },
    dispose() { client.dispose(); },
  };
}

// Wires the page: text → model.run → result → views. The page never does the network's math;
// every number it shows comes from the API result (docs/js-api.md), computed in a Web Worker
// (web/model-client.js) so that the main thread only draws.
import './style.css';
import { createModelClient } from './model-client.js';
import { t, setLang, getLang, applyStatic, preferredLang } from './i18n.js';
import { withLoadAdvice } from './shell/load-advice.js'; // ship hook (#15): what to do when a load fails
import { readState, writeState } from './state.js';
import { createPlayer } from './player.js';
import { makeTimeline } from './timeline.js';
import { EXAMPLES } from './examples.js';
import { MODELS, DEFAULT_MODEL, modelUrl } from './models.js';
import { count, pct } from './format.js';
import { exportSvg, exportPng } from './export.js';
import { createReviewBox, HUGE_CHARS } from './review-box.js';
import { createTokens } from './views/tokens.js';
import { createGauge } from './views/gauge.js';
import { createDiagram } from './views/diagram.js';
import { createHeatmap, quantityChoices } from './views/heatmap.js';
import { createEquation } from './views/equation.js';
import { createChart } from './views/chart.js';
import { createContributions } from './views/contributions.js';
import { createUnit } from './views/unit.js';
import { createControls } from './views/controls.js';
import { createLearn } from './views/learn.js';
import { createModelCard } from './views/model-card.js';

const $ = (id) => document.getElementById(id);
const initial = readState();
setLang(initial.lang || preferredLang());

const client = createModelClient();
const app = {
  t,
  modelName: initial.model || DEFAULT_MODEL,
  info: null, // the loaded model's info (the model itself lives in the worker)
  result: null,
  timeline: null,
  cursor: null,
  selection: { entry: initial.entry ?? 0, unit: initial.unit ?? 0 },
  quantity: initial.quantity || 'h',
  effectMode: 'step',
  leaveOneOut: null,
  playing: false,
  speed: 4,
  text: initial.text ?? EXAMPLES[0].text,
};
let pendingStep = initial.step;
let topWordsCache = new Map();
let runs = 0;
let runFailed = false; // the error banner shows a failed run (not a failed model load)

const player = createPlayer({
  onChange(pos, { playing, speed }) {
    app.playing = playing;
    app.speed = speed;
    setCursor(pos);
  },
});

const seekStep = (s, entry = null) => {
  if (!app.timeline) return;
  player.pause();
  player.seek(app.timeline.positionOf(s, app.cursor && app.cursor.phase !== 'join' ? app.cursor : null, entry));
};
const selectUnit = (entry, unit) => {
  if (!app.info) return;
  const e = Math.max(0, Math.min(app.result.layers.length - 1, entry | 0));
  app.selection = { entry: e, unit: Math.max(0, Math.min(app.info.units - 1, unit | 0)) };
  views.unit.data(app);
  views.heatmap.cursor(app);
  views.equation.data(app);
  saveUrl();
};

const views = {
  tokens: createTokens($('tokens'), { onSeek: seekStep, t: () => t }),
  gauge: createGauge($('gauge')),
  controls: createControls($('controls'), { player, t: () => t }),
  diagram: createDiagram($('diagram'), { onSeek: seekStep, t: () => t }),
  equation: createEquation($('equation'), { onEntry: (i) => selectUnit(i, app.selection.unit), t: () => t }),
  heatmap: createHeatmap($('heatmap'), {
    onSeek: seekStep,
    onSelectUnit: selectUnit,
    onQuantity: (q) => { app.quantity = q; views.heatmap.data(app); saveUrl(); },
    t: () => t,
  }),
  chart: createChart($('chart'), { onSeek: seekStep, t: () => t }),
  contrib: createContributions($('contrib'), {
    onSeek: seekStep,
    onMode: (mode) => { app.effectMode = mode; ensureLeaveOneOut(); views.contrib.data(app); },
    t: () => t,
  }),
  unit: createUnit($('unit'), { onSelectUnit: selectUnit, getTopWords, t: () => t }),
  learn: createLearn($('learn')),
  card: createModelCard($('model-card')),
};

const TOP_WORDS = 8; // words per direction in the unit view

/**
 * Asks the worker for a first-layer unit's top words once per model (topWordsCache holds the
 * promise); resolves when they are cached: {positive, negative}, or {error}.
 */
function fetchTopWords(layer, direction, unit) {
  const key = `${layer}:${direction}:${unit}`;
  if (!topWordsCache.has(key)) {
    const pending = client.topWords(layer, direction, unit, TOP_WORDS)
      .catch((err) => ({ error: String(err.message || err) }))
      .then((top) => { pending.value = top; return top; });
    topWordsCache.set(key, pending);
  }
  return topWordsCache.get(key);
}

/**
 * For the unit view: a unit's top words, or null while the worker computes them (the view is
 * redrawn when they arrive). runText() fetches the selected unit's before drawing.
 */
function getTopWords(layer, direction, unit) {
  const pending = fetchTopWords(layer, direction, unit);
  if (pending.value) return pending.value;
  const cache = topWordsCache;
  pending.then(() => { if (cache === topWordsCache && app.result) views.unit.data(app); });
  return null;
}

function setState(state) {
  document.documentElement.dataset.state = state;
  $('app').classList.toggle('is-loading', state === 'loading');
}

function setStatus(text) {
  $('status').textContent = text;
}

function showError(message) {
  const el = $('error');
  el.textContent = message || '';
  el.hidden = !message;
}

function saveUrl() {
  const omitted = writeState({
    text: app.text,
    model: app.modelName,
    step: app.timeline ? player.position : undefined,
    entry: app.selection.entry,
    unit: app.selection.unit,
    quantity: app.quantity,
    lang: getLang(),
  });
  $('review-meta').dataset.urlOmitted = String(omitted);
}

function updateMeta() {
  const r = app.result;
  const meta = $('review-meta');
  if (!r) { meta.textContent = ''; return; }
  meta.textContent = t('review.meta', { words: count(r.totalTokens), oov: count(r.oovTokens), steps: r.steps });
  if (app.text.length > 4000) meta.textContent += ` · ${t('review.urlOmitted')}`;
  $('verdict').textContent = `${t(`verdict.${r.label}`)} · ${t('verdict.prob', { p: pct(r.probability) })}`;
  $('verdict').className = `verdict is-${r.label}`;
}

let leaveOneOutFor = null; // the result whose leave-one-out effects are being computed

/** Asks the worker for leave-one-out effects of the current result (one pass per kept word). */
function ensureLeaveOneOut() {
  const { result } = app;
  if (app.effectMode !== 'loo' || app.leaveOneOut || !result || leaveOneOutFor === result) return;
  leaveOneOutFor = result;
  client.leaveOneOut(result.text).then((effects) => {
    if (app.result !== result) return;
    app.leaveOneOut = effects;
    views.contrib.data(app);
  }, (err) => {
    if (app.result === result) showError(String(err.message || err));
  }).finally(() => {
    if (leaveOneOutFor === result) leaveOneOutFor = null;
  });
}

// Views whose data() has not run yet for the current result (see allData).
let staleViews = new Set();
let renderSeq = 0;

/**
 * Redraws every view for the current result, in page order, a few views per task: a task stops
 * after ~20 ms, so a redraw never blocks typing for long (the heatmap alone can take 50 ms). A
 * newer redraw cancels the rest of an older one. `done` runs once every view is drawn.
 */
let whenDrawn = [];  // callbacks of redraws not finished yet; a newer redraw inherits them

function allData(done) {
  const seq = ++renderSeq;
  if (done) whenDrawn.push(done);
  const queue = Object.values(views).filter((v) => v.data);
  staleViews = new Set(queue);
  const work = () => {
    if (seq !== renderSeq) return;
    const start = performance.now();
    do {
      const view = queue.shift();
      view.data(app);
      staleViews.delete(view);
    } while (queue.length && performance.now() - start < 20);
    if (queue.length) {
      setTimeout(work, 0);
      return;
    }
    const callbacks = whenDrawn;
    whenDrawn = [];
    for (const callback of callbacks) callback();
  };
  work();
}

function setCursor(pos) {
  if (!app.timeline || !app.timeline.length) { app.cursor = null; return; }
  app.cursor = app.timeline.cursorAt(pos);
  // A view still waiting for its data() would place the cursor on the previous result.
  for (const v of Object.values(views)) if (v.cursor && !staleViews.has(v)) v.cursor(app);
  saveUrl();
}

let running = false;  // a run is in flight in the worker
let rerun = false;    // the text or the model changed meanwhile
let whenRun = [];     // onDrawn callbacks of the runs folded into the one in flight

/**
 * Runs the model on the current text and redraws everything; `onDrawn` runs once it is drawn.
 * One run at a time: text typed while the worker is busy is read by one more run afterwards, so a
 * burst of keys (or a huge paste) never queues stale work.
 */
async function runText(onDrawn) {
  if (onDrawn) whenRun.push(onDrawn);
  if (!app.info) return;
  if (running) { rerun = true; return; }
  running = true;
  let text;
  let result = null;
  let error = null;
  do {
    rerun = false;
    text = app.text;
    try {
      result = await client.run(text);
      error = null;
      // The selected unit's top words are part of the first draw (one round trip per unit and
      // model), so the unit view never flashes "looking…" after a run.
      const entry = result.layers[Math.min(app.selection.entry, result.layers.length - 1)];
      const unit = Math.min(app.selection.unit, entry ? entry.units - 1 : 0);
      if (entry && entry.layer === 0) await fetchTopWords(0, entry.direction, unit);
    } catch (err) {
      error = err;
    }
  } while (rerun);
  running = false;
  const callbacks = whenRun;
  whenRun = [];
  const done = () => { for (const callback of callbacks) callback(); };
  if (error) {
    showError(String(error.message || error));
    runFailed = true;
    done();
    return;
  }
  if (runFailed) { runFailed = false; showError(''); } // the review that failed (e.g. too long) was fixed
  result.text = text;
  result.info = app.info; // the model that answered: runs and loads are answered in order
  app.result = result;
  app.timeline = makeTimeline(app.info, result.steps);
  app.leaveOneOut = null;
  if (!result.stepEffect) app.effectMode = 'loo';
  const L = app.timeline.length;
  const at = pendingStep !== undefined && pendingStep < L ? pendingStep : L - 1;
  pendingStep = undefined;
  player.setLength(L, at);
  app.cursor = L ? app.timeline.cursorAt(player.position) : null;
  app.selection.entry = Math.min(app.selection.entry, result.layers.length - 1);
  app.selection.unit = Math.min(app.selection.unit, app.info.units - 1);
  if (!quantityChoices(app.info).some((q) => q.value === app.quantity)) app.quantity = 'h';
  updateMeta();
  allData(() => {
    runs++;
    $('app').dataset.runs = String(runs);  // browser tests wait on this: every view is drawn
    done();
  });
  ensureLeaveOneOut();
  saveUrl();
}

let loadSeq = 0;
async function switchModel(name) {
  const seq = ++loadSeq;
  app.modelName = name;
  $('model-select').value = name;
  player.pause();
  showError('');
  setState('loading');
  setStatus(t('status.loading', { name }));
  if (typeof WebAssembly !== 'object') {
    setState('error');
    setStatus('');
    showError(t('status.noWasm'));
    return;
  }
  let info;
  try {
    info = await client.load(modelUrl(name));
  } catch (err) {
    if (seq !== loadSeq) return;
    setState(app.info ? 'ready' : 'error');
    setStatus('');
    showError(withLoadAdvice(t('status.error', { message: String((err && err.message) || err) }), err, getLang())); // ship hook (#15)
    if (app.info) {
      app.modelName = app.info.name;
      $('model-select').value = app.modelName;
      // A load this one superseded may have succeeded: the worker holds that model now.
      if (app.result && app.result.info !== app.info) runText();
    }
    return;
  }
  // Even if the page has asked for another model since, the worker holds this one now.
  app.info = info;
  document.documentElement.dataset.engine = client.inWorker ? 'worker' : 'page'; // diagnostics, tests
  topWordsCache = new Map();
  if (seq !== loadSeq) return;
  app.effectMode = 'step';
  setStatus(`${t('status.ready', { name })}${__UNROLL_MOCK__ ? ' ' + t('status.mock') : ''}`);
  // 'ready' once the new model's views are drawn (they are drawn over several tasks).
  runText(() => { if (seq === loadSeq) setState('ready'); });
}

// Review input: debounced, so typing is never blocked by a run; a huge paste runs at once.
let inputTimer = 0;
const reviewBox = createReviewBox($('review'), $('review-huge'), {
  t: () => t,
  onInput(text) {
    app.text = text;
    clearTimeout(inputTimer);
    inputTimer = setTimeout(runText, text.length > HUGE_CHARS ? 0 : 200);
  },
});

function buildChrome() {
  const sel = $('model-select');
  const names = MODELS.includes(app.modelName) ? MODELS : [...MODELS, app.modelName];
  sel.replaceChildren(...names.map((n) => {
    const o = document.createElement('option');
    o.value = n;
    o.textContent = n;
    return o;
  }));
  sel.value = app.modelName;
  sel.addEventListener('change', () => switchModel(sel.value));
  const ex = $('examples');
  for (const e of EXAMPLES) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'example';
    b.dataset.example = e.id;
    b.dataset.i18n = `example.${e.id}`;
    b.addEventListener('click', () => {
      reviewBox.set(e.text);
      app.text = e.text;
      clearTimeout(inputTimer);
      runText();
    });
    ex.append(b);
  }
  for (const b of document.querySelectorAll('[data-lang]')) {
    b.addEventListener('click', () => {
      setLang(b.dataset.lang);
      refreshLanguage();
      saveUrl();
    });
  }
  $('export-svg').addEventListener('click', () => exportSvg(exportSpec(), fileName()));
  $('export-png').addEventListener('click', () => exportPng(exportSpec(), fileName()).catch((err) => showError(String(err.message || err))));
}

function refreshLanguage() {
  applyStatic();
  reviewBox.refresh();
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === getLang()));
  if (app.info) setStatus(`${t('status.ready', { name: app.modelName })}${__UNROLL_MOCK__ ? ' ' + t('status.mock') : ''}`);
  updateMeta();
  allData();
}

const fileName = () => `unroll-${app.modelName}-step${player.position}`;
function exportSpec() {
  const parts = [{ svg: views.diagram.node() }];
  for (const n of views.heatmap.nodes()) parts.push({ canvas: n.canvas, overlay: n.svg });
  if (app.result && app.result.runningProbability) parts.push({ svg: views.chart.node() });
  const r = app.result;
  return {
    title: t('export.title', { model: app.modelName, t: app.cursor && app.cursor.t !== null ? app.cursor.t : '—' }),
    subtitle: r ? `${t(`verdict.${r.label}`)} · ${pct(r.probability)} · “${app.text.slice(0, 90)}${app.text.length > 90 ? '…' : ''}”` : '',
    parts,
  };
}

// Keyboard: ←/→ step, space play/pause, Home/End — unless the focus is in a field that uses them.
document.addEventListener('keydown', (e) => {
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  const tag = e.target && e.target.tagName;
  if (tag === 'TEXTAREA' || tag === 'INPUT' || tag === 'SELECT' || (e.target && e.target.isContentEditable)) return;
  if (e.key === ' ' && (tag === 'BUTTON' || tag === 'SUMMARY' || tag === 'A')) return;
  const actions = {
    ArrowLeft: () => player.step(-1),
    ArrowRight: () => player.step(1),
    ' ': () => player.toggle(),
    Home: () => player.start(),
    End: () => player.end(),
  };
  if (!actions[e.key] || !app.timeline) return;
  e.preventDefault();
  actions[e.key]();
});

// Redraw width-dependent views when the layout width changes.
let lastWidth = 0;
let resizeFrame = 0;
new ResizeObserver(() => {
  const w = $('diagram').clientWidth;
  if (w === lastWidth) return;
  lastWidth = w;
  cancelAnimationFrame(resizeFrame);
  resizeFrame = requestAnimationFrame(() => {
    if (!app.result) return;
    for (const v of [views.diagram, views.heatmap, views.chart, views.unit]) v.data(app);
  });
}).observe($('diagram'));

buildChrome();
reviewBox.set(app.text);
refreshLanguage();
switchModel(app.modelName);

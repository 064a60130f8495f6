// Wires the page: text → model.run → result → views. The page never does the network's math;
// every number it shows comes from the API result (docs/js-api.md), computed in a Web Worker
// (web/model/client.js) so that the main thread only draws. The parts live in their own folders:
// model/ (the worker and its client), playback/ (time), app/ (state, run queue, render scheduler,
// URL), review/, views/, i18n/, ui/ (colours, formatting, export).
import './style.css';
import { createModelClient } from './model/client.js';
import { createTopWords } from './model/top-words.js';
import { MODELS, modelUrl } from './model/catalog.js';
import { t, setLang, getLang, applyStatic, preferredLang } from './i18n/i18n.js';
import { withLoadAdvice } from './shell/load-advice.js'; // ship hook (#15): what to do when a load fails
import { readState, writeState } from './app/url-state.js';
import { createAppState } from './app/app-state.js';
import { createRenderScheduler } from './app/render-scheduler.js';
import { createRunQueue } from './app/run-queue.js';
import { exportSpec } from './app/export-spec.js';
import { verdictOf } from './app/verdict.js';
import { createPlayer } from './playback/player.js';
import { makeTimeline } from './playback/timeline.js';
import { bindPlaybackKeys } from './playback/keys.js';
import { EXAMPLES } from './review/examples.js';
import { createReviewBox, HUGE_CHARS } from './review/review-box.js';
import { count, pct } from './ui/format.js';
import { exportSvg, exportPng } from './ui/export.js';
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
import { createTour } from './tour/tour.js';

const $ = (id) => document.getElementById(id);
const initial = readState();
setLang(initial.lang || preferredLang());

const client = createModelClient();
const topWords = createTopWords(client);
const app = createAppState(initial, t);
let pendingStep = initial.step; // the URL's step, applied to the first result
let firstRun = true;            // the page's first result starts at the first word
// A link naming a model the page does not ship: the default model is shown, and the status says so.
let unknownModelNotice = initial.unknownModel;

const player = createPlayer({
  speed: app.speed,
  onChange(pos, { playing, speed }) {
    $('play-hint').hidden = true; // the reader has found the controls
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
/** Shows every padding step (or folds them back into one block), keeping the cursor on its step. */
function setPaddingExpanded(expand) {
  if (!app.result || app.expandPadding === expand) return;
  const { cursor } = app;
  app.expandPadding = expand;
  app.timeline = makeTimeline(app.info, app.result, { expand });
  const pos = cursor && cursor.phase !== 'join' ? app.timeline.positionOf(cursor.t, cursor) : app.timeline.length - 1;
  player.setLength(app.timeline.length, pos, app.timeline.home);
  app.cursor = app.timeline.cursorAt(player.position);
  scheduler.drawAll(app);
  saveUrl();
}

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
  controls: createControls($('controls'), { player, onPadding: setPaddingExpanded, t: () => t }),
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
    onMode: (mode) => { app.effectMode = mode; ensureLeaveOneOut(); views.contrib.data(app); saveUrl(); },
    t: () => t,
  }),
  unit: createUnit($('unit'), {
    onSelectUnit: selectUnit,
    getTopWords: (layer, direction, unit) => topWords.peek(layer, direction, unit, () => { if (app.result) views.unit.data(app); }),
    t: () => t,
  }),
  learn: createLearn($('learn')),
  card: createModelCard($('model-card')),
  tour: createTour($('tour-stories'), $('tour-card'), {
    async load(story) {
      player.pause();
      reviewBox.set(story.text);
      app.text = story.text;
      clearTimeout(inputTimer);
      if (story.model !== app.modelName || !app.info) {
        unknownModelNotice = null;
        await switchModel(story.model);
      } else {
        await new Promise((resolve) => runText(resolve));
      }
    },
    seek: (s) => seekStep(s),
    app: () => app,
  }),
};
const scheduler = createRenderScheduler(() => Object.values(views));

function setState(state) {
  document.documentElement.dataset.state = state;
  $('app').classList.toggle('is-loading', state === 'loading');
}

const setStatus = (text) => { $('status').textContent = text; };

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
    padding: app.expandPadding,
    speed: player.speed,
    effect: app.effectMode,
    lang: getLang(),
  });
  $('review-meta').dataset.urlOmitted = String(omitted);
}

function updateMeta() {
  const r = app.result;
  const meta = $('review-meta');
  if (!r) { meta.textContent = ''; return; }
  meta.textContent = t('review.meta', { words: count(r.totalTokens), oov: count(r.oovTokens), steps: r.steps, count: r.totalTokens });
  if (app.text.length > 4000) meta.textContent += ` · ${t('review.urlOmitted')}`;
  const v = verdictOf(r);
  $('verdict').textContent = v.kind === 'unknown'
    ? t('verdict.unknownText', { known: count(v.known), total: count(v.total), p: pct(r.probability) })
    : `${t(`verdict.${v.kind}`)} · ${t('verdict.prob', { p: pct(r.probability) })}`;
  $('verdict').className = `verdict is-${v.kind}`;
  // An example this model gets wrong: say so, and why models like it struggle.
  const example = EXAMPLES.find((e) => e.text === app.text);
  const wrong = example && v.kind !== 'unknown' && v.kind !== example.expected;
  $('verdict-note').hidden = !wrong;
  $('verdict-note').textContent = wrong
    ? `${t(v.kind === 'uncertain' ? 'example.unsure' : 'example.wrong', { label: t(`verdict.${example.expected}`) })} ${t(`example.why.${example.id}`)}`
    : '';
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

// Views that rebuild much on a cursor move (the equation's bars and table, the unit trace) update in
// a task of their own, after the others: scrubbing a 500-step LSTM then never makes one long task.
// Consecutive moves coalesce: only the last position is drawn.
let laterTimer = 0;

function setCursor(pos) {
  if (!app.timeline || !app.timeline.length) { app.cursor = null; return; }
  app.cursor = app.timeline.cursorAt(pos);
  const later = new Set([views.equation, views.unit]);
  // A view still waiting for its data() would place the cursor on the previous result.
  const ready = (v) => v.cursor && !scheduler.isStale(v);
  for (const v of Object.values(views)) if (ready(v) && !later.has(v)) v.cursor(app);
  clearTimeout(laterTimer);
  laterTimer = setTimeout(() => { for (const v of later) if (ready(v)) v.cursor(app); }, 0);
  saveUrl();
}

let runFailed = false; // the error banner shows a failed run (not a failed model load)
let runs = 0;          // results drawn so far (browser tests wait on #app[data-runs])

const runQueue = createRunQueue({
  ready: () => !!app.info,
  currentText: () => app.text,
  async run(text) {
    const result = await client.run(text);
    // The selected unit's top words are part of the first draw (one round trip per unit and
    // model), so the unit view never flashes "looking…" after a run.
    const entry = result.layers[Math.min(app.selection.entry, result.layers.length - 1)];
    const unit = Math.min(app.selection.unit, entry ? entry.units - 1 : 0);
    if (entry && entry.layer === 0) await topWords.fetch(0, entry.direction, unit);
    return result;
  },
  onError(error, done) {
    showError(String(error.message || error));
    runFailed = true;
    done();
  },
  onResult(result, text, done) {
    if (runFailed) { runFailed = false; showError(''); } // the review that failed (e.g. too long) was fixed
    result.text = text;
    result.info = app.info; // the model that answered: runs and loads are answered in order
    app.result = result;
    views.tour.interrupt();
    app.timeline = makeTimeline(app.info, result, { expand: app.expandPadding });
    app.leaveOneOut = null;
    if (!result.stepEffect && app.effectMode === 'step') app.effectMode = 'loo'; // bidirectional: no running verdict
    const L = app.timeline.length;
    // A fresh load starts at the first word; a new review (typed, an example) shows its end.
    const at = pendingStep !== undefined && pendingStep < L ? pendingStep : firstRun ? app.timeline.home : L - 1;
    pendingStep = undefined;
    firstRun = false;
    player.setLength(L, at, app.timeline.home);
    app.cursor = L ? app.timeline.cursorAt(player.position) : null;
    app.selection.entry = Math.min(app.selection.entry, result.layers.length - 1);
    app.selection.unit = Math.min(app.selection.unit, app.info.units - 1);
    if (!quantityChoices(app.info).some((q) => q.value === app.quantity)) app.quantity = 'h';
    updateMeta();
    scheduler.drawAll(app, () => {
      runs++;
      $('app').dataset.runs = String(runs);
      done();
    });
    ensureLeaveOneOut();
    saveUrl();
  },
});
const runText = (onDrawn) => runQueue.request(onDrawn);

function readyText(name) {
  const unknown = unknownModelNotice ? ` ${t('status.unknownModel', { name: unknownModelNotice, fallback: name })}` : '';
  return `${t('status.ready', { name })}${unknown}${__UNROLL_MOCK__ ? ' ' + t('status.mock') : ''}`;
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
  app.prior = typeof info.prior === 'number' ? info.prior : null; // head on h = 0, from the core
  document.documentElement.dataset.engine = client.inWorker ? 'worker' : 'page'; // diagnostics, tests
  topWords.reset();
  if (seq !== loadSeq) return;
  setStatus(readyText(name));
  // 'ready' once the new model's views are drawn (they are drawn over several tasks).
  return new Promise((resolve) => runText(() => { if (seq === loadSeq) setState('ready'); resolve(); }));
}

// Review input: debounced, so typing is never blocked by a run; a huge paste runs at once.
const TYPING_PAUSE_MS = 200;
let inputTimer = 0;
const reviewBox = createReviewBox($('review'), $('review-huge'), {
  t: () => t,
  onInput(text) {
    app.text = text;
    clearTimeout(inputTimer);
    inputTimer = setTimeout(runText, text.length > HUGE_CHARS ? 0 : TYPING_PAUSE_MS);
  },
});

function buildChrome() {
  const sel = $('model-select');
  sel.replaceChildren(...MODELS.map((n) => {
    const o = document.createElement('option');
    o.value = n;
    o.textContent = n;
    return o;
  }));
  sel.value = app.modelName;
  sel.addEventListener('change', () => { unknownModelNotice = null; switchModel(sel.value); });
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
  const fileName = () => `unroll-${app.modelName}-step${player.position}`;
  $('export-svg').addEventListener('click', () => exportSvg(exportSpec(app, views, t), fileName()));
  $('export-png').addEventListener('click', () => exportPng(exportSpec(app, views, t), fileName()).catch((err) => showError(String(err.message || err))));
}

function refreshLanguage() {
  applyStatic();
  reviewBox.refresh();
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === getLang()));
  if (app.info) setStatus(readyText(app.modelName));
  updateMeta();
  scheduler.drawAll(app);
}

bindPlaybackKeys(player, () => !!app.timeline);

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

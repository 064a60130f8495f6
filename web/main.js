// Wires the page: text → model.run → result → views. The page never does the network's math;
// every number it shows comes from the API result (docs/js-api.md), computed in a Web Worker
// (web/model/client.js) so that the main thread only draws. The parts live in their own folders:
// model/ (the worker and its client), playback/ (time), app/ (state, run queue, render scheduler,
// URL), review/, views/, i18n/, ui/ (colours, formatting, export).
import './style.css';
import { createModelClient } from './model/client.js';
import { createTopWords } from './model/top-words.js';
import { MODELS, YOURS, modelUrl, comparePartner } from './model/catalog.js';
import { t, setLang, getLang, applyStatic, preferredLang } from './i18n/i18n.js';
import { withLoadAdvice } from './shell/load-advice.js'; // ship hook (#15): what to do when a load fails
import { pageBase, wasmBaseUrl } from './shell/paths.js';
import { readState, writeState } from './app/url-state.js';
import { createAppState } from './app/app-state.js';
import { createRenderScheduler } from './app/render-scheduler.js';
import { createRunQueue } from './app/run-queue.js';
import { exportSpec } from './app/export-spec.js';
import { verdictOf } from './app/verdict.js';
import { createPlayer } from './playback/player.js';
import { makeTimeline, stepItems } from './playback/timeline.js';
import { bindPlaybackKeys } from './playback/keys.js';
import { EXAMPLES } from './review/examples.js';
import { createReviewBox, HUGE_CHARS } from './review/review-box.js';
import { count, pct, stepWord } from './ui/format.js';
import { exportSvg, exportPng } from './ui/export.js';
import { createTokens } from './views/tokens.js';
import { createGauge } from './views/gauge.js';
import { createDiagram } from './views/diagram.js';
import { createHeatmap, quantityChoices } from './views/heatmap.js';
import { createEquation } from './views/equation.js';
import { createChart } from './views/chart.js';
import { createContributions } from './views/contributions.js';
import { createUnit } from './views/unit.js';
import { createLensPanel } from './views/lens-panel.js';
import { createMemoryLens } from './views/memory-lens.js';
import { createControls } from './views/controls.js';
import { createLearn } from './views/learn.js';
import { createModelCard } from './views/model-card.js';
import { createTour } from './tour/tour.js';
import { applyEdit, alignSteps } from './review/edits.js';
import { bindUndoKeys } from './review/undo-keys.js';
import { createWordMenu } from './views/word-menu.js';
import { createEditBar } from './views/edit-bar.js';
import './review/edits.css';
import { createCompare } from './views/compare.js';
import './views/compare.css';

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
// The learner's own model ("yours"): { bytes, name } of a model file trained in the page or loaded
// from disk (name: the file's, for the loader's messages).
let yours = null;
let loadedModel = null; // the name (a shipped one or "yours") of the model the worker holds
let trainingView = null; // web/train/training-view.js, imported when training is first opened
let openingTraining = false;

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
  ensureRanking();
  views.unit.data(app);
  views.heatmap.cursor(app);
  views.equation.data(app);
  saveUrl();
};

// Editing the review in place (issue #17 item 2): the word menu's suggestions, asked once per word
// and model, in the worker.
const suggestions = new Map();
function suggest(id) {
  const key = `${app.modelName}\n${id}`;
  if (!suggestions.has(key)) suggestions.set(key, client.suggest(id, 8).catch((err) => { suggestions.delete(key); throw err; }));
  return suggestions.get(key);
}

const views = {
  tokens: createTokens($('tokens'), {
    onSeek: seekStep,
    onWord: (token, label, chip) => views.wordMenu.open(token, label, chip),
    t: () => t,
  }),
  wordMenu: createWordMenu($('word-menu'), { suggest, onEdit: editWord, t: () => t }),
  editBar: createEditBar($('edit-bar'), { onUndo: undoEdit, onReset: resetEdits, t: () => t }),
  gauge: createGauge($('gauge')),
  controls: createControls($('controls'), { player, onPadding: setPaddingExpanded, t: () => t }),
  diagram: createDiagram($('diagram'), { onSeek: seekStep, t: () => t }),
  lens: createLensPanel($('memory-lens'), {
    onSeek: seekStep,
    onQuantity: (q) => { app.lensQuantity = q === 'gti' ? 'gti' : 'norm'; views.lens.data(app); saveUrl(); },
    t: () => t,
  }),
  equation: createEquation($('equation'), { onEntry: (i) => selectUnit(i, app.selection.unit), t: () => t }),
  heatmap: createHeatmap($('heatmap'), {
    onSeek: seekStep,
    onSelectUnit: selectUnit,
    onQuantity: (q) => { app.quantity = q; views.heatmap.data(app); saveUrl(); },
    onDifference: (on) => { app.showDifference = on; views.heatmap.data(app); saveUrl(); },
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
    onKnockout: setKnockout,
    onClearKnockouts: () => { app.knockouts = []; runText(); saveUrl(); },
    getTopWords: (layer, direction, unit) => topWords.peek(layer, direction, unit, () => { if (app.result) views.unit.data(app); }),
    t: () => t,
  }),
  compare: createCompare($('compare'), { t: () => t, onToggle: toggleCompare, onPartner: setComparePartner, lens: compareLens }),
  learn: createLearn($('learn')),
  card: createModelCard($('model-card')),
  tour: createTour($('tour-stories'), $('tour-card'), {
    async load(story) {
      player.pause();
      endEdits();
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
    model: MODELS.includes(app.modelName) ? app.modelName : undefined, // "yours" cannot be linked to
    step: app.timeline ? player.position : undefined,
    entry: app.selection.entry,
    unit: app.selection.unit,
    quantity: app.quantity,
    padding: app.expandPadding,
    speed: player.speed,
    effect: app.effectMode,
    lensQuantity: app.lensQuantity,
    knockouts: app.knockouts,
    lang: getLang(),
    original: app.edits.original ?? undefined,
    difference: app.showDifference && app.edits.original !== null,
    compare: app.compare.on ? app.compare.partner : undefined,
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

/** The knockouts in the API's terms (docs/js-api.md), those that fit the loaded model. */
function apiKnockouts() {
  const { info } = app;
  if (!info) return [];
  const entries = info.layers * info.directions;
  app.knockouts = app.knockouts.filter((k) => k.entry < entries && k.unit < info.units);
  return app.knockouts.map((k) => ({
    layer: Math.floor(k.entry / info.directions),
    direction: k.entry % info.directions,
    unit: k.unit,
    mode: k.mode === 'zero' ? 'zero' : 'clamp',
    value: k.mode === 'plus' ? 1 : k.mode === 'minus' ? -1 : 0,
  }));
}

/** Knocks the unit out (mode 'zero' | 'plus' | 'minus') or restores it (null), and runs again. */
function setKnockout(entry, unit, mode) {
  app.knockouts = app.knockouts.filter((k) => !(k.entry === entry && k.unit === unit));
  if (mode) app.knockouts.push({ entry, unit, mode });
  runText();
  saveUrl();
}

// The lens and the ranking are asked for a moment after a result is drawn, and only if no newer
// result has replaced it by then: while someone types, the worker runs the reviews, not the
// extras of results already gone.
const EXTRAS_DELAY_MS = 150;
let lensFor = null;    // the result whose lens is being computed
let rankingFor = null; // "result, entry" being ranked

/** Asks the worker for the memory lens of the current result (one backward pass through time). */
function ensureLens() {
  const { result } = app;
  if (!result || lensFor === result || (app.lens && app.lens.result === result)) return;
  lensFor = result;
  setTimeout(() => {
    if (app.result !== result) { lensFor = null; return; }
    client.attribution(result.text, result.knockouts).then((value) => {
      if (app.result !== result) return;
      app.lens = { result, value };
      views.lens.data(app);
      if (app.compare.on) views.compare.data(app);
    }, () => {
      if (app.result === result) app.lens = { result, value: null };
    }).finally(() => { if (lensFor === result) lensFor = null; });
  }, EXTRAS_DELAY_MS);
}

// Ranking costs one forward pass per unit (best, 500 words: about a second of the worker), so it
// is asked for only while the unit panel is on screen, and a little later than the lens.
const RANKING_DELAY_MS = 400;
let unitPanelVisible = false;
new IntersectionObserver((entries) => {
  unitPanelVisible = entries.some((e) => e.isIntersecting);
  if (unitPanelVisible) ensureRanking();
}).observe($('unit'));

/** Asks the worker which units' knockout moves the current verdict most, in the selected layer. */
function ensureRanking() {
  const { result, info } = app;
  const entry = app.selection.entry;
  if (!unitPanelVisible) return;
  if (!result || !info || (app.ranking && app.ranking.result === result && app.ranking.entry === entry)) return;
  if (rankingFor && rankingFor.result === result && rankingFor.entry === entry) return;
  const mine = { result, entry };
  rankingFor = mine;
  setTimeout(() => {
    if (app.result !== result || app.selection.entry !== entry) { if (rankingFor === mine) rankingFor = null; return; }
    const layer = Math.floor(entry / info.directions);
    const direction = entry % info.directions;
    client.knockoutRanking(result.text, layer, direction, result.knockouts).then((units) => {
      if (app.result !== result || app.selection.entry !== entry) return;
      app.ranking = { result, entry, units };
      views.unit.data(app);
    }, () => {}).finally(() => { if (rankingFor === mine) rankingFor = null; });
  }, RANKING_DELAY_MS);
}

// Views that rebuild much on a cursor move (the equation's bars and table, the unit trace) update in
// a task of their own, after the others: scrubbing a 500-step LSTM then never makes one long task.
// Consecutive moves coalesce: only the last position is drawn.
let laterTimer = 0;

function setCursor(pos) {
  if (!app.timeline || !app.timeline.length) { app.cursor = null; return; }
  app.cursor = app.timeline.cursorAt(pos);
  // The memory lens and the compare lanes (a strip of up to 500 columns each) get a task of their own too.
  const groups = [[views.equation, views.unit], [views.lens], [views.compare]];
  const later = new Set(groups.flat());
  // A view still waiting for its data() would place the cursor on the previous result.
  const ready = (v) => v.cursor && !scheduler.isStale(v);
  for (const v of Object.values(views)) if (ready(v) && !later.has(v)) v.cursor(app);
  clearTimeout(laterTimer);
  const next = (i) => {
    if (i === groups.length) return;
    laterTimer = setTimeout(() => { for (const v of groups[i]) if (ready(v)) v.cursor(app); next(i + 1); }, 0);
  };
  next(0);
  saveUrl();
}

let runFailed = false; // the error banner shows a failed run (not a failed model load)
let runs = 0;          // results drawn so far (browser tests wait on #app[data-runs])

const runQueue = createRunQueue({
  ready: () => !!app.info,
  currentText: () => app.text,
  async run(text) {
    const knockouts = apiKnockouts();
    const result = await client.run(text, knockouts);
    result.knockouts = knockouts; // what the lens and the ranking of this result must use
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
    views.wordMenu.close(); // its token belonged to the previous result
    app.original = originalFor(result);
    updateMeta();
    scheduler.drawAll(app, () => {
      runs++;
      $('app').dataset.runs = String(runs);
      done();
    });
    ensureLeaveOneOut();
    ensureOriginal(result);
    refreshCompare();
    ensureLens();
    ensureRanking();
    saveUrl();
  },
});

// Compare mode (issue #17 item 3): a second model in a worker of its own reads every review the page
// runs; web/views/compare.js draws the two side by side.
let partnerClient = null;
let partnerLoaded = null; // the model name the partner worker holds
let partnerBusy = false;

async function refreshCompare() {
  const c = app.compare;
  if (!c.on || !app.result) return;
  if (partnerBusy) return; // the loop below picks up the latest text and partner
  partnerBusy = true;
  partnerClient ??= createModelClient();
  try {
    while (c.on && app.result) {
      const name = c.partner;
      const text = app.result.text;
      if (partnerLoaded !== name) {
        c.loading = true;
        c.result = null;
        views.compare.data(app);
        c.info = await partnerClient.load(modelUrl(name));
        partnerLoaded = name;
        c.loading = false;
      }
      if (c.result && c.result.text === text && c.result.info === c.info) break;
      const r = await partnerClient.run(text);
      r.text = text;
      r.info = c.info;
      c.result = r;
      c.error = null;
      views.compare.data(app);
      // Its memory lens, from the partner's worker, once the lane is drawn.
      const lens = await partnerClient.attribution(text);
      if (c.result === r) {
        r.lens = lens;
        views.compare.data(app);
      }
    }
  } catch (err) {
    c.error = String((err && err.message) || err);
    c.loading = false;
  } finally {
    partnerBusy = false;
  }
  views.compare.data(app);
}

/** Each compare lane's memory lens (issue #17: "each with its verdict, running curve and memory lens"). */
function compareLens(slot, lane) {
  const attribution = lane.result === app.result
    ? (app.lens && app.lens.result === app.result ? app.lens.value : null)
    : lane.result.lens ?? null;
  if (!attribution) return;
  createMemoryLens(slot, {
    attribution, info: lane.info, stepWord: (s) => stepWord(lane.result, s), quantity: app.lensQuantity,
    items: stepItems(lane.result, app.expandPadding),
  }, {
    t: () => t,
    // One choice of bars for every lens on the page.
    onQuantity: (q) => { app.lensQuantity = q === 'gti' ? 'gti' : 'norm'; views.lens.data(app); views.compare.data(app); saveUrl(); },
  });
}

function toggleCompare(on) {
  const c = app.compare;
  c.on = on;
  if (on && (!c.partner || c.partner === app.modelName)) c.partner = comparePartner(app.modelName);
  views.compare.data(app);
  saveUrl();
  refreshCompare();
}

function setComparePartner(name) {
  if (!MODELS.includes(name) || name === app.modelName) return;
  app.compare.partner = name;
  app.compare.error = null;
  views.compare.data(app);
  saveUrl();
  refreshCompare();
}

// The original review's run, while the review is edited: the same model reads it once per
// original, in the worker; the edited result is then drawn over it.
let originalRun = null; // { text, info, result } — the last original read
let originalAsked = null; // the original run asked for, not answered yet

/** { result, map } of the original for an edited result, if it has been read; else null. */
function originalFor(result) {
  const original = app.edits.original;
  if (original === null || result.text === original) return null;
  if (!originalRun || originalRun.text !== original || originalRun.info !== result.info) return null;
  return { result: originalRun.result, map: alignSteps(originalRun.result, result) };
}

function ensureOriginal(result) {
  const original = app.edits.original;
  if (original === null || result.text === original || app.original) return;
  const key = `${original}\n${result.info.name}`;
  if (originalAsked === key) return;
  originalAsked = key;
  const info = result.info;
  client.run(original).then((r) => {
    r.text = original;
    r.info = info;
    originalRun = { text: original, info, result: r };
    if (app.result !== result) return; // the next result picks it up
    app.original = originalFor(result);
    // One view per task (the heatmap of a long LSTM review alone can take tens of ms).
    const redraw = [views.editBar, views.gauge, views.chart, views.heatmap];
    const next = () => {
      if (app.result !== result || !redraw.length) return;
      redraw.shift().data(app);
      setTimeout(next, 0);
    };
    next();
  }, (err) => {
    if (app.result === result) showError(String(err.message || err));
  }).finally(() => { if (originalAsked === key) originalAsked = null; });
}

/** Shows and runs a text the page itself put in the box (an edit, an undo, the original again). */
function setReviewText(text) {
  reviewBox.set(text);
  app.text = text;
  clearTimeout(inputTimer);
  runText();
}

/** Applies an edit from the word menu to the current result's text. */
function editWord(token, edit) {
  const before = app.result ? app.result.text : app.text;
  app.edits.record(before);
  setReviewText(applyEdit(before, token, edit));
}

function undoEdit() {
  const previous = app.edits.undo();
  if (previous === null) return;
  if (app.edits.count === 0 && previous === app.edits.original) app.edits.clear(); // all undone
  setReviewText(previous);
  views.editBar.data(app);
}

function resetEdits() {
  const original = app.edits.original;
  if (original === null) return;
  app.edits.clear();
  setReviewText(original);
  views.editBar.data(app);
}

/** The reader wrote or picked a review of their own: editing starts afresh from it. */
function endEdits() {
  if (app.edits.original === null) return;
  app.edits.clear();
  app.original = null;
  views.editBar.data(app);
}
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
    info = name === YOURS ? await client.loadBytes(yours.bytes, yours.name) : await client.load(modelUrl(name));
  } catch (err) {
    if (seq !== loadSeq) return false;
    setState(app.info ? 'ready' : 'error');
    setStatus('');
    showError(withLoadAdvice(t('status.error', { message: String((err && err.message) || err) }), err, getLang())); // ship hook (#15)
    if (app.info) {
      app.modelName = loadedModel;
      $('model-select').value = app.modelName;
      // A load this one superseded may have succeeded: the worker holds that model now.
      if (app.result && app.result.info !== app.info) runText();
    }
    return false;
  }
  // Even if the page has asked for another model since, the worker holds this one now.
  app.info = info;
  loadedModel = name;
  app.prior = typeof info.prior === 'number' ? info.prior : null; // head on h = 0, from the core
  document.documentElement.dataset.engine = client.inWorker ? 'worker' : 'page'; // diagnostics, tests
  topWords.reset();
  suggestions.clear();
  if (app.compare.partner === name) app.compare.partner = comparePartner(name); // two lanes, two models
  if (seq !== loadSeq) return false;
  setStatus(readyText(name === YOURS ? t('model.yours') : name));
  // 'ready' once the new model's views are drawn (they are drawn over several tasks).
  return new Promise((resolve) => runText(() => { if (seq === loadSeq) setState('ready'); resolve(true); }));
}

/** The model selector: the shipped models, and "yours" once there is one. */
function fillModelSelect() {
  const sel = $('model-select');
  sel.replaceChildren(...[...MODELS, ...(yours ? [YOURS] : [])].map((n) => {
    const o = document.createElement('option');
    o.value = n;
    o.textContent = n === YOURS ? t('model.yours') : n;
    return o;
  }));
  sel.value = app.modelName;
}

/**
 * Makes `bytes` (a model file) the page's "yours" and shows it. The model worker validates it
 * (the loader of docs/model-format.md); a file it refuses shows the loader's message and changes
 * nothing: the previous model, and the previous "yours", stay. Resolves to whether it was taken.
 */
async function useYours(bytes, name) {
  const previous = yours;
  yours = { bytes, name };
  fillModelSelect();
  unknownModelNotice = null;
  const ok = await switchModel(YOURS);
  if (!ok) {
    yours = previous;
    fillModelSelect();
  }
  return ok;
}

/** Saves "yours" as a .safetensors file (the format loadModel and tools/evaluate read). */
function downloadYours() {
  if (!yours) return;
  const url = URL.createObjectURL(new Blob([yours.bytes], { type: 'application/octet-stream' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: 'unroll-yours.safetensors' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** Opens (or folds) the training panel; its code, the trainer and the data load on first opening. */
async function toggleTraining() {
  const button = $('train-open');
  const panel = $('training');
  const open = panel.hidden;
  panel.hidden = !open;
  button.setAttribute('aria-expanded', String(open));
  if (!open || trainingView || openingTraining) return;
  openingTraining = true; // the button keeps its focus (a disabled button would drop it)
  try {
    const { createTrainingView } = await import('./train/training-view.js');
    trainingView = createTrainingView(panel, {
      t: () => t,
      dataUrl: (dataset) => new URL(`data/imdb-${dataset}.bin`, pageBase()).href,
      wasmBase: wasmBaseUrl,
      async onTrained(bytes) {
        if (!(await useYours(bytes, 'yours.safetensors'))) throw new Error($('error').textContent);
      },
      download: downloadYours,
    });
  } catch (err) {
    showError(String((err && err.message) || err));
  } finally {
    openingTraining = false;
  }
}

// Review input: debounced, so typing is never blocked by a run; a huge paste runs at once.
const TYPING_PAUSE_MS = 200;
let inputTimer = 0;
const reviewBox = createReviewBox($('review'), $('review-huge'), {
  t: () => t,
  onInput(text) {
    endEdits();
    app.text = text;
    clearTimeout(inputTimer);
    inputTimer = setTimeout(runText, text.length > HUGE_CHARS ? 0 : TYPING_PAUSE_MS);
  },
});

function buildChrome() {
  const sel = $('model-select');
  fillModelSelect();
  sel.addEventListener('change', () => { unknownModelNotice = null; switchModel(sel.value); });
  const ex = $('examples');
  for (const e of EXAMPLES) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'example';
    b.dataset.example = e.id;
    b.dataset.i18n = `example.${e.id}`;
    b.addEventListener('click', () => {
      endEdits();
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
  $('train-open').addEventListener('click', toggleTraining);
  $('model-file').addEventListener('change', async (event) => {
    const input = event.target;
    const file = input.files && input.files[0];
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    input.value = ''; // the same file can be chosen again
    await useYours(bytes, file.name);
  });
  const fileName = () => `unroll-${app.modelName}-step${player.position}`;
  $('export-svg').addEventListener('click', () => exportSvg(exportSpec(app, views, t), fileName()));
  $('export-png').addEventListener('click', () => exportPng(exportSpec(app, views, t), fileName()).catch((err) => showError(String(err.message || err))));
}

function refreshLanguage() {
  applyStatic();
  reviewBox.refresh();
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === getLang()));
  if (app.info) setStatus(readyText(app.modelName === YOURS ? t('model.yours') : app.modelName));
  fillModelSelect();
  if (trainingView) trainingView.refresh();
  updateMeta();
  scheduler.drawAll(app);
}

bindPlaybackKeys(player, () => !!app.timeline);
bindUndoKeys(undoEdit, () => app.edits.count > 0);

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
    for (const v of [views.diagram, views.heatmap, views.chart, views.unit, views.compare]) v.data(app);
  });
}).observe($('diagram'));

buildChrome();
reviewBox.set(app.text);
refreshLanguage();
switchModel(app.modelName);

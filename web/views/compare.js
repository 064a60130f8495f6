// Two models side by side (issue #17 item 3): the same review read by the page's model and a second
// one, each in a lane with its verdict and how it formed, on one shared axis of words (the same x for
// the same word, whatever each model's window). A model that reads one way has a running verdict
// pₜ; a bidirectional one has a verdict only at the end (its head joins both directions), so its lane
// draws what its trace does have: how much each word changed the top layer's forward state and its
// backward state. Each lane leaves a slot for a memory lens (`lens(slot, lane)`, optional).
// The second model runs in a worker of its own (main.js); this view only draws the two results.
import { select } from 'd3-selection';
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { MODELS, comparePartner } from '../model/catalog.js';
import { NEGATIVE, POSITIVE, ACCENT } from '../ui/colors.js';
import { pct, shorten } from '../ui/format.js';
import { verdictOf } from '../app/verdict.js';

const HEIGHT = 120;
const MARGIN = { top: 10, right: 12, bottom: 22, left: 34 };
const MIN_WIDTH = 240;

/**
 * What a lane draws, from a run() result: { words: [{ index, text }] in the window, stepOfWord:
 * Map(token index → step), x: token index → lane x (shared), kind: 'running' | 'sweep', series:
 * [{ name, points: [[tokenIndex, value]] }] }. Pure; exported for the tests.
 */
export function laneSeries(result, info) {
  const words = [];
  const stepOfWord = new Map();
  for (const tk of result.tokens) {
    if (tk.position < 0) continue;
    words.push({ index: tk.index, text: result.text ? result.text.slice(tk.begin, tk.end) : tk.text });
    stepOfWord.set(tk.index, tk.position);
  }
  if (result.runningProbability) {
    const points = words.map((w) => [w.index, result.runningProbability[stepOfWord.get(w.index)]]);
    return { words, stepOfWord, kind: 'running', series: [{ name: 'p', points }] };
  }
  // Bidirectional: the top layer's two directions; a step's change is measured from the state that
  // direction held before reading it (forward: row t − 1; backward: row t + 1; h = 0 at the ends).
  const top = info.layers - 1;
  const units = info.units;
  const series = [];
  for (const direction of ['forward', 'backward']) {
    const entry = result.layers.find((e) => e.layer === top && e.direction === direction);
    if (!entry) continue;
    const h = entry.hidden;
    const T = result.steps;
    const change = (t) => {
      const prev = direction === 'forward' ? t - 1 : t + 1;
      let sum = 0;
      for (let u = 0; u < units; u++) {
        const before = prev >= 0 && prev < T ? h[prev * units + u] : 0;
        const d = h[t * units + u] - before;
        sum += d * d;
      }
      return Math.sqrt(sum);
    };
    series.push({ name: direction, points: words.map((w) => [w.index, change(stepOfWord.get(w.index))]) });
  }
  return { words, stepOfWord, kind: 'sweep', series };
}

/** The sentence on why gates exist, when the two models' cells differ; else ''. */
export function whySentence(a, b, t) {
  if (!a || !b || a.info.cell === b.info.cell) return '';
  const simple = [a, b].find((l) => l.info.cell === 'simple_rnn');
  const lstm = [a, b].find((l) => l.info.cell === 'lstm');
  const gru = [a, b].find((l) => l.info.cell === 'gru');
  if (simple && lstm) {
    return t('compare.whyLstm', { simple: simple.name, lstm: lstm.name, p1: `${a.name} ${pct(a.result.probability)}`, p2: `${b.name} ${pct(b.result.probability)}` });
  }
  if (simple && gru) return t('compare.whyGru', { simple: simple.name, gated: gru.name });
  return '';
}

/**
 * `onToggle(on)`, `onPartner(name)`: the reader ticked the box or picked a model. `lens(slot, lane)`,
 * optional: fills each lane's memory-lens slot; lane = { model, info, result, words, stepOfWord, x }.
 */
export function createCompare(root, { t: tr, onToggle, onPartner, lens = null }) {
  const panel = select(root);
  const head = panel.append('div').attr('class', 'cmp-head');
  const toggleLabel = head.append('label').attr('class', 'cmp-toggle');
  const toggle = toggleLabel.append('input').attr('type', 'checkbox').attr('id', 'compare-on')
    .on('change', (e) => onToggle(e.target.checked));
  const toggleText = toggleLabel.append('span');
  const partnerSelect = head.append('select').attr('class', 'cmp-partner').attr('id', 'compare-select')
    .on('change', (e) => onPartner(e.target.value));
  const status = panel.append('p').attr('class', 'cmp-status').attr('role', 'status');
  const why = panel.append('p').attr('class', 'cmp-why');
  const lanesBox = panel.append('div').attr('class', 'cmp-lanes');
  let app = null;
  let drawn = []; // per lane: { g, x, rule, lane }

  function laneData(name, info, result) {
    return { name, info, result, ...laneSeries(result, info) };
  }

  function draw() {
    const t = tr();
    lanesBox.selectAll('*').remove();
    drawn = [];
    why.text('');
    const c = app.compare;
    if (!c || !c.on || !app.result || !app.info) return;
    const lanes = [laneData(app.modelName, app.info, app.result)];
    if (c.result && c.info && c.result.text === app.result.text) lanes.push(laneData(c.partner, c.info, c.result));
    why.text(lanes.length === 2 ? whySentence(lanes[0], lanes[1], t) : '');
    // The shared axis: every word either model reads.
    const indices = lanes.flatMap((l) => l.words.map((w) => w.index));
    if (!indices.length) return;
    const lo = Math.min(...indices);
    const hi = Math.max(...indices);
    const textOf = new Map();
    for (const l of lanes) for (const w of l.words) textOf.set(w.index, w.text);
    const width = Math.max(MIN_WIDTH, (root.clientWidth || 604) - 4);
    const x = scaleLinear().domain([lo - 0.5, Math.max(lo + 0.5, hi + 0.5)]).range([MARGIN.left, width - MARGIN.right]);
    const every = Math.max(1, Math.ceil((hi - lo + 1) / Math.max(2, Math.floor((width - MARGIN.left) / 70))));
    for (const lane of lanes) {
      const box = lanesBox.append('div').attr('class', 'cmp-lane').attr('data-model', lane.name);
      const v = verdictOf(lane.result);
      const verdict = v.kind === 'unknown' ? t('verdict.short.unknown') : t(`verdict.${v.kind}`);
      const title = box.append('div').attr('class', 'cmp-title');
      title.append('strong').text(lane.name);
      title.append('span').attr('class', `cmp-verdict is-${v.kind}`).text(` ${verdict} · ${t('verdict.prob', { p: pct(lane.result.probability) })}`);
      box.append('p').attr('class', 'cmp-kind').text(t(lane.kind === 'running' ? 'compare.running' : 'compare.sweep'));
      const svg = box.append('svg').attr('class', 'cmp-chart').attr('width', width).attr('height', HEIGHT)
        .attr('viewBox', `0 0 ${width} ${HEIGHT}`).attr('role', 'img');
      const first = lane.words[0];
      const last = lane.words[lane.words.length - 1];
      if (lane.kind === 'running') {
        svg.attr('aria-label', t('compare.aria', { model: lane.name, first: pct(lane.series[0].points[0]?.[1] ?? 0.5), last: pct(lane.result.probability) }));
      } else {
        svg.attr('aria-label', t('compare.ariaBi', { model: lane.name }));
      }
      const y = lane.kind === 'running'
        ? scaleLinear().domain([0, 1]).range([HEIGHT - MARGIN.bottom, MARGIN.top])
        : scaleLinear().domain([0, Math.max(1e-6, ...lane.series.flatMap((s) => s.points.map((p) => p[1])))]).range([HEIGHT - MARGIN.bottom, MARGIN.top]);
      // Words this model does not read (outside its window): shaded.
      if (first && first.index > lo) svg.append('rect').attr('class', 'cmp-unread').attr('x', x(lo - 0.5)).attr('width', x(first.index - 0.5) - x(lo - 0.5)).attr('y', MARGIN.top).attr('height', HEIGHT - MARGIN.top - MARGIN.bottom);
      if (last && last.index < hi) svg.append('rect').attr('class', 'cmp-unread').attr('x', x(last.index + 0.5)).attr('width', x(hi + 0.5) - x(last.index + 0.5)).attr('y', MARGIN.top).attr('height', HEIGHT - MARGIN.top - MARGIN.bottom);
      if (lane.kind === 'running') {
        svg.append('line').attr('class', 'chart-mid').attr('x1', MARGIN.left).attr('x2', width - MARGIN.right).attr('y1', y(0.5)).attr('y2', y(0.5));
        svg.append('text').attr('class', 'chart-side').attr('x', 2).attr('y', MARGIN.top + 9).attr('fill', POSITIVE).text('1');
        svg.append('text').attr('class', 'chart-side').attr('x', 2).attr('y', HEIGHT - MARGIN.bottom).attr('fill', NEGATIVE).text('0');
      }
      const ln = line().x((d) => x(d[0])).y((d) => y(d[1]));
      for (const s of lane.series) {
        svg.append('path').attr('class', `cmp-line cmp-${s.name}`).attr('d', ln(s.points));
      }
      if (lane.kind === 'sweep') {
        const key = svg.append('g').attr('class', 'chart-key').attr('transform', `translate(${MARGIN.left + 4},${MARGIN.top + 2})`);
        key.append('line').attr('class', 'cmp-line cmp-forward').attr('x1', 0).attr('x2', 16).attr('y1', 5).attr('y2', 5);
        key.append('text').attr('x', 20).attr('y', 9).text(t('compare.fwd'));
        key.append('line').attr('class', 'cmp-line cmp-backward').attr('x1', 70).attr('x2', 86).attr('y1', 5).attr('y2', 5);
        key.append('text').attr('x', 90).attr('y', 9).text(t('compare.bwd'));
      }
      // The shared word axis: a few words by name.
      const axis = svg.append('g').attr('class', 'cmp-axis');
      const ticks = [];
      for (let i = lo; i <= hi; i += every) if (textOf.has(i)) ticks.push(i);
      axis.selectAll('text').data(ticks).join('text').attr('data-index', (i) => i).attr('x', (i) => x(i)).attr('y', HEIGHT - 6).attr('text-anchor', 'middle')
        .text((i) => shorten(textOf.get(i), 10));
      const rule = svg.append('line').attr('class', 'cmp-rule').attr('y1', MARGIN.top).attr('y2', HEIGHT - MARGIN.bottom).attr('stroke', ACCENT).attr('display', 'none');
      const slot = box.append('div').attr('class', 'compare-lens-slot').attr('data-lens-slot', lane.name);
      const laneInfo = { model: lane.name, info: lane.info, result: lane.result, words: lane.words, stepOfWord: lane.stepOfWord, x };
      if (lens) lens(slot.node(), laneInfo);
      drawn.push({ rule, x, lane });
    }
    lanesBox.append('p').attr('class', 'cmp-axis-note').text(t('compare.axis'));
  }

  function cursorUpdate() {
    if (!app || !app.result || !app.cursor) return;
    const k = app.result.tokenIndex[app.cursor.t];
    const tk = k >= 0 ? app.result.tokens[k] : null;
    for (const d of drawn) {
      const on = tk && d.lane.stepOfWord.has(tk.index);
      d.rule.attr('display', on ? null : 'none').attr('x1', on ? d.x(tk.index) : 0).attr('x2', on ? d.x(tk.index) : 0);
    }
  }

  return {
    data(a) {
      app = a;
      const t = tr();
      const c = a.compare || { on: false };
      panel.attr('aria-label', t('compare.label'));
      toggleText.text(t('compare.toggle'));
      toggle.property('checked', !!c.on);
      partnerSelect.attr('aria-label', t('compare.model'))
        .selectAll('option').data(MODELS.filter((m) => m !== a.modelName)).join('option').attr('value', (d) => d).text((d) => d);
      partnerSelect.property('value', c.partner || comparePartner(a.modelName)).property('disabled', !c.on);
      status.text(!c.on ? '' : c.error ? t('compare.error', { name: c.partner, message: c.error })
        : c.loading || !c.result || !a.result || c.result.text !== a.result.text ? t('compare.loading', { name: c.partner }) : '');
      draw();
      cursorUpdate();
    },
    cursor(a) { app = a; cursorUpdate(); },
  };
}

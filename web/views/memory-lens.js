// The memory lens: a strip under the unrolled diagram, one column per step of the review. Bars: how
// much the verdict depends on the word read at step t (‖∂logit/∂xₜ‖, or gradient × input, signed).
// Lines, on a log scale: how much each layer's state at step t still matters at the end
// (‖∂logit/∂hₜ‖), the vanishing-gradient picture; the step where it falls below 1 % of its largest
// value is marked. Every number comes from model.attribution() (computed in the core, in the worker).
//
// Columns are the timeline's items, as in the diagram and the heatmap: a run of padding steps (a model
// that pads) is one column, so a five-word review on seed-rnn shows its words, not 75 padding
// columns. That column's bar is the whole block's share (‖∂logit/∂x‖ over its steps, or the sum of
// gradient × input: the padding's total pull on the verdict); its lines show the state after the
// block (forward rows) or before it (backward rows), the step the timeline stands the block for.
//
// Reusable: createMemoryLens(container, lensData, options) keeps all its state in the closure, so a
// page may draw several (one per lane of a comparison). lensData = { attribution, info, stepWord(t),
// quantity: 'norm' | 'gti', items? (stepItems(result); default one column per step) };
// options = { t: () => translate, onSeek(step), onQuantity(q) }.
import { select } from 'd3-selection';
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { sentimentScale, ACCENT } from '../ui/colors.js';
import { fmt } from '../ui/format.js';
import { itemRange, itemStep } from '../playback/timeline.js';

const BAR_H = 48;
const GAP = 10;
const CURVE_H = 84;
const MARGIN = { top: 14, right: 10, bottom: 20, left: 44 };
const MIN_WIDTH = 260;
// One colour per row of the network: top layer forward first, as the diagram's rows.
const ROW_COLORS = ['#1f2430', '#b45309', '#0f766e', '#7c3aed'];
const ROW_DASH = [null, '5 3', null, '5 3'];

/**
 * The strip's columns: items with each column's bar values (a padding block aggregated over its
 * steps) and the column holding each step.
 */
function columnsOf(a, items) {
  const cols = tiles(items, a.steps) ? items : Array.from({ length: a.steps }, (_, t) => ({ kind: 'word', t }));
  const norm = new Float64Array(cols.length);
  const gti = new Float64Array(cols.length);
  const columnOf = new Int32Array(a.steps);
  cols.forEach((item, k) => {
    const [from, to] = itemRange(item);
    let sq = 0;
    let sum = 0;
    for (let s = from; s <= to && s < a.steps; s++) {
      sq += a.wordGradient[s] * a.wordGradient[s];
      sum += a.gradTimesInput[s];
      columnOf[s] = k;
    }
    norm[k] = Math.sqrt(sq);
    gti[k] = sum;
  });
  const isBlock = (k) => cols[k].kind === 'pad' && cols[k].n > 1;
  return { items: cols, K: cols.length, norm, gti, columnOf, isBlock };
}

/**
 * Whether items cover steps 0 … steps − 1 in order, each once. Items made from another result than
 * the attribution's (the page's timeline during a model switch was one) do not describe these
 * steps: the strip then falls back to a column per step instead of drawing NaN.
 */
function tiles(items, steps) {
  if (!items || !items.length) return false;
  let next = 0;
  for (const item of items) {
    const [from, to] = itemRange(item);
    if (from !== next || to < from) return false;
    next = to + 1;
  }
  return next === steps;
}

/** Lines ordered with the head's own row (top layer, forward) first. */
function rowsOf(attribution) {
  return attribution.stateGradient.slice().sort((a, b) => b.layer - a.layer || (a.direction === 'forward' ? -1 : 1));
}

const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/** A share of the largest gradient as a learner reads it: "40%", "0.7%", "3 × 10⁻⁵ %". */
function shareText(share) {
  if (share >= 0.001) return `${(share * 100).toFixed(share >= 0.1 ? 0 : 1)}%`;
  if (!(share > 0)) return '0%';
  const [mantissa, exponent] = (share * 100).toExponential(0).split('e');
  return `${mantissa} × 10${[...String(Number(exponent))].map((c) => SUPERSCRIPT[c]).join('')} %`;
}

export function createMemoryLens(container, lensData, { t: tr, onSeek = () => {}, onQuantity = () => {} } = {}) {
  const root = select(container).append('div').attr('class', 'lens');
  const head = root.append('div').attr('class', 'lens-head');
  const title = head.append('h3').attr('class', 'lens-title');
  const choice = head.append('label').attr('class', 'lens-choice');
  const choiceText = choice.append('span');
  const quantitySel = choice.append('select').attr('class', 'lens-quantity').on('change', (e) => onQuantity(e.target.value));
  const sentence = root.append('p').attr('class', 'lens-sentence');
  const svg = root.append('svg').attr('class', 'lens-strip').attr('role', 'img');
  const legend = root.append('ul').attr('class', 'lens-legend');
  const readout = root.append('p').attr('class', 'lens-readout');
  let data = lensData;
  let parts = null;
  let step = null;

  function rowName(t, row) {
    const name = t('diagram.layer', { n: row.layer + 1 });
    if (data.info.directions === 1) return name;
    return `${name} · ${t(row.direction === 'forward' ? 'diagram.forward' : 'diagram.backward')}`;
  }

  function build() {
    const t = tr();
    svg.selectAll('*').remove();
    legend.selectAll('*').remove();
    parts = null;
    title.text(t('lens.title'));
    choiceText.text(t('lens.bars'));
    quantitySel.selectAll('option').data(['norm', 'gti']).join('option').attr('value', (q) => q).text((q) => t(`lens.q.${q}`));
    quantitySel.property('value', data && data.quantity === 'gti' ? 'gti' : 'norm');
    const a = data && data.attribution;
    if (!a || !a.steps) {
      sentence.text(a ? '' : t('lens.loading'));
      // Waiting for a new result's lens: keep the strip's height, so the page below does not jump.
      svg.attr('height', a ? 0 : svg.attr('height') || 0).attr('aria-hidden', 'true').attr('role', null).attr('aria-label', null);
      readout.text('');
      return;
    }
    svg.attr('aria-hidden', null).attr('role', 'img');
    const T = a.steps;
    const rows = rowsOf(a);
    const main = rows[0];
    const fade = main.fadeStep;
    const cell = { simple_rnn: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' }[data.info.cell] || data.info.cell;
    const row = rowName(t, main);
    const fadeText = fade >= 0
      ? t('lens.fade', { s: fade, n: T - 1 - fade, count: T - 1 - fade, cell, row })
      : t('lens.noFade', { cell, row });
    sentence.text(`${t('lens.sentence')} ${fadeText}`);

    const width = Math.max(MIN_WIDTH, container.clientWidth || 600);
    const m = MARGIN;
    const height = m.top + BAR_H + GAP + CURVE_H + m.bottom;
    svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    const cols = columnsOf(a, data.items);
    const K = cols.K;
    const x = scaleLinear().domain([-0.5, K - 0.5]).range([m.left, width - m.right]);
    const band = Math.max(0.5, (width - m.left - m.right) / K);
    // A row's line at column k: its state at the step the column stands for in the row's direction.
    const colStep = (k, direction) => itemStep(cols.items[k], direction);

    // Bars: the word's weight in the verdict; colour (gradient × input) says which way it pushes.
    const gti = data.quantity === 'gti';
    const values = gti ? cols.gti : cols.norm;
    let vmax = 1e-9;
    for (let k = 0; k < K; k++) vmax = Math.max(vmax, Math.abs(values[k]));
    let gmax = 1e-9;
    for (let k = 0; k < K; k++) gmax = Math.max(gmax, Math.abs(cols.gti[k]));
    const color = sentimentScale(gmax);
    const barTop = m.top;
    const barMid = gti ? barTop + BAR_H / 2 : barTop + BAR_H;
    const yBar = scaleLinear().domain(gti ? [-vmax, vmax] : [0, vmax]).range(gti ? [barTop + BAR_H, barTop] : [barTop + BAR_H, barTop]);
    const bars = svg.append('g').attr('class', 'lens-bars');
    bars.selectAll('rect').data(Array.from(values)).join('rect')
      .attr('x', (v, s) => x(s) - band / 2 + (band > 3 ? 0.5 : 0))
      .attr('width', Math.max(0.5, band > 3 ? band - 1 : band))
      .attr('y', (v) => Math.min(yBar(v), barMid))
      .attr('height', (v) => Math.max(0.5, Math.abs(yBar(v) - barMid)))
      .attr('fill', (v, k) => color(cols.gti[k]))
      .classed('is-pad', (v, k) => cols.isBlock(k));
    // A padding block's column is labelled with its size, as in the heatmap.
    svg.append('g').attr('class', 'lens-blocks').selectAll('text')
      .data(cols.items.map((item, k) => k).filter((k) => cols.isBlock(k))).join('text')
      .attr('class', 'lens-tick lens-block-label').attr('x', (k) => x(k)).attr('y', barTop - 3)
      .attr('text-anchor', (k) => (x(k) < m.left + 40 ? 'start' : 'middle'))
      .text((k) => t('diagram.padBlock', { n: cols.items[k].n }));
    svg.append('text').attr('class', 'lens-axis-label').attr('x', m.left - 4).attr('y', barTop + 9).attr('text-anchor', 'end')
      .text(gti ? t('lens.axis.gti') : t('lens.axis.norm'));

    // Lines: ‖∂logit/∂hₜ‖ per row, log scale over six decades below the largest value.
    const curveTop = barTop + BAR_H + GAP;
    let gbig = 0;
    for (const row of rows) for (let k = 0; k < K; k++) gbig = Math.max(gbig, row.values[colStep(k, row.direction)]);
    gbig = Math.max(gbig, 1e-12);
    const floor = gbig * 1e-6;
    const y = scaleLog().domain([floor, gbig]).range([curveTop + CURVE_H, curveTop]).clamp(true);
    const g = svg.append('g').attr('class', 'lens-curves');
    for (const decade of [1, 1e-2, 1e-4, 1e-6]) {
      const v = gbig * decade;
      g.append('line').attr('class', 'lens-grid').attr('x1', m.left).attr('x2', width - m.right).attr('y1', y(v)).attr('y2', y(v));
      g.append('text').attr('class', 'lens-tick').attr('x', m.left - 4).attr('y', y(v) + 3).attr('text-anchor', 'end')
        .text(decade === 1 ? '100%' : decade === 1e-2 ? '1%' : decade === 1e-4 ? '0.01%' : '10⁻⁶');
    }
    rows.forEach((row, i) => {
      const stroke = ROW_COLORS[i % ROW_COLORS.length];
      const path = line().x((k) => x(k)).y((k) => y(Math.max(row.values[colStep(k, row.direction)], floor)));
      g.append('path').attr('class', 'lens-line').attr('d', path(Array.from({ length: K }, (_, k) => k)))
        .attr('stroke', stroke).attr('stroke-dasharray', ROW_DASH[i % ROW_DASH.length]);
      if (row.fadeStep >= 0) {
        g.append('line').attr('class', 'lens-fade').attr('data-entry', `${row.layer}-${row.direction}`)
          .attr('x1', x(cols.columnOf[row.fadeStep])).attr('x2', x(cols.columnOf[row.fadeStep])).attr('y1', curveTop).attr('y2', curveTop + CURVE_H)
          .attr('stroke', stroke);
      }
      const li = legend.append('li');
      li.append('span').attr('class', 'lens-swatch').style('border-top-color', stroke)
        .style('border-top-style', ROW_DASH[i % ROW_DASH.length] ? 'dashed' : 'solid');
      li.append('span').text(`${rowName(t, row)}${row.fadeStep >= 0 ? ` · ${t('lens.fadeAt', { s: row.fadeStep })}` : ''}`);
    });
    if (fade >= 0) {
      const fx = x(cols.columnOf[fade]);
      const right = fx > width - 80;
      svg.append('text').attr('class', 'lens-fade-label').attr('x', fx + (right ? -4 : 4)).attr('y', curveTop + 10)
        .attr('text-anchor', right ? 'end' : 'start').text(t('lens.fadeMark'));
    }
    svg.append('text').attr('class', 'lens-axis-label').attr('x', m.left + 4).attr('y', height - 6)
      .text(t('lens.axis.state'));

    const rule = svg.append('line').attr('class', 'lens-rule').attr('y1', m.top - 4).attr('y2', curveTop + CURVE_H + 4).attr('stroke', ACCENT);
    svg.append('rect').attr('class', 'lens-hit').attr('x', m.left).attr('y', m.top).attr('width', width - m.left - m.right)
      .attr('height', height - m.top - m.bottom).attr('fill', 'transparent')
      .on('click', (event) => {
        const r = svg.node().getBoundingClientRect();
        onSeek(colStep(Math.max(0, Math.min(K - 1, Math.round(x.invert(event.clientX - r.left))))));
      });
    parts = { x, rule, bars, rows, T, main, cols };
    cursorUpdate();
  }

  function cursorUpdate() {
    if (!parts) return;
    const t = tr();
    const a = data.attribution;
    const s = step;
    if (s === null || s === undefined || s < 0 || s >= parts.T) {
      parts.rule.attr('display', 'none').attr('data-step', null).attr('data-column', null);
      parts.bars.selectAll('rect').classed('is-current', false);
      readout.text('');
      svg.attr('aria-label', t('lens.aria', { T: parts.T }));
      return;
    }
    const { cols } = parts;
    const k = cols.columnOf[s];
    parts.rule.attr('display', null).attr('x1', parts.x(k)).attr('x2', parts.x(k)).attr('data-step', s).attr('data-column', k);
    parts.bars.selectAll('rect').classed('is-current', (v, i) => i === k);
    let top = 0;
    for (let i = 0; i < parts.T; i++) top = Math.max(top, parts.main.values[i]);
    const share = top > 0 ? parts.main.values[s] / top : 0;
    const text = t('lens.readout', {
      t: s,
      word: cols.isBlock(k) ? t('diagram.padBlockTitle', { n: cols.items[k].n }) : data.stepWord ? data.stepWord(s) : '',
      w: fmt(cols.norm[k], 3),
      gti: fmt(cols.gti[k], 3, true),
      share: shareText(share),
    });
    readout.text(text);
    svg.attr('aria-label', `${t('lens.aria', { T: parts.T })} ${text}`);
  }

  build();
  return {
    node: () => svg.node(),
    /** New data (a new run, model, language or width): redraws everything. */
    update(next) { data = next; build(); },
    /** The cursor's step (null: none). */
    cursor(s) { step = s; cursorUpdate(); },
  };
}

// The decision forming: running probability p_t after each step (unidirectional models), starting
// from the model's prior (the head on h = 0, computed by the core), with the current step marked and
// the steps not read yet drawn faint. A padding block is one point: the probability after it. The
// note says, in words, where the verdict started and what padding did to it.
import { select } from 'd3-selection';
import { scaleLinear } from 'd3-scale';
import { line, area } from 'd3-shape';
import { axisBottom, axisLeft } from 'd3-axis';
import { NEGATIVE, POSITIVE, ACCENT } from '../ui/colors.js';
import { fmt, pct, stepWord } from '../ui/format.js';
import { itemStep, stepItems } from '../playback/timeline.js';

let uid = 0;
const HEIGHT = 190;
const MARGIN = { top: 12, right: 14, bottom: 28, left: 38 };
const MIN_WIDTH = 240;
const PRIOR = -1; // x of the prior, one column before the first step

/**
 * The original review's running probability on the edited review's columns (issue #17 item 2):
 * [[x, p]] where a word both share sits in the same column (app.original.map, from alignSteps), a
 * word the edit removed half a column after the word before it, and the padding block on the
 * padding block. Null when the original has no running probability (a bidirectional model).
 */
export function originalPoints(original, timeline) {
  const { result, map } = original;
  if (!result.runningProbability) return null;
  const inverse = new Int32Array(result.steps).fill(-1); // original step → edited step
  map.forEach((s, e) => { if (s >= 0) inverse[s] = e; });
  const items = stepItems(result);
  const editedPad = timeline.items.length && timeline.items[0].kind === 'pad' ? 0 : null;
  const xs = items.map((item) => (item.kind === 'pad' ? editedPad : inverse[item.t] >= 0 ? timeline.itemIndexOf(inverse[item.t]) : null));
  let last = null;
  xs.forEach((x, j) => { if (x === null) xs[j] = last === null ? null : last + 0.5; else last = x; });
  let next = null;
  for (let j = xs.length - 1; j >= 0; j--) { if (xs[j] === null) xs[j] = next === null ? j : next - 0.5; else next = xs[j]; }
  return items.map((item, j) => [xs[j], result.runningProbability[itemStep(item)]]);
}

export function createChart(root, { onSeek, t: tr }) {
  const id = `chart-${++uid}`;
  const note = select(root).append('p').attr('class', 'chart-note');
  const svg = select(root).append('svg').attr('class', 'chart').attr('role', 'img');
  let app = null;
  let scales = null;
  let parts = null;

  function hide(text) {
    svg.attr('height', 0).attr('aria-hidden', 'true').attr('role', null).attr('aria-label', null);
    note.text(text);
  }

  function build() {
    svg.selectAll('*').remove();
    parts = null;
    const { result, timeline, prior } = app;
    const t = app.t;
    if (!result || !result.steps) { hide(''); return; }
    if (!result.runningProbability) {
      const edited = app.original ? ` ${t('edit.chartNoteBi', { p: pct(app.original.result.probability), q: pct(result.probability) })}` : '';
      hide(`${t('chart.bidirectional')}${typeof prior === 'number' ? ` ${t('chart.priorBi', { p: pct(prior), final: pct(result.probability) })}` : ''}${edited}`);
      return;
    }
    svg.attr('aria-hidden', null).attr('role', 'img');
    const { items } = timeline;
    const K = items.length;
    const probs = items.map((item) => result.runningProbability[itemStep(item)]);
    const hasPrior = typeof prior === 'number';
    const firstWord = items.findIndex((item) => item.kind !== 'pad');
    const afterPad = firstWord > 0 ? probs[firstWord - 1] : null;
    const parts_ = [t('chart.note')];
    if (hasPrior) {
      parts_.push(t('chart.prior', { p: pct(prior) }));
      if (timeline.padding > 0 && afterPad !== null) {
        const moved = Math.abs(afterPad - prior) >= 0.005;
        parts_.push(t(moved ? 'chart.paddingMoved' : 'chart.paddingStill', { n: timeline.padding, count: timeline.padding, p: pct(afterPad) }));
      } else if (timeline.padding === 0) {
        parts_.push(t('chart.noPadding'));
      }
    }
    if (app.original && app.original.result.runningProbability) {
      parts_.push(t('edit.chartNote', { p: pct(app.original.result.probability), q: pct(result.probability) }));
    }
    note.text(parts_.join(' '));
    const width = Math.max(MIN_WIDTH, root.clientWidth || 600);
    const m = MARGIN;
    const height = HEIGHT;
    const x0 = hasPrior ? PRIOR : 0;
    const x = scaleLinear().domain([x0, Math.max(x0 + 1, K - 1)]).range([m.left + 6, width - m.right]);
    const y = scaleLinear().domain([0, 1]).range([height - m.bottom, m.top]);
    scales = { x, y, m, width, height, probs };
    svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    const defs = svg.append('defs');
    defs.append('clipPath').attr('id', `${id}-above`).append('rect').attr('x', 0).attr('y', 0).attr('width', width).attr('height', y(0.5));
    defs.append('clipPath').attr('id', `${id}-below`).append('rect').attr('x', 0).attr('y', y(0.5)).attr('width', width).attr('height', height - y(0.5));
    defs.append('clipPath').attr('id', `${id}-done`).append('rect').attr('class', 'done-rect').attr('x', 0).attr('y', 0).attr('height', height);
    // Ticks: step numbers t at a few columns; the padding block by its size; the prior as h = 0.
    const ticks = [];
    items.forEach((item, k) => { if (item.kind === 'pad' && item.n > 1) ticks.push(k); });
    const every = Math.max(1, Math.ceil(K / 8));
    for (let k = 0; k < K; k += every) if (!ticks.some((j) => Math.abs(x(j) - x(k)) < 36)) ticks.push(k);
    const label = (k) => (k === PRIOR ? 'h=0' : items[k].kind === 'pad' && items[k].n > 1 ? t('diagram.padBlock', { n: items[k].n }) : String(itemStep(items[k])));
    svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${height - m.bottom})`)
      .call(axisBottom(x).tickValues(ticks).tickFormat(label).tickSizeOuter(0));
    svg.append('g').attr('class', 'axis').attr('transform', `translate(${m.left},0)`)
      .call(axisLeft(y).tickValues([0, 0.5, 1]).tickFormat((v) => fmt(v, 1)));
    svg.append('line').attr('class', 'chart-mid').attr('x1', m.left).attr('x2', width - m.right).attr('y1', y(0.5)).attr('y2', y(0.5));
    svg.append('text').attr('class', 'chart-side').attr('x', m.left + 6).attr('y', m.top + 11).attr('fill', POSITIVE).text(t('verdict.positive'));
    svg.append('text').attr('class', 'chart-side').attr('x', m.left + 6).attr('y', height - m.bottom - 6).attr('fill', NEGATIVE).text(t('verdict.negative'));
    const pts = probs.map((p, k) => [k, p]);
    if (hasPrior) pts.unshift([PRIOR, prior]);
    const ar = area().x((d) => x(d[0])).y0(y(0.5)).y1((d) => y(d[1]));
    const ln = line().x((d) => x(d[0])).y((d) => y(d[1]));
    const done = svg.append('g').attr('clip-path', `url(#${id}-done)`);
    done.append('path').attr('d', ar(pts)).attr('fill', POSITIVE).attr('fill-opacity', 0.22).attr('clip-path', `url(#${id}-above)`);
    done.append('path').attr('d', ar(pts)).attr('fill', NEGATIVE).attr('fill-opacity', 0.22).attr('clip-path', `url(#${id}-below)`);
    // While the review is edited, the original's curve stays, dashed, under the edited one.
    const before = app.original ? originalPoints(app.original, timeline) : null;
    if (before) {
      if (hasPrior) before.unshift([PRIOR, prior]);
      // The note above says which line is which.
      svg.append('path').attr('class', 'chart-line-original').attr('d', ln(before));
    }
    svg.append('path').attr('class', 'chart-line-future').attr('d', ln(pts));
    // Units knocked out: the trained network's curve, dashed, beside the changed one.
    if (result.baseline && result.baseline.runningProbability) {
      const base = items.map((item) => result.baseline.runningProbability[itemStep(item)]);
      const basePts = base.map((p, k) => [k, p]);
      if (hasPrior) basePts.unshift([PRIOR, prior]);
      svg.append('path').attr('class', 'chart-line-baseline').attr('d', ln(basePts));
    }
    done.append('path').attr('class', 'chart-line').attr('d', ln(pts));
    if (hasPrior) {
      svg.append('circle').attr('class', 'chart-prior').attr('cx', x(PRIOR)).attr('cy', y(prior)).attr('r', 3.5);
      svg.append('text').attr('class', 'chart-prior-label').attr('x', x(PRIOR)).attr('y', y(prior) + (prior > 0.75 ? 16 : -8))
        .attr('text-anchor', 'middle').text('h=0');
    }
    const marker = svg.append('g').attr('class', 'chart-marker');
    marker.append('line').attr('class', 'chart-rule').attr('y1', m.top).attr('y2', height - m.bottom);
    marker.append('circle').attr('r', 5).attr('fill', ACCENT).attr('stroke', '#fff').attr('stroke-width', 2);
    marker.append('text').attr('class', 'chart-value');
    svg.append('rect').attr('x', m.left).attr('y', m.top).attr('width', width - m.left - m.right).attr('height', height - m.top - m.bottom)
      .attr('fill', 'transparent').attr('class', 'chart-hit')
      .on('click', (event) => {
        const r = svg.node().getBoundingClientRect();
        const k = Math.max(0, Math.min(K - 1, Math.round(x.invert(event.clientX - r.left))));
        onSeek(itemStep(items[k]));
      });
    parts = { marker, doneRect: defs.select('.done-rect') };
  }

  function cursorUpdate() {
    if (!parts) return;
    const { result, cursor } = app;
    const t = app.t;
    const s = cursor ? cursor.t : null;
    if (s === null) return;
    const { x, y, width } = scales;
    const k = cursor.k;
    const p = result.runningProbability[s];
    parts.doneRect.attr('width', x(k) + 0.5);
    parts.marker.attr('transform', `translate(${x(k)},0)`).attr('data-step', s);
    parts.marker.select('circle').attr('cy', y(p));
    const right = x(k) > width - 90;
    parts.marker.select('text').attr('x', right ? -8 : 8).attr('y', y(p) + (p > 0.8 ? 16 : -8)).attr('text-anchor', right ? 'end' : 'start')
      .text(`p${'ₜ'}=${fmt(p, 2)}`);
    const word = cursor.item && cursor.item.kind === 'pad' && cursor.item.n > 1 ? t('diagram.padBlockTitle', { n: cursor.item.n }) : stepWord(result, s);
    svg.attr('aria-label', t('chart.aria', { t: s, word, p: Math.round(p * 100) }));
  }

  return {
    node: () => svg.node(),
    data(a) { app = a; build(); cursorUpdate(); },
    cursor(a) { app = a; cursorUpdate(); },
  };
}

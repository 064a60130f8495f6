// Gradients through time, live: for the last mini-batch, the batch mean of ‖∂loss/∂hₜ‖ at each time
// step t, one curve per recurrent layer (and direction), on a log scale. The loss is computed at the
// end of the review, so the gradient enters at the last step and flows back through W at every
// step: a SimpleRNN's curve falls by orders of magnitude toward the start (vanishing gradients),
// an LSTM's stays level (its cell state carries the gradient). The numbers come from the trainer's
// backward pass (trainer.runBatches().gradientNorms); this file only draws them. Like the metrics
// chart it is built once and moves its paths; the log axis spans whole decades and is redrawn only
// when the curves leave them (or the width or language change).
import { select } from 'd3-selection';
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { axisBottom, axisLeft } from 'd3-axis';

const HEIGHT = 200;
const MARGIN = { top: 12, right: 14, bottom: 30, left: 50 };
const MIN_WIDTH = 280;
const COLORS = ['#1d4ed8', '#b45309', '#047857', '#7c3aed', '#be123c', '#0e7490', '#4b5563', '#a16207'];
const FLOOR = 1e-12; // zeros (steps a masked batch skipped) are left out of a log scale

/** Rows of `norms` (Float32Array [rows × maxlen]) as curves: [{ label, points: [t, value] }]. */
export function gradientCurves(norms, { layers, directions, maxlen }, t) {
  const curves = [];
  for (let l = 0; l < layers; l++) {
    for (let d = 0; d < directions; d++) {
      const row = l * directions + d;
      const points = [];
      for (let s = 0; s < maxlen; s++) {
        const v = norms[row * maxlen + s];
        if (v > FLOOR) points.push([s, v]);
      }
      const label = directions > 1 ? t('train.grad.layerDir', { n: l + 1, dir: t(d === 0 ? 'train.grad.fwd' : 'train.grad.bwd') }) : t('train.grad.layer', { n: l + 1 });
      curves.push({ label, points });
    }
  }
  return curves;
}

/** { data({ t, width, norms, shape, cell }) }: norms null before the first batch. */
export function createGradientChart(root) {
  const note = select(root).append('p').attr('class', 'chart-note train-grad-note');
  const svg = select(root).append('svg').attr('class', 'train-chart').attr('role', 'img');
  const legend = select(root).append('p').attr('class', 'train-legend');
  const axes = svg.append('g');
  const paths = svg.append('g');
  let frameKey = '';
  let legendKey = '';
  let scales = null;
  let noteKey = '';

  return {
    node: () => svg.node(),
    data({ t, width: w, norms, shape, cell }) {
      const nk = t(cell === 'simple_rnn' ? 'train.grad.noteRnn' : 'train.grad.noteGated');
      if (nk !== noteKey) { noteKey = nk; note.text(nk); }
      const curves = norms && shape ? gradientCurves(norms, shape, t) : [];
      let lo = Infinity;
      let hi = 0;
      for (const c of curves) for (const p of c.points) { if (p[1] < lo) lo = p[1]; if (p[1] > hi) hi = p[1]; }
      const width = Math.max(MIN_WIDTH, w || 600);
      if (!(hi > 0)) {
        // An empty box of the chart's size: the panel keeps its height when the first curves arrive.
        svg.attr('width', width).attr('height', HEIGHT).attr('viewBox', `0 0 ${width} ${HEIGHT}`).attr('aria-label', t('train.grad.none'));
        paths.selectAll('*').remove();
        axes.selectAll('*').remove();
        frameKey = '';
        return;
      }
      const decadeLo = 10 ** Math.floor(Math.log10(lo));
      const decadeHi = 10 ** Math.ceil(Math.log10(hi));
      const key = `${width}|${shape.maxlen}|${decadeLo}|${decadeHi}|${t('train.grad.axis')}`;
      if (key !== frameKey) {
        frameKey = key;
        svg.attr('width', width).attr('height', HEIGHT).attr('viewBox', `0 0 ${width} ${HEIGHT}`);
        const x = scaleLinear().domain([0, shape.maxlen - 1]).range([MARGIN.left, width - MARGIN.right]);
        const y = scaleLog().domain([decadeLo, decadeHi === decadeLo ? decadeHi * 10 : decadeHi]).range([HEIGHT - MARGIN.bottom, MARGIN.top]);
        axes.selectAll('*').remove();
        axes.append('g').attr('class', 'axis').attr('transform', `translate(0,${HEIGHT - MARGIN.bottom})`).call(axisBottom(x).ticks(width < 420 ? 4 : 8).tickSizeOuter(0));
        axes.append('g').attr('class', 'axis').attr('transform', `translate(${MARGIN.left},0)`).call(axisLeft(y).ticks(4, '.0e'));
        axes.append('text').attr('class', 'train-axis-label').attr('x', width / 2).attr('y', HEIGHT - 2).attr('text-anchor', 'middle').text(t('train.grad.axis'));
        scales = { x, y };
      }
      const { x, y } = scales;
      paths.selectAll('path').data(curves).join('path').attr('class', 'train-grad').attr('fill', 'none')
        .attr('stroke', (c, i) => COLORS[i % COLORS.length]).attr('stroke-width', 1.8)
        .attr('d', (c) => line().x((d) => x(d[0])).y((d) => y(d[1]))(c.points));
      const lk = curves.map((c) => c.label).join('|');
      if (lk !== legendKey) {
        legendKey = lk;
        legend.selectAll('*').remove();
        curves.forEach((c, i) => {
          const item = legend.append('span').attr('class', 'train-key');
          item.append('span').attr('class', 'train-swatch').style('background', COLORS[i % COLORS.length]);
          item.append('span').text(c.label);
        });
      }
      // What a screen reader hears: how much stronger the gradient is at the last step than at the first.
      const first = curves[0].points;
      const ratio = first.length > 1 ? first[first.length - 1][1] / first[0][1] : 1;
      svg.attr('aria-label', t('train.grad.aria', { ratio: ratio >= 10 ? ratio.toExponential(1) : ratio.toFixed(1), maxlen: shape.maxlen }));
    },
  };
}

// Training as it happens, on one chart: the loss of every mini-batch (left axis) and, per epoch,
// the training and validation accuracy (right axis). The best epoch by validation accuracy is
// ringed; when overfitting is detected (web/train/overfitting.js) the epochs since the peak are
// shaded and named, so the gap opening between the two accuracy lines has a name on the picture.
// Built once; an update moves paths and points only (the axes are redrawn when the width, the
// epoch count, the loss range or the language change), and it never reads the layout: the view
// passes the width, so a batch's redraw stays far below a frame while training runs.
import { select } from 'd3-selection';
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { axisBottom, axisLeft, axisRight } from 'd3-axis';
import { ACCENT, MUTED } from '../ui/colors.js';

const HEIGHT = 230;
const MARGIN = { top: 14, right: 44, bottom: 30, left: 44 };
const MIN_WIDTH = 280;
export const TRAIN_COLOR = '#b45309'; // amber: training accuracy
export const VAL_COLOR = ACCENT;     // blue: validation accuracy

/**
 * { data(state) } where state = { t, width, epochs, losses: [{x, loss}] (x = epoch − 1 + step/steps),
 * history: [{epoch, accuracy, valAccuracy}], best: epoch | null, overfitting: finding | null }.
 */
export function createMetricsChart(root) {
  const svg = select(root).append('svg').attr('class', 'train-chart').attr('role', 'img');
  const legend = select(root).append('p').attr('class', 'train-legend');
  const axes = svg.append('g');
  const overfit = svg.append('g').attr('class', 'train-overfit-g');
  const overfitRect = overfit.append('rect').attr('class', 'train-overfit');
  const overfitLabel = overfit.append('text').attr('class', 'train-overfit-label');
  const lossPath = svg.append('path').attr('class', 'train-loss');
  const series = [
    { key: 'accuracy', color: TRAIN_COLOR, cls: 'train-acc' },
    { key: 'valAccuracy', color: VAL_COLOR, cls: 'val-acc' },
  ].map((s) => ({
    ...s,
    path: svg.append('path').attr('class', s.cls).attr('fill', 'none').attr('stroke', s.color).attr('stroke-width', 2),
    points: svg.append('g'),
  }));
  const bestRing = svg.append('circle').attr('class', 'train-best').attr('r', 8).attr('fill', 'none').attr('stroke', VAL_COLOR).attr('stroke-width', 1.5);
  let frameKey = '';
  let legendKey = '';
  let scales = null;

  /** Axes and scales for this width, epoch count and loss range. */
  function frame(t, width, epochs, maxLoss) {
    const m = width < 420 ? { ...MARGIN, left: 36, right: 36 } : MARGIN;
    svg.attr('width', width).attr('height', HEIGHT).attr('viewBox', `0 0 ${width} ${HEIGHT}`);
    const x = scaleLinear().domain([0, Math.max(1, epochs)]).range([m.left, width - m.right]);
    const yLoss = scaleLinear().domain([0, maxLoss]).range([HEIGHT - m.bottom, m.top]);
    const yAcc = scaleLinear().domain([0.5, 1]).range([HEIGHT - m.bottom, m.top]);
    const every = Math.max(1, Math.ceil(epochs / (width < 420 ? 5 : 10)));
    const ticks = [];
    for (let e = 0; e <= epochs; e += every) ticks.push(e);
    axes.selectAll('*').remove();
    axes.append('g').attr('class', 'axis').attr('transform', `translate(0,${HEIGHT - m.bottom})`)
      .call(axisBottom(x).tickValues(ticks).tickFormat((e) => String(e)).tickSizeOuter(0));
    axes.append('g').attr('class', 'axis').attr('transform', `translate(${m.left},0)`).call(axisLeft(yLoss).ticks(4));
    axes.append('g').attr('class', 'axis').attr('transform', `translate(${width - m.right},0)`)
      .call(axisRight(yAcc).tickValues([0.5, 0.6, 0.7, 0.8, 0.9, 1]).tickFormat((v) => `${Math.round(v * 100)}%`));
    axes.append('text').attr('class', 'train-axis-label').attr('x', width / 2).attr('y', HEIGHT - 2).attr('text-anchor', 'middle').text(t('train.chart.epoch'));
    scales = { x, yLoss, yAcc, m, width };
  }

  return {
    node: () => svg.node(),
    data(state) {
      const { t, epochs, losses, history, best, overfitting } = state;
      const width = Math.max(MIN_WIDTH, state.width || 600);
      // The loss axis grows in steps of 0.4 (a loss above 0.8 is rare), so it is seldom redrawn.
      let maxLoss = 0.8;
      for (const d of losses) if (d.loss > maxLoss) maxLoss = Math.ceil(d.loss / 0.4) * 0.4;
      const key = `${width}|${epochs}|${maxLoss}|${t('train.chart.epoch')}`;
      if (key !== frameKey) { frameKey = key; frame(t, width, epochs, maxLoss); }
      const { x, yLoss, yAcc, m } = scales;

      overfit.attr('display', overfitting ? null : 'none');
      if (overfitting) {
        const from = x(overfitting.peak);
        const to = x(history[history.length - 1].epoch);
        overfitRect.attr('x', from).attr('y', m.top).attr('width', Math.max(1, to - from)).attr('height', HEIGHT - m.top - m.bottom);
        overfitLabel.attr('x', Math.min(from + 4, width - m.right - 70)).attr('y', HEIGHT - m.bottom - 6).text(t('train.overfit.short'));
      }
      lossPath.attr('d', losses.length ? line().x((d) => x(d.x)).y((d) => yLoss(d.loss))(losses) : null);
      for (const s of series) {
        const pts = history.filter((h) => typeof h[s.key] === 'number').map((h) => [h.epoch, Math.max(0.5, h[s.key])]);
        s.path.attr('d', pts.length ? line().x((d) => x(d[0])).y((d) => yAcc(d[1]))(pts) : null);
        s.points.selectAll('circle').data(pts).join('circle').attr('class', `${s.cls}-pt`)
          .attr('cx', (d) => x(d[0])).attr('cy', (d) => yAcc(d[1])).attr('r', 3.5).attr('fill', s.color);
      }
      const top = history.find((h) => h.epoch === best);
      bestRing.attr('display', top ? null : 'none');
      if (top) bestRing.attr('cx', x(top.epoch)).attr('cy', yAcc(Math.max(0.5, top.valAccuracy)));

      const last = history[history.length - 1];
      const lastLoss = losses[losses.length - 1];
      svg.attr('aria-label', t('train.chart.aria', {
        batches: losses.length,
        loss: lastLoss ? lastLoss.loss.toFixed(3) : '—',
        epochs: history.length,
        acc: last ? `${(last.accuracy * 100).toFixed(1)}%` : '—',
        val: last && typeof last.valAccuracy === 'number' ? `${(last.valAccuracy * 100).toFixed(1)}%` : '—',
      }));
      const lk = t('train.chart.loss');
      if (lk !== legendKey) {
        legendKey = lk;
        legend.selectAll('*').remove();
        const item = (color, text, thin = false) => {
          const span = legend.append('span').attr('class', 'train-key');
          span.append('span').attr('class', `train-swatch${thin ? ' is-thin' : ''}`).style('background', color);
          span.append('span').text(text);
        };
        item(MUTED, t('train.chart.loss'), true);
        item(TRAIN_COLOR, t('train.chart.acc'));
        item(VAL_COLOR, t('train.chart.val'));
      }
    },
  };
}

// The decision forming: running probability p_t after each step (unidirectional models), with the
// current step marked and the steps not read yet drawn faint.
import { select } from 'd3-selection';
import { scaleLinear } from 'd3-scale';
import { line, area } from 'd3-shape';
import { axisBottom, axisLeft } from 'd3-axis';
import { NEGATIVE, POSITIVE, ACCENT } from '../ui/colors.js';
import { fmt, stepWord } from '../ui/format.js';

let uid = 0;

export function createChart(root, { onSeek, t: tr }) {
  const id = `chart-${++uid}`;
  const note = select(root).append('p').attr('class', 'chart-note');
  const svg = select(root).append('svg').attr('class', 'chart').attr('role', 'img');
  let app = null;
  let scales = null;
  let parts = null;

  function build() {
    svg.selectAll('*').remove();
    parts = null;
    const { result } = app;
    const t = app.t;
    if (!result || !result.steps) { svg.attr('height', 0); note.text(''); return; }
    if (!result.runningProbability) {
      svg.attr('height', 0);
      note.text(t('chart.bidirectional'));
      return;
    }
    note.text(t('chart.note'));
    const width = Math.max(240, root.clientWidth || 600);
    const height = 190;
    const m = { top: 12, right: 14, bottom: 28, left: 38 };
    const T = result.steps;
    const x = scaleLinear().domain([0, Math.max(1, T - 1)]).range([m.left, width - m.right]);
    const y = scaleLinear().domain([0, 1]).range([height - m.bottom, m.top]);
    scales = { x, y, m, width, height };
    svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    const defs = svg.append('defs');
    defs.append('clipPath').attr('id', `${id}-above`).append('rect').attr('x', 0).attr('y', 0).attr('width', width).attr('height', y(0.5));
    defs.append('clipPath').attr('id', `${id}-below`).append('rect').attr('x', 0).attr('y', y(0.5)).attr('width', width).attr('height', height - y(0.5));
    defs.append('clipPath').attr('id', `${id}-done`).append('rect').attr('class', 'done-rect').attr('x', 0).attr('y', 0).attr('height', height);
    svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${height - m.bottom})`)
      .call(axisBottom(x).ticks(Math.min(10, T)).tickSizeOuter(0));
    svg.append('g').attr('class', 'axis').attr('transform', `translate(${m.left},0)`)
      .call(axisLeft(y).tickValues([0, 0.5, 1]).tickFormat((v) => fmt(v, 1)));
    svg.append('line').attr('class', 'chart-mid').attr('x1', m.left).attr('x2', width - m.right).attr('y1', y(0.5)).attr('y2', y(0.5));
    svg.append('text').attr('class', 'chart-side').attr('x', m.left + 6).attr('y', m.top + 11).attr('fill', POSITIVE).text(t('verdict.positive'));
    svg.append('text').attr('class', 'chart-side').attr('x', m.left + 6).attr('y', height - m.bottom - 6).attr('fill', NEGATIVE).text(t('verdict.negative'));
    const p = Array.from(result.runningProbability);
    const ar = area().x((d, i) => x(i)).y0(y(0.5)).y1((d) => y(d));
    const ln = line().x((d, i) => x(i)).y((d) => y(d));
    const done = svg.append('g').attr('clip-path', `url(#${id}-done)`);
    done.append('path').attr('d', ar(p)).attr('fill', POSITIVE).attr('fill-opacity', 0.22).attr('clip-path', `url(#${id}-above)`);
    done.append('path').attr('d', ar(p)).attr('fill', NEGATIVE).attr('fill-opacity', 0.22).attr('clip-path', `url(#${id}-below)`);
    svg.append('path').attr('class', 'chart-line-future').attr('d', ln(p));
    done.append('path').attr('class', 'chart-line').attr('d', ln(p));
    const marker = svg.append('g').attr('class', 'chart-marker');
    marker.append('line').attr('class', 'chart-rule').attr('y1', m.top).attr('y2', height - m.bottom);
    marker.append('circle').attr('r', 5).attr('fill', ACCENT).attr('stroke', '#fff').attr('stroke-width', 2);
    marker.append('text').attr('class', 'chart-value');
    svg.append('rect').attr('x', m.left).attr('y', m.top).attr('width', width - m.left - m.right).attr('height', height - m.top - m.bottom)
      .attr('fill', 'transparent').attr('class', 'chart-hit')
      .on('click', (event) => {
        const r = svg.node().getBoundingClientRect();
        onSeek(Math.round(x.invert(event.clientX - r.left)));
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
    const p = result.runningProbability[s];
    parts.doneRect.attr('width', x(s) + 0.5);
    parts.marker.attr('transform', `translate(${x(s)},0)`);
    parts.marker.select('circle').attr('cy', y(p));
    const right = x(s) > width - 90;
    parts.marker.select('text').attr('x', right ? -8 : 8).attr('y', y(p) + (p > 0.8 ? 16 : -8)).attr('text-anchor', right ? 'end' : 'start')
      .text(`p${'ₜ'}=${fmt(p, 2)}`);
    svg.attr('aria-label', t('chart.aria', { t: s, word: stepWord(result, s), p: Math.round(p * 100) }));
  }

  return {
    node: () => svg.node(),
    data(a) { app = a; build(); cursorUpdate(); },
    cursor(a) { app = a; cursorUpdate(); },
  };
}

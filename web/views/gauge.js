// The verdict: a half-dial from negative (orange) to positive (purple) with a needle at p.
import { select } from 'd3-selection';
import 'd3-transition';
import { arc } from 'd3-shape';
import { interpolateNumber } from 'd3-interpolate';
import { probabilityColor, INK } from '../ui/colors.js';
import { duration } from '../ui/motion.js';
import { verdictOf, UNCERTAIN } from '../app/verdict.js';

const W = 240;
const H = 140;
const R = 100;

export function createGauge(root) {
  const svg = select(root).append('svg').attr('class', 'gauge').attr('viewBox', `0 0 ${W} ${H}`).attr('role', 'img');
  const g = svg.append('g').attr('transform', `translate(${W / 2},${R + 14})`);
  const band = arc().innerRadius(R - 18).outerRadius(R);
  const N = 40;
  g.selectAll('path.band')
    .data(Array.from({ length: N }, (_, i) => i))
    .join('path')
    .attr('class', 'band')
    .attr('d', (i) => band({ startAngle: -Math.PI / 2 + (i / N) * Math.PI, endAngle: -Math.PI / 2 + ((i + 1) / N) * Math.PI + 0.004 }))
    .attr('fill', (i) => probabilityColor((i + 0.5) / N));
  g.append('line').attr('class', 'gauge-mid').attr('x1', 0).attr('x2', 0).attr('y1', -R - 4).attr('y2', -R + 22).attr('stroke', '#fff').attr('stroke-width', 2);
  // The uncertain band: ticks at its two ends, outside the dial.
  g.selectAll('line.gauge-band').data(UNCERTAIN).join('line').attr('class', 'gauge-band')
    .each(function (p) {
      const a = (p - 0.5) * Math.PI;
      select(this).attr('x1', Math.sin(a) * (R + 2)).attr('y1', -Math.cos(a) * (R + 2))
        .attr('x2', Math.sin(a) * (R + 9)).attr('y2', -Math.cos(a) * (R + 9));
    });
  const bandLabel = g.append('text').attr('class', 'gauge-band-label').attr('y', -R + 34).attr('text-anchor', 'middle');
  // The original review's verdict while the review is edited: a dashed needle under the edited one.
  const ghost = g.append('line').attr('class', 'needle-original').attr('x1', 0).attr('y1', 6).attr('x2', 0).attr('y2', -(R - 26))
    .attr('stroke', INK).attr('stroke-width', 2).attr('stroke-dasharray', '5 4').attr('stroke-linecap', 'round').attr('opacity', 0.55)
    .attr('display', 'none');
  const needle = g.append('g').attr('class', 'needle');
  needle.append('line').attr('x1', 0).attr('y1', 6).attr('x2', 0).attr('y2', -(R - 26)).attr('stroke', INK).attr('stroke-width', 3).attr('stroke-linecap', 'round');
  needle.append('circle').attr('r', 6).attr('fill', INK);
  const endLabels = g.append('g').attr('class', 'gauge-ends').attr('font-size', 11).attr('fill', '#6b7280');
  const neg = endLabels.append('text').attr('x', -R + 9).attr('y', 16).attr('text-anchor', 'middle');
  const pos = endLabels.append('text').attr('x', R - 9).attr('y', 16).attr('text-anchor', 'middle');
  let angle = 0;

  return {
    data(app) {
      const t = app.t;
      neg.text(t('verdict.negShort'));
      bandLabel.text(t('verdict.uncertain'));
      const v = app.result ? verdictOf(app.result) : null;
      svg.classed('is-unknown', !!v && v.kind === 'unknown');
      pos.text(t('verdict.posShort'));
      const p = app.result ? app.result.probability : 0.5;
      const target = (p - 0.5) * 180;
      const from = angle;
      angle = target;
      needle.interrupt().transition().duration(duration(450)).attrTween('transform', () => {
        const i = interpolateNumber(from, target);
        return (k) => `rotate(${i(k)})`;
      });
      const original = app.original && app.original.result;
      ghost.attr('display', original ? null : 'none').attr('data-p', original ? original.probability : null)
        .attr('transform', original ? `rotate(${(original.probability - 0.5) * 180})` : null);
      const was = original ? ` ${t('edit.gaugeWas', { p: Math.round(original.probability * 100) })}` : '';
      svg.attr('aria-label', (!v ? t('verdict.none') : v.kind === 'unknown'
        ? t('verdict.unknownAria', { p: Math.round(p * 100) })
        : t('verdict.aria', { label: t(`verdict.${v.kind}`), p: Math.round(p * 100) })) + was);
    },
  };
}

// One unit up close: its value over the review, and the vocabulary words that push it up or down
// (model.topWords, layer 0 only).
import { select } from 'd3-selection';
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { axisLeft } from 'd3-axis';
import { activationScale, ACCENT } from '../ui/colors.js';
import { fmt } from '../ui/format.js';

export function createUnit(root, { onSelectUnit, getTopWords, t: tr }) {
  const controls = select(root).append('div').attr('class', 'unit-controls');
  const layerLabel = controls.append('label');
  const layerText = layerLabel.append('span');
  const layerSel = layerLabel.append('select').on('change', (e) => onSelectUnit(Number(e.target.value), app.selection.unit));
  const unitLabel = controls.append('label');
  const unitText = unitLabel.append('span');
  const unitInput = unitLabel.append('input').attr('type', 'number').attr('min', 0).attr('step', 1)
    .on('change', (e) => onSelectUnit(app.selection.entry, Number(e.target.value)));
  const title = select(root).append('p').attr('class', 'unit-title');
  const svg = select(root).append('svg').attr('class', 'unit-trace').attr('role', 'img');
  const words = select(root).append('div').attr('class', 'unit-words');
  let app = null;
  let marker = null;
  let x = null;
  let y = null;

  function render() {
    const t = app.t;
    const { info, result } = app;
    svg.selectAll('*').remove();
    words.selectAll('*').remove();
    marker = null;
    if (!info || !result || !result.steps) return;
    layerText.text(t('unit.layer'));
    unitText.text(t('unit.unit'));
    layerSel.selectAll('option').data(result.layers.map((e, i) => i)).join('option').attr('value', (i) => i)
      .text((i) => {
        const e = result.layers[i];
        return `${t('diagram.layer', { n: e.layer + 1 })}${info.bidirectional ? ' · ' + t(e.direction === 'forward' ? 'diagram.forward' : 'diagram.backward') : ''}`;
      });
    const { entry: ei, unit } = app.selection;
    layerSel.property('value', ei);
    unitInput.attr('max', info.units - 1).property('value', unit);
    const entry = result.layers[ei];
    title.text(t('unit.title', { unit, layer: entry.layer + 1 }));
    const width = Math.max(220, root.clientWidth || 400);
    const height = 120;
    const T = result.steps;
    x = scaleLinear().domain([0, Math.max(1, T - 1)]).range([34, width - 8]);
    y = scaleLinear().domain([-1, 1]).range([height - 10, 10]);
    svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`)
      .attr('aria-label', t('unit.aria', { unit, layer: entry.layer + 1 }));
    svg.append('g').attr('class', 'axis').attr('transform', 'translate(34,0)').call(axisLeft(y).tickValues([-1, 0, 1]).tickFormat((v) => fmt(v, 0)));
    svg.append('line').attr('class', 'chart-mid').attr('x1', 34).attr('x2', width - 8).attr('y1', y(0)).attr('y2', y(0));
    const vals = Array.from({ length: T }, (_, s) => entry.hidden[s * info.units + unit]);
    const color = activationScale(1);
    svg.selectAll('circle.pt').data(vals).join('circle').attr('class', 'pt').attr('cx', (v, s) => x(s)).attr('cy', (v) => y(v))
      .attr('r', T > 150 ? 1.2 : 2).attr('fill', (v) => color(v));
    svg.append('path').attr('class', 'unit-line').attr('d', line().x((v, s) => x(s)).y((v) => y(v))(vals));
    marker = svg.append('line').attr('class', 'chart-rule').attr('y1', 6).attr('y2', height - 6).attr('stroke', ACCENT);
    cursorUpdate();
    if (entry.layer !== 0) {
      words.append('p').attr('class', 'unit-note').text(t('unit.noWords'));
      return;
    }
    const top = getTopWords(entry.layer, entry.direction, unit); // null until the worker answers
    if (!top || top.error) {
      words.append('p').attr('class', 'unit-note').text(top ? top.error : t('unit.wordsLoading'));
      return;
    }
    const wmax = Math.max(1e-6, ...top.positive.map((d) => Math.abs(d.value)), ...top.negative.map((d) => Math.abs(d.value)));
    for (const [key, list] of [['unit.up', top.positive], ['unit.down', top.negative]]) {
      const col = words.append('div').attr('class', 'unit-col');
      col.append('h3').text(t(key));
      const ul = col.append('ol');
      const li = ul.selectAll('li').data(list).join('li');
      li.append('span').attr('class', 'unit-word').text((d) => d.word);
      li.append('span').attr('class', 'unit-bar').append('span')
        .style('width', (d) => `${(Math.abs(d.value) / wmax) * 100}%`)
        .style('background-color', (d) => activationScale(wmax)(d.value));
      li.append('span').attr('class', 'unit-val').text((d) => fmt(d.value, 2, true));
    }
    words.append('p').attr('class', 'unit-note').text(t('unit.wordsHelp'));
  }

  function cursorUpdate() {
    if (!marker || !app.cursor || app.cursor.t === null) { if (marker) marker.attr('display', 'none'); return; }
    marker.attr('display', null).attr('x1', x(app.cursor.t)).attr('x2', x(app.cursor.t));
  }

  return {
    data(a) { app = a; render(); },
    cursor(a) { app = a; cursorUpdate(); },
  };
}

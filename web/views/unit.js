// One unit up close: its value over the review, the vocabulary words that push it up or down
// (model.topWords, layer 0 only), and knocking it out: fixed at 0 (or ±1) at every step, with the
// verdict that results and the units whose knockout moves this verdict most (model.knockoutRanking).
import { select } from 'd3-selection';
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { axisLeft } from 'd3-axis';
import { activationScale, sentimentScale, ACCENT } from '../ui/colors.js';
import { fmt, pct } from '../ui/format.js';

const KNOCKOUT_MODES = ['off', 'zero', 'plus', 'minus'];
const RANK_SHOWN = 5;

export function createUnit(root, { onSelectUnit, onKnockout = () => {}, onClearKnockouts = () => {}, getTopWords, t: tr }) {
  const controls = select(root).append('div').attr('class', 'unit-controls');
  const layerLabel = controls.append('label');
  const layerText = layerLabel.append('span');
  const layerSel = layerLabel.append('select').on('change', (e) => onSelectUnit(Number(e.target.value), app.selection.unit));
  const unitLabel = controls.append('label');
  const unitText = unitLabel.append('span');
  const unitInput = unitLabel.append('input').attr('type', 'number').attr('min', 0).attr('step', 1)
    .on('change', (e) => onSelectUnit(app.selection.entry, Number(e.target.value)));
  const koLabel = controls.append('label').attr('class', 'ko-control');
  const koText = koLabel.append('span');
  const koSel = koLabel.append('select').attr('class', 'ko-mode')
    .on('change', (e) => onKnockout(app.selection.entry, app.selection.unit, e.target.value === 'off' ? null : e.target.value));
  const koBox = select(root).append('div').attr('class', 'ko-box');
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
    koBox.selectAll('*').remove();
    marker = null;
    if (!info || !result || !result.steps) return;
    renderKnockout();
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

  /** The knockout control for the selected unit, what the knockouts do, and the ranking. */
  function renderKnockout() {
    const t = app.t;
    const { info, result } = app;
    const { entry: ei, unit } = app.selection;
    const rowName = (i) => {
      const e = result.layers[i];
      return `${t('diagram.layer', { n: e.layer + 1 })}${info.bidirectional ? ' · ' + t(e.direction === 'forward' ? 'diagram.forward' : 'diagram.backward') : ''}`;
    };
    koText.text(t('ko.label'));
    koSel.selectAll('option').data(KNOCKOUT_MODES).join('option').attr('value', (m) => m).text((m) => t(`ko.${m}`));
    const mine = app.knockouts.find((k) => k.entry === ei && k.unit === unit);
    koSel.property('value', mine ? mine.mode : 'off');
    if (app.knockouts.length) {
      const list = app.knockouts.map((k) => `${rowName(k.entry)} #${k.unit}${k.mode === 'zero' ? ' = 0' : k.mode === 'plus' ? ' = +1' : ' = −1'}`).join(', ');
      const p = koBox.append('p').attr('class', 'ko-active');
      p.append('span').text(`${t('ko.active', { list })} `);
      if (result.baseline) p.append('span').text(`${t('ko.effect', { p: pct(result.probability), was: pct(result.baseline.probability) })} `);
      p.append('button').attr('type', 'button').attr('class', 'ko-clear').text(t('ko.clear')).on('click', () => onClearKnockouts());
    }
    const rank = koBox.append('div').attr('class', 'ko-rank');
    rank.append('h3').text(t('ko.rankTitle'));
    const ranking = app.ranking && app.ranking.entry === ei && app.ranking.result === result ? app.ranking.units : null;
    if (!ranking) {
      rank.append('p').attr('class', 'unit-note').text(t('ko.rankLoading'));
      return;
    }
    const shown = ranking.slice(0, RANK_SHOWN);
    const dmax = Math.max(1e-6, ...shown.map((d) => Math.abs(d.probabilityChange)));
    const li = rank.append('ol').selectAll('li').data(shown).join('li');
    const button = li.append('button').attr('type', 'button').attr('class', 'ko-unit')
      .attr('aria-pressed', (d) => String(d.unit === unit))
      .on('click', (e, d) => onSelectUnit(ei, d.unit));
    button.append('span').attr('class', 'ko-unit-name').text((d) => t('ko.rankItem', {
      unit: d.unit,
      p: pct(result.probability + d.probabilityChange),
      d: `${d.probabilityChange >= 0 ? '+' : '−'}${Math.abs(d.probabilityChange * 100).toFixed(1)} pt`,
    }));
    button.append('span').attr('class', 'unit-bar').append('span')
      .style('width', (d) => `${(Math.abs(d.probabilityChange) / dmax) * 100}%`)
      .style('background-color', (d) => sentimentScale(dmax)(d.probabilityChange));
    rank.append('p').attr('class', 'unit-note').text(t('ko.rankHelp'));
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

// The update equation with live numbers, in the tutorial's notation: hₜ = f(U·xₜ + W·hₜ₋₁ + b),
// U multiplies the input (Keras `kernel`), W the previous state (`recurrent_kernel`). Every term of
// the sum is a small bar chart over units, so a reader sees what the new word brings and what memory
// brings. LSTM and GRU: one row per gate, with the same U/W convention per gate. Below it, the same
// equation unrolled two or three steps deep (views/unrolled-equation.js).
import { select } from 'd3-selection';
import { scaleSequential } from 'd3-scale';
import { interpolateBlues } from 'd3-scale-chromatic';
import { activationScale, INK, LINE } from '../ui/colors.js';
import { fmt, l1, maxAbs, stepWord } from '../ui/format.js';
import { renderUnrolled } from './unrolled-equation.js';
import { verdictOf } from '../app/verdict.js';

const SUB = 'ₜ';

/** Row t of a [steps × width] array, columns [from, from + n). */
function rowOf(arr, t, width, from, n) {
  return arr.subarray(t * width + from, t * width + from + n);
}

/** A vector as small bars around a zero line. */
function bars(parent, values, max, { height = 34, width = 220, label = '', gate = false } = {}) {
  const n = values.length;
  const svg = parent.append('svg').attr('class', 'eq-bars').attr('viewBox', `0 0 ${width} ${height}`)
    .attr('preserveAspectRatio', 'none').attr('role', 'img').attr('aria-label', label);
  const bw = width / n;
  if (gate) {
    // A sigmoid gate lives in (0, 1): bars up from 0, on a sequential scale (0 = shut, 1 = open).
    const color = scaleSequential([0, 1], interpolateBlues);
    svg.append('line').attr('x1', 0).attr('x2', width).attr('y1', height - 0.5).attr('y2', height - 0.5).attr('stroke', LINE).attr('stroke-width', 1);
    svg.selectAll('rect').data(Array.from(values)).join('rect')
      .attr('x', (v, i) => i * bw + bw * 0.12).attr('width', Math.max(0.8, bw * 0.76))
      .attr('y', (v) => (height - 1) * (1 - v)).attr('height', (v) => Math.max(0.5, (height - 1) * v))
      .attr('fill', (v) => color(0.15 + 0.85 * v));
    return svg;
  }
  const mid = height / 2;
  const color = activationScale(max);
  svg.append('line').attr('x1', 0).attr('x2', width).attr('y1', mid).attr('y2', mid).attr('stroke', LINE).attr('stroke-width', 1);
  svg.selectAll('rect').data(Array.from(values)).join('rect')
    .attr('x', (v, i) => i * bw + bw * 0.12).attr('width', Math.max(0.8, bw * 0.76))
    .attr('y', (v) => (v >= 0 ? mid - (Math.min(Math.abs(v), max) / max) * (mid - 1) : mid))
    .attr('height', (v) => Math.max(0.5, (Math.min(Math.abs(v), max) / max) * (mid - 1)))
    .attr('fill', (v) => color(v));
  return svg;
}

export function createEquation(root, { onEntry, t: tr }) {
  const tabs = select(root).append('div').attr('class', 'eq-tabs').attr('role', 'group');
  const formula = select(root).append('p').attr('class', 'eq-formula');
  const context = select(root).append('p').attr('class', 'eq-context');
  const notation = select(root).append('p').attr('class', 'eq-notation');
  const body = select(root).append('div').attr('class', 'eq-body');
  const unrolled = select(root).append('div').attr('class', 'eq-unrolled');
  let app = null;

  function entryIndex() {
    const { cursor, result, timeline, info } = app;
    if (info.bidirectional && cursor && cursor.phase !== 'join') {
      return result.layers.findIndex((e) => timeline.isActive(cursor, e));
    }
    return Math.min(app.selection.entry, result.layers.length - 1);
  }

  function term(grid, name, note, values, max, cls = '') {
    const row = grid.append('div').attr('class', `eq-row ${cls}`);
    const lab = row.append('div').attr('class', 'eq-label');
    lab.append('span').attr('class', 'eq-sym').text(name);
    if (note) lab.append('span').attr('class', 'eq-note').text(note);
    bars(row.append('div').attr('class', 'eq-chart'), values, max, { label: `${name}: ${Array.from(values.slice(0, 8), (v) => fmt(v)).join(', ')}${values.length > 8 ? '…' : ''}` });
    row.append('div').attr('class', 'eq-norm').text(`‖·‖₁ ${fmt(l1(values), 1)}`);
    return row;
  }

  function share(parent, inp, rec) {
    const a = l1(inp);
    const b = l1(rec);
    const f = a + b > 0 ? a / (a + b) : 0.5;
    const t = app.t;
    const wrap = parent.append('div').attr('class', 'eq-share').attr('role', 'img')
      .attr('aria-label', t('eq.shareAria', { word: Math.round(f * 100), memory: Math.round((1 - f) * 100) }));
    const bar = wrap.append('div').attr('class', 'eq-share-bar');
    bar.append('div').attr('class', 'eq-share-word').style('width', `${f * 100}%`);
    bar.append('div').attr('class', 'eq-share-mem').style('width', `${(1 - f) * 100}%`);
    const legend = wrap.append('div').attr('class', 'eq-share-legend');
    legend.append('span').attr('class', 'eq-share-w').text(t('eq.fromWord', { p: Math.round(f * 100) }));
    legend.append('span').attr('class', 'eq-share-m').text(t('eq.fromMemory', { p: Math.round((1 - f) * 100) }));
  }

  function renderHead() {
    const { result, info } = app;
    const t = app.t;
    formula.text('p = σ( w · [ h→_T ; h←_0 ] + b )');
    const kind = verdictOf(result).kind;
    context.text(t('eq.join', { p: fmt(result.probability, 3), label: t(`verdict.${kind === 'unknown' ? 'short.unknown' : kind}`) }));
    const top = result.layers.slice(-2);
    const T = result.steps;
    const grid = body.append('div').attr('class', 'eq-grid');
    term(grid, `h→${T - 1}`, t('eq.fwdFinal'), rowOf(top[0].hidden, T - 1, info.units, 0, info.units), 1);
    term(grid, 'h←0', t('eq.bwdFinal'), rowOf(top[1].hidden, 0, info.units, 0, info.units), 1);
  }

  function render() {
    body.selectAll('*').remove();
    unrolled.selectAll('*').remove();
    const { info, result, cursor } = app;
    const t = app.t;
    if (!result || !result.steps || !cursor) { formula.text(''); context.text(''); notation.text(''); return; }
    notation.text(t(`eq.notation.${info.cell}`));
    // Layer tabs (unidirectional: every layer computes at every step; pick one).
    tabs.selectAll('button').data(info.bidirectional ? [] : result.layers.map((e, i) => i)).join('button')
      .attr('type', 'button').attr('class', 'tab')
      .attr('aria-pressed', (i) => String(i === entryIndex()))
      .text((i) => t('diagram.layer', { n: i + 1 }))
      .on('click', (e, i) => onEntry(i));
    if (cursor.phase === 'join') return renderHead();
    const ei = entryIndex();
    renderUnrolled(unrolled, app, ei);
    const entry = result.layers[ei];
    const T = result.steps;
    const s = cursor.t;
    const H = info.units;
    const G = info.gateNames.length;
    const fwd = entry.direction === 'forward';
    const prevT = fwd ? s - 1 : s + 1;
    const hasPrev = prevT >= 0 && prevT < T;
    const zeros = new Float32Array(H);
    const hPrev = hasPrev ? rowOf(entry.hidden, prevT, H, 0, H) : zeros;
    const hNow = rowOf(entry.hidden, s, H, 0, H);
    const prevSym = fwd ? `h${SUB}₋₁` : `h${SUB}₊₁`;
    const word = stepWord(result, s);
    const xName = entry.layer === 0 ? t('eq.theWord', { word }) : t('eq.layerBelow', { n: entry.layer });
    const bias = result.bias && result.bias[ei];
    context.text(t('eq.context', { t: s, word, layer: entry.layer + 1, dir: info.bidirectional ? t(fwd ? 'diagram.forward' : 'diagram.backward') : '' }));
    const gridAll = body.append('div').attr('class', 'eq-grid');
    if (info.cell === 'simple_rnn') {
      formula.text(`h${SUB} = f( U·x${SUB} + W·${prevSym} + b ),  f = tanh`);
      const inp = rowOf(entry.inputPart, s, G * H, 0, H);
      const rec = rowOf(entry.recurrentPart, s, G * H, 0, H);
      const pre = rowOf(entry.preactivation, s, G * H, 0, H);
      const max = maxAbs([inp, rec, pre, bias]);
      share(body, inp, rec);
      term(gridAll, `U·x${SUB}`, xName, inp, max, 'is-word');
      term(gridAll, `W·${prevSym}`, hasPrev ? t('eq.memory') : t('eq.noMemory'), rec, max, 'is-memory');
      if (bias) term(gridAll, 'b', t('eq.bias'), bias.subarray(0, H), max);
      term(gridAll, '=', t('eq.pre'), pre, max, 'is-sum');
      term(gridAll, `h${SUB}`, t('eq.tanh'), hNow, 1, 'is-result');
      body.append(() => gridAll.node());
      return;
    }
    const names = info.gateNames;
    const inpAll = rowOf(entry.inputPart, s, G * H, 0, G * H);
    const recAll = rowOf(entry.recurrentPart, s, G * H, 0, G * H);
    const max = maxAbs([inpAll, recAll]);
    if (info.cell === 'lstm') formula.text(`c${SUB} = f ⊙ c${SUB}₋₁ + i ⊙ c̃ ,  h${SUB} = o ⊙ tanh(c${SUB})`);
    else formula.text(`h${SUB} = z ⊙ ${prevSym} + (1 − z) ⊙ n`);
    share(body, inpAll, recAll);
    const grid = body.append('div').attr('class', 'eq-gates');
    const headRow = grid.append('div').attr('class', 'eq-gate-row eq-gate-head');
    headRow.append('div');
    headRow.append('div').text(t('eq.colWord'));
    headRow.append('div').text(t('eq.colMemory'));
    headRow.append('div').text(t('eq.colGate'));
    names.forEach((g, k) => {
      const row = grid.append('div').attr('class', 'eq-gate-row');
      const lab = row.append('div').attr('class', 'eq-label');
      lab.append('span').attr('class', 'eq-sym').text(g === 'c' ? 'c̃' : g);
      lab.append('span').attr('class', 'eq-note').text(t(`gate.${info.cell}.${g}`));
      const inp = rowOf(entry.inputPart, s, G * H, k * H, H);
      const rec = rowOf(entry.recurrentPart, s, G * H, k * H, H);
      const gate = rowOf(entry.gates, s, G * H, k * H, H);
      bars(row.append('div').attr('class', 'eq-chart'), inp, max, { label: `${g}: U·x` });
      bars(row.append('div').attr('class', 'eq-chart'), rec, max, { label: `${g}: W·h` });
      const sigmoid = !(info.cell === 'lstm' && g === 'c') && !(info.cell === 'gru' && g === 'n');
      bars(row.append('div').attr('class', 'eq-chart'), gate, 1, { label: `${g}`, gate: sigmoid });
    });
    if (info.cell === 'gru') body.append('p').attr('class', 'eq-fine').text(t('eq.gruNote'));
    const states = body.append('div').attr('class', 'eq-grid');
    if (info.cell === 'lstm' && entry.cell) {
      const cPrev = hasPrev ? rowOf(entry.cell, prevT, H, 0, H) : zeros;
      const cNow = rowOf(entry.cell, s, H, 0, H);
      const cmax = maxAbs([cPrev, cNow]);
      term(states, `c${SUB}₋₁`, t('eq.cellPrev'), cPrev, cmax, 'is-memory');
      term(states, `c${SUB}`, t('eq.cellNow'), cNow, cmax, 'is-sum');
    } else {
      term(states, prevSym, t('eq.memory'), hPrev, 1, 'is-memory');
    }
    term(states, `h${SUB}`, t('eq.hNow'), hNow, 1, 'is-result');
  }

  return {
    data(a) { app = a; render(); },
    cursor(a) { app = a; render(); },
    ink: INK,
  };
}

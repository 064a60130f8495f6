// Units × time for every layer and direction (canvas), with the current step outlined, the steps
// not yet computed veiled, the selected unit marked, and the current column hₜ drawn large beside it.
import { select } from 'd3-selection';
import 'd3-transition';
import { scaleLinear, scaleSequential } from 'd3-scale';
import { interpolateBlues } from 'd3-scale-chromatic';
import { activationScale, ACCENT } from '../ui/colors.js';
import { fmt, maxAbs, niceCeil, stepWord } from '../ui/format.js';
import { itemStep } from '../playback/timeline.js';
import { duration } from '../ui/motion.js';
import { showTip, hideTip } from '../ui/tooltip.js';

const COLUMN_W = 30;
const SIGMOID_GATES = new Set(['i', 'f', 'o', 'z', 'r']); // in (0, 1); c̃ and n are tanh


const LABEL_W = 28;

/** The quantity shown: 'h' (hidden), 'c' (LSTM cell) or a gate name; returns { array, width, offset, bounded }. */
export function quantityOf(entry, info, q) {
  const G = info.gateNames.length;
  const units = entry.units;
  if (q === 'c' && entry.cell) {
    // 'c' is both the LSTM cell state (the heatmap's "c — cell state") and the candidate gate's name:
    // the menu offers the cell state under 'c' and the candidate under 'cand'.
    return { array: entry.cell, stride: units, offset: 0, bounded: false, gate: false };
  }
  const name = q === 'cand' ? 'c' : q;
  const g = info.gateNames.indexOf(name);
  if (q !== 'h' && G > 1 && g >= 0) return { array: entry.gates, stride: G * units, offset: g * units, bounded: true, gate: SIGMOID_GATES.has(name) };
  return { array: entry.hidden, stride: units, offset: 0, bounded: true, gate: false };
}

export function quantityChoices(info) {
  const out = [{ value: 'h', key: 'heatmap.q.h' }];
  if (info.cell === 'lstm') out.push({ value: 'c', key: 'heatmap.q.c' });
  if (info.gateNames.length > 1) {
    for (const g of info.gateNames) out.push({ value: info.cell === 'lstm' && g === 'c' ? 'cand' : g, key: `gate.${info.cell}.${g}` });
  }
  return out;
}

/**
 * The edited review's quantity minus the original's at the step it corresponds to (app.original.map,
 * web/review/edits.js alignSteps): { array [steps × units] with NaN where the step has no counterpart
 * (a new word, padding), stride, offset 0, unbounded } — what the edit changed in each unit.
 */
export function differenceOf(data, before, map, units) {
  const steps = map.length;
  const out = new Float32Array(steps * units).fill(NaN);
  for (let s = 0; s < steps; s++) {
    const o = map[s];
    if (o < 0) continue;
    for (let u = 0; u < units; u++) out[s * units + u] = data.array[s * data.stride + data.offset + u] - before.array[o * before.stride + before.offset + u];
  }
  return { array: out, stride: units, offset: 0, bounded: false, gate: false, difference: true };
}

/** `onDifference(on)`, optional: the reader ticked "show the difference from the original". */
export function createHeatmap(root, { onSeek, onSelectUnit, onQuantity, onDifference = null, t: tr }) {
  const head = select(root).append('div').attr('class', 'hm-head');
  const qLabel = head.append('label').attr('class', 'hm-q');
  const qText = qLabel.append('span');
  const qSelect = qLabel.append('select').on('change', (e) => onQuantity(e.target.value));
  const legend = head.append('div').attr('class', 'hm-legend');
  // Only while the review is edited (issue #17 item 2).
  const diffLabel = head.append('label').attr('class', 'hm-diff').attr('hidden', true);
  const diffBox = diffLabel.append('input').attr('type', 'checkbox').on('change', (e) => onDifference && onDifference(e.target.checked));
  const diffText = diffLabel.append('span');
  const blocks = select(root).append('div').attr('class', 'hm-blocks');
  let app = null;
  let parts = [];

  function drawLegend(scale, range) {
    const t = app.t;
    legend.selectAll('*').remove();
    const w = 140;
    const [lo, hi] = scale.domain;
    const s = legend.append('svg').attr('width', w + 70).attr('height', 34).attr('role', 'img')
      .attr('aria-label', t(scale.gate ? 'heatmap.legendGateAria' : 'heatmap.legendAria', { min: fmt(range[0]), max: fmt(range[1]), lo: fmt(lo), hi: fmt(hi) }));
    const n = 28;
    s.selectAll('rect').data(Array.from({ length: n }, (_, i) => i)).join('rect')
      .attr('x', (i) => 4 + (i * w) / n).attr('y', 4).attr('width', w / n + 0.5).attr('height', 10)
      .attr('fill', (i) => scale.color(lo + ((i + 0.5) / n) * (hi - lo)));
    const ticks = [[lo, 'start'], [(lo + hi) / 2, 'middle'], [hi, 'end']];
    const digits = hi - lo >= 20 ? 0 : hi - lo >= 2 ? 1 : 2;
    s.selectAll('text.tick').data(ticks).join('text').attr('class', 'tick')
      .attr('x', (d, i) => 4 + (i * w) / 2).attr('y', 28).attr('text-anchor', (d) => d[1]).text((d) => fmt(d[0], digits));
    legend.append('span').attr('class', 'hm-range').text(`${t(scale.difference ? 'edit.scaleDifference' : scale.gate ? 'heatmap.scaleGate' : 'heatmap.scaleFit')} · ${t('heatmap.range', { min: fmt(range[0]), max: fmt(range[1]) })}`);
  }

  function build() {
    const { info, result } = app;
    const t = app.t;
    blocks.selectAll('*').remove();
    parts = [];
    if (!result || !result.steps) return;
    const q = app.quantity;
    const width = Math.max(150, (root.clientWidth || 600) - COLUMN_W - LABEL_W - 14);
    const units = info.units;
    const rowH = Math.max(3, Math.min(10, Math.floor(200 / units)));
    // Columns are the timeline's items: a padding block is one column (its state after the block).
    const { items } = app.timeline;
    const K = items.length;
    const colW = width / K;
    const original = app.original && app.showDifference ? app.original : null;
    const datas = result.layers.map((entry, ei) => (original
      ? differenceOf(quantityOf(entry, info, q), quantityOf(original.result.layers[ei], info, q), original.map, units)
      : quantityOf(entry, info, q)));
    const bounded = datas.every((d) => d.bounded);
    let lo = Infinity;
    let hi = -Infinity;
    for (const d of datas) for (let i = 0; i < d.array.length; i++) {
      if ((i % d.stride) < d.offset || (i % d.stride) >= d.offset + units) continue;
      if (Number.isNaN(d.array[i])) continue;
      lo = Math.min(lo, d.array[i]);
      hi = Math.max(hi, d.array[i]);
    }
    // Each quantity gets the scale that fits it: gates (sigmoids, in (0, 1)) a sequential scale on
    // [0, 1]; states and pre-activations a diverging one, symmetric around 0, out to the largest
    // |value| in this trace (so small h values and large cell states both show), never past ±1 for
    // the bounded tanh quantities.
    const gate = datas.every((d) => d.gate);
    const fit = Math.max(Math.abs(lo), Math.abs(hi), 1e-3);
    const max = bounded ? Math.min(1, niceCeil(fit)) : niceCeil(fit);
    const scale = gate
      ? { gate: true, domain: [0, 1], color: scaleSequential([0, 1], interpolateBlues) }
      : { gate: false, domain: [-max, max], color: activationScale(max), difference: !!original };
    if (lo > hi) { lo = 0; hi = 0; } // a difference with no shared step
    drawLegend(scale, [lo, hi]);
    const color = scale.color;
    const palette = colorTable(color, scale.domain);
    const x = scaleLinear().domain([0, K]).range([0, width]);

    result.layers.forEach((entry, ei) => {
      const data = datas[ei];
      const block = blocks.append('div').attr('class', 'hm-block');
      const dirText = info.bidirectional ? ` · ${t(entry.direction === 'forward' ? 'diagram.forward' : 'diagram.backward')}` : '';
      const blockTitle = `${t('diagram.layer', { n: entry.layer + 1 })}${dirText}`;
      block.append('div').attr('class', 'hm-title').text(blockTitle);
      const wrap = block.append('div').attr('class', 'hm-wrap');
      const h = units * rowH;
      const canvas = wrap.append('canvas').attr('class', 'hm-canvas').attr('aria-hidden', 'true')
        .style('left', `${LABEL_W}px`).style('width', `${width}px`).style('height', `${h}px`);
      const dpr = Math.min(2, window.devicePixelRatio || 1);
      const cv = canvas.node();
      cv.width = Math.max(1, Math.round(width * dpr));
      cv.height = Math.max(1, Math.round(h * dpr));
      const ctx = cv.getContext('2d');
      // Paint unit × step cells at native resolution, then scale without smoothing.
      const img = pixelGrid(K, units);
      const stepOf = (k) => itemStep(items[k], entry.direction);
      for (let k = 0; k < K; k++) {
        const s = stepOf(k);
        for (let u = 0; u < units; u++) palette(img.bytes, img.offset(k, u), data.array[s * data.stride + data.offset + u]);
      }
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(img.canvas(), 0, 0, cv.width, cv.height);

      const svg = wrap.append('svg').attr('class', 'hm-overlay').attr('width', width + LABEL_W + COLUMN_W + 10).attr('height', h + 22)
        .attr('tabindex', 0).attr('role', 'slider')
        .attr('aria-label', `${t('heatmap.aria', { layer: entry.layer + 1 })}${original ? ` · ${t('edit.diffAria')}` : ''}`)
        .attr('aria-valuemin', 0).attr('aria-valuemax', units - 1).attr('aria-valuenow', 0);
      const g = svg.append('g').attr('transform', `translate(${LABEL_W},0)`);
      // Unit labels (every few units) and step ticks.
      const every = units <= 16 ? 4 : 8;
      g.selectAll('text.hm-unit').data(Array.from({ length: Math.ceil(units / every) }, (_, i) => i * every)).join('text')
        .attr('class', 'hm-unit').attr('x', -5).attr('y', (u) => u * rowH + rowH / 2 + 3).attr('text-anchor', 'end').text((u) => u);
      // Ticks: step numbers t, every few columns; a padding block is labelled with its size.
      const tickEvery = K <= 20 ? 5 : K <= 100 ? 20 : K <= 250 ? 50 : 100;
      const ticks = [];
      for (let k = 0; k < K; k++) if (items[k].kind === 'pad' && items[k].n > 1) ticks.push(k);
      for (let k = 0; k < K; k += tickEvery) if (!ticks.some((j) => Math.abs(x(j) - x(k)) < 24)) ticks.push(k);
      g.selectAll('text.hm-tick').data(ticks).join('text')
        .attr('class', 'hm-tick').attr('x', (k) => x(k) + colW / 2).attr('y', h + 14).attr('text-anchor', (k) => (k === 0 ? 'start' : 'middle'))
        .text((k) => (items[k].kind === 'pad' && items[k].n > 1 ? t('diagram.padBlock', { n: items[k].n }) : stepOf(k)));
      const veil = g.append('g').attr('class', 'hm-veil');
      const sel = g.append('rect').attr('class', 'hm-selected').attr('x', -2).attr('width', width + 4).attr('height', rowH).attr('fill', 'none');
      const cur = g.append('rect').attr('class', 'hm-current').attr('y', -2).attr('height', h + 4).attr('fill', 'none');
      g.append('rect').attr('class', 'hm-hit').attr('width', width).attr('height', h).attr('fill', 'transparent')
        .on('click', (event) => {
          const [px, py] = pointer(event, g.node());
          const s = stepOf(Math.max(0, Math.min(K - 1, Math.floor(px / colW))));
          const u = Math.max(0, Math.min(units - 1, Math.floor(py / rowH)));
          onSelectUnit(ei, u);
          onSeek(s, entry);
        })
        .on('mousemove', (event) => {
          const [px, py] = pointer(event, g.node());
          const k = Math.max(0, Math.min(K - 1, Math.floor(px / colW)));
          const s = stepOf(k);
          const u = Math.max(0, Math.min(units - 1, Math.floor(py / rowH)));
          const v = data.array[s * data.stride + data.offset + u];
          const block = items[k].kind === 'pad' && items[k].n > 1;
          showTip([`${t('heatmap.unit')} ${u} · t=${s}`, block ? t('diagram.padBlockTitle', { n: items[k].n }) : `${stepWord(result, s)}`, `${app.quantity} = ${fmt(v, 3)}`], { x: event.clientX, y: event.clientY });
        })
        .on('mouseleave', hideTip);
      svg.on('keydown', (event) => {
        if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
        event.preventDefault();
        const curUnit = app.selection.entry === ei ? app.selection.unit : 0;
        onSelectUnit(ei, Math.max(0, Math.min(units - 1, curUnit + (event.key === 'ArrowDown' ? 1 : -1))));
      });
      // The current column, large.
      const colG = g.append('g').attr('class', 'hm-column').attr('transform', `translate(${width + 10},0)`);
      colG.selectAll('rect').data(Array.from({ length: units }, (_, u) => u)).join('rect')
        .attr('y', (u) => u * rowH).attr('width', COLUMN_W - 6).attr('height', Math.max(1, rowH - 1)).attr('rx', 1.5).attr('fill', '#eef0f4');
      colG.append('text').attr('class', 'hm-coltitle').attr('x', (COLUMN_W - 6) / 2).attr('y', h + 14).attr('text-anchor', 'middle');
      parts.push({ entry, ei, data, veil, sel, cur, colG, x, colW, rowH, width, svg, color, units, stepOf, title: `${t((quantityChoices(info).find((c) => c.value === q) || { key: 'heatmap.q.h' }).key)} · ${blockTitle}` });
    });
  }

  function cursorUpdate(animate) {
    if (!app || !app.result) return;
    const { cursor, timeline, result } = app;
    const K = app.timeline.items.length;
    const dur = animate ? duration(app.playing ? Math.min(200, 600 / app.speed) : 300) : 0;
    for (const p of parts) {
      // Veil the steps this direction has not computed yet.
      const hidden = [];
      let runStart = -1;
      for (let k = 0; k <= K; k++) {
        const comp = k < K && timeline.isComputed(cursor, p.entry, p.stepOf(k));
        if (k < K && !comp && runStart < 0) runStart = k;
        if ((comp || k === K) && runStart >= 0) { hidden.push([runStart, k]); runStart = -1; }
      }
      p.veil.selectAll('rect').data(hidden).join('rect')
        .attr('x', (d) => p.x(d[0])).attr('width', (d) => p.x(d[1]) - p.x(d[0])).attr('y', 0).attr('height', p.units * p.rowH)
        .attr('fill', '#fbfbfd').attr('fill-opacity', 0.82);
      const t = cursor ? cursor.t : null;
      const show = t !== null;
      const k = show ? cursor.k : 0;
      const active = timeline.isActive(cursor, p.entry);
      p.cur.attr('display', show ? null : 'none').attr('data-step', show ? t : null).attr('x', show ? p.x(k) - 1.5 : 0).attr('width', Math.max(3, p.colW + 3))
        .attr('stroke', active ? ACCENT : '#1f2430').attr('stroke-width', active ? 2 : 1.2);
      const selOn = app.selection.entry === p.ei;
      p.sel.attr('display', selOn ? null : 'none').attr('y', selOn ? app.selection.unit * p.rowH : 0);
      p.svg.attr('aria-valuenow', selOn ? app.selection.unit : 0)
        .attr('aria-valuetext', selOn ? `${app.t('heatmap.unit')} ${app.selection.unit}` : app.t('heatmap.noUnit'));
      const ts = show ? p.stepOf(k) : 0; // this row's step in the current column
      const computed = show && timeline.isComputed(cursor, p.entry, ts);
      p.colG.selectAll('rect').interrupt().transition().duration(dur)
        .attr('fill', (u) => {
          const v = p.data.array[ts * p.data.stride + p.data.offset + u];
          return computed && !Number.isNaN(v) ? p.color(v) : '#eef0f4';
        });
      p.colG.select('text').text(show ? `${app.quantity === 'cand' ? 'c̃' : app.quantity}ₜ` : '');
    }
  }

  return {
    data(a) {
      app = a;
      const t = a.t;
      qText.text(t('heatmap.show'));
      if (a.info) {
        qSelect.selectAll('option').data(quantityChoices(a.info), (d) => d.value).join('option')
          .attr('value', (d) => d.value).text((d) => t(d.key));
        qSelect.property('value', a.quantity);
      }
      diffLabel.attr('hidden', a.original ? null : true);
      diffText.text(t('edit.showDifference'));
      diffBox.property('checked', !!a.showDifference);
      build();
      cursorUpdate(false);
    },
    cursor(a) {
      app = a;
      cursorUpdate(true);
    },
    /** For export: each block's canvas, overlay and title, and the colour legend. */
    nodes: () => parts.map((p) => ({ canvas: p.svg.node().previousSibling, svg: p.svg.node(), title: p.title })),
    legendNode: () => legend.select('svg').node(),
    legendText: () => legend.text(),
  };
}

const COLOR_STEPS = 511; // odd, so that 0 has a bin of its own
const BACKGROUND = [238, 240, 244];

/**
 * The scale's colours at COLOR_STEPS points of its domain [lo, hi], looked up per cell: asking d3 for a
 * colour string and parsing it back cost ~3 µs a cell, 50 ms for the 10,240 cells of a 2 × 64-unit,
 * 80-step trace (the longest task of a redraw while typing). Returns (bytes, i, v) that writes v's
 * colour as RGBA at bytes[i…i+3]; NaN gets the background.
 */
function colorTable(color, [lo, hi]) {
  const rgb = new Uint8Array(COLOR_STEPS * 3);
  for (let k = 0; k < COLOR_STEPS; k++) {
    const m = /rgb\((\d+), ?(\d+), ?(\d+)\)/.exec(color(lo + ((hi - lo) * k) / (COLOR_STEPS - 1)));
    rgb.set(m ? [+m[1], +m[2], +m[3]] : BACKGROUND, k * 3);
  }
  const scale = (COLOR_STEPS - 1) / (hi - lo);
  return (bytes, i, v) => {
    if (Number.isNaN(v)) {
      bytes.set(BACKGROUND, i);
    } else {
      const k = Math.round((Math.max(lo, Math.min(hi, v)) - lo) * scale) * 3;
      bytes[i] = rgb[k];
      bytes[i + 1] = rgb[k + 1];
      bytes[i + 2] = rgb[k + 2];
    }
    bytes[i + 3] = 255;
  };
}

/** One pixel per (step, unit): its RGBA bytes, and a canvas of them for scaling. */
function pixelGrid(w, h) {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  const ctx = c.getContext('2d');
  const img = ctx.createImageData(w, h);
  return {
    bytes: img.data,
    offset: (x, y) => (y * w + x) * 4,
    canvas() {
      ctx.putImageData(img, 0, 0);
      return c;
    },
  };
}

function pointer(event, node) {
  const r = node.getBoundingClientRect();
  return [event.clientX - r.left, event.clientY - r.top];
}

// The unrolled network: one column per time step (a window of them around the current step, plus
// the first and the last), one row per layer and direction, the word entering from below, the
// hidden state passing sideways to the next step and upwards to the next layer, the head on the right.
// Each row is one cell, the same at every column of that row: the caption says so, for this model.
import { select } from 'd3-selection';
import 'd3-transition';
import { activationScale, probabilityColor, probabilityTint, ACCENT, INK, LINE } from '../ui/colors.js';
import { fmt, maxAbs, niceCeil, shorten, stepWord } from '../ui/format.js';
import { itemStep } from '../playback/timeline.js';
import { verdictOf } from '../app/verdict.js';
import { duration } from '../ui/motion.js';

// Geometry, in SVG pixels. A column is one time step: the word box at the bottom, one cell per
// row (layer × direction) above it, the running readout p_t on top.
const CELL_W = 56;                 // a cell box
const CELL_H = 62;
const CELL_RADIUS = 9;
const HALO = 5;                    // the current cell's halo, beyond the box
const GAP = 24;                    // between two adjacent columns (the h_{t-1} → h_t wire)
const SLOT = CELL_W + GAP;
const ELLIPSIS = 40;               // extra room where hidden steps are elided (⋯ +n)
const EDGE_WIRE = 20;              // the h = 0 wire into the first column
const ROW_GAP = 46;                // between rows: the upward wire
const ROW_H = CELL_H + ROW_GAP;
const CELL_TITLE_Y = 13;           // the cell's name, from the box's top
const MOSAIC_TOP = 19;             // the hₜ mosaic: a square grid of units under the title
const MOSAIC_SIZE = 42;
const MOSAIC_MAX_SQUARE = 10;
const TOKEN_H = 26;                // the word box
const TOKEN_GAP = 34;              // from the bottom row to the word box
const TOKEN_TEXT_Y = 17;
const STEP_LABEL_Y = 41;           // "t=…" under the word box
const TOKEN_CHARS = 8;
const BOTTOM_MARGIN = 48;
const CAPTION_Y = 16;              // the caption line and the bracket under it
const BRACKET_Y = { wide: 30, narrow: 34 };
const BRACKET_TICK = 5;
const TOP = { wide: 40, narrow: 46 };          // above the top row: caption, bracket…
const TOP_EXTRA = { uni: 48, bi: 22 };         // …and the running readout (unidirectional) or the backward wire
const NARROW = 640;                // below this width: short labels, no row label column
const LABEL_W = { wide: 96, narrow: 8 };
const HEAD_W = { wide: 128, narrow: 92 };
const HEAD_PAD = 40;               // the head box is HEAD_W − HEAD_PAD wide
const HEAD_H = 60;
const HEAD_OFFSET = 26;            // from the last column's wire to the head box
const READOUT_R = 8;               // the running readout p_t circle…
const READOUT_ABOVE = 18;          // …its centre, above the top row's upward wire end
const READOUT_WIRE_STOP = 28;      // the top row's upward wire stops short of the readout
const MIN_WIDTH = 300;
const RIGHT_MARGIN = 6;
const ROW_LABEL_INSET = 14;        // row labels end this far left of the first column
const ROW_LABEL_LINE = { title: -4, sub: 12 }; // the two lines of a row label, around the row's middle
const SMALL_LABEL_ABOVE = 8;       // narrow: the row label sits above the row
const LABEL_GAP = { x: 10, h: 8, prev: 7, readout: 13 }; // symbol labels (xₜ, hₜ, hₜ₋₁, p) above their wire or circle
const LABEL_SIDE = { x: -5, h: 14 }; // …and beside it
const BWD_INPUT = { dx: 12, rise: 12, below: 14 }; // the backward row's input, routed through the gap
const BWD_HEAD_WIRE = 18;          // the final backward state's wire into the head runs this far above its row…
const BWD_HEAD_LABEL = { above: 23, left: 8 }; // …labelled here
const HEAD_LINE = { title: 24, p: 44, verdict: 78 }; // the head box's three lines, from its top
const MOVE_MS = { step: 320, playMax: 260, playPerSpeed: 700 }; // column slide: shorter when playing fast
const CELL_NAME = { simple_rnn: 'tanh', lstm: 'LSTM', gru: 'GRU' };
const SUB_T = 'ₜ';

/** Visible steps: the first, the last, and a window around `center` that fits `slots`. */
export function visibleSteps(T, center, slots) {
  if (T <= slots) return Array.from({ length: T }, (_, i) => i);
  const m = Math.max(1, slots - 3);
  const a = Math.max(0, Math.min(T - m, center - Math.floor((m - 1) / 2)));
  const set = new Set([0, T - 1]);
  for (let s = a; s < a + m; s++) set.add(s);
  return [...set].sort((x, y) => x - y);
}

export function createDiagram(root, { onSeek, t: tr }) {
  const svg = select(root).append('svg').attr('class', 'diagram').attr('role', 'img');
  const defs = svg.append('defs');
  for (const [id, color] of [['arrow', INK], ['arrow-faint', LINE], ['arrow-accent', ACCENT]]) {
    defs.append('marker').attr('id', `unroll-${id}`).attr('viewBox', '0 0 8 8').attr('refX', 7).attr('refY', 4)
      .attr('markerWidth', 7).attr('markerHeight', 7).attr('orient', 'auto-start-reverse')
      .append('path').attr('d', 'M0,0 L8,4 L0,8 z').attr('fill', color);
  }
  const caption = svg.append('g').attr('class', 'dg-caption');
  const labels = svg.append('g').attr('class', 'dg-labels');
  const gaps = svg.append('g').attr('class', 'dg-gaps');
  const columns = svg.append('g').attr('class', 'dg-columns');
  const head = svg.append('g').attr('class', 'dg-head');

  let app = null;
  let geo = null;
  let lastPositions = new Map();

  function geometry() {
    const { info, result } = app;
    const width = Math.max(MIN_WIDTH, root.clientWidth || 800);
    const narrow = width < NARROW;
    const size = narrow ? 'narrow' : 'wide';
    const rows = result.layers.length;
    const bi = info.bidirectional;
    const labelW = LABEL_W[size];
    const headW = HEAD_W[size];
    const top = TOP[size] + (bi ? TOP_EXTRA.bi : TOP_EXTRA.uni);
    const rowY = (r) => top + (rows - 1 - r) * ROW_H;
    const tokenY = rowY(0) + CELL_H + TOKEN_GAP;
    const height = tokenY + BOTTOM_MARGIN;
    const slots = Math.max(3, Math.floor((width - labelW - headW - 8) / SLOT));
    const hMax = Math.min(1, niceCeil(maxAbs(result.layers.map((e) => e.hidden), 1e-3)));
    return { width, narrow, rows, bi, labelW, headW, top, rowY, tokenY, height, slots, hMax };
  }

  function layout() {
    const { result, cursor } = app;
    // Columns are the timeline's items: a word, the start step, or a whole padding block.
    const { items } = app.timeline;
    const K = items.length;
    const center = cursor && cursor.k !== null ? cursor.k : K - 1;
    const steps = visibleSteps(K, center, geo.slots);
    const stepsIn = (a, b) => { let n = 0; for (let k = a + 1; k < b; k++) n += items[k].n || 1; return n; };
    const xs = new Map();
    const gapList = [];
    let x = 0;
    steps.forEach((s, i) => {
      if (i > 0 && s - steps[i - 1] > 1) {
        gapList.push({ key: `${steps[i - 1]}-${s}`, x: x + ELLIPSIS / 2 + GAP / 2 - 4, hidden: stepsIn(steps[i - 1], s) });
        x += ELLIPSIS;
      }
      xs.set(s, x);
      x += SLOT;
    });
    const used = x - GAP + geo.headW;
    const offset = geo.labelW + Math.max(0, (geo.width - geo.labelW - used) / 2);
    for (const s of steps) xs.set(s, xs.get(s) + offset);
    for (const g of gapList) g.x += offset;
    return { steps, xs, gapList, headX: offset + x - GAP + HEAD_OFFSET };
  }

  function drawStatic() {
    const t = app.t;
    const { info, result } = app;
    svg.attr('width', geo.width).attr('height', geo.height).attr('viewBox', `0 0 ${geo.width} ${geo.height}`);
    labels.selectAll('*').remove();
    result.layers.forEach((entry, r) => {
      const y = geo.rowY(r) + CELL_H / 2;
      const dir = entry.direction === 'forward' ? '→' : '←';
      const g = labels.append('g');
      if (geo.narrow) {
        g.append('text').attr('x', 4).attr('y', geo.rowY(r) - SMALL_LABEL_ABOVE).attr('class', 'dg-rowlabel-small')
          .text(`${t('diagram.layerShort', { n: entry.layer + 1 })}${geo.bi ? ' ' + dir : ''}`);
      } else {
        g.append('text').attr('x', geo.labelW - ROW_LABEL_INSET).attr('y', y + ROW_LABEL_LINE.title).attr('text-anchor', 'end').attr('class', 'dg-rowlabel')
          .text(t('diagram.layer', { n: entry.layer + 1 }));
        g.append('text').attr('x', geo.labelW - ROW_LABEL_INSET).attr('y', y + ROW_LABEL_LINE.sub).attr('text-anchor', 'end').attr('class', 'dg-rowsub')
          .text(geo.bi ? `${dir} ${t(entry.direction === 'forward' ? 'diagram.forward' : 'diagram.backward')}` : `${info.units} ${t('diagram.units')}`);
      }
    });
    if (!geo.narrow) {
      labels.append('text').attr('x', geo.labelW - ROW_LABEL_INSET).attr('y', geo.tokenY + TOKEN_TEXT_Y).attr('text-anchor', 'end').attr('class', 'dg-rowlabel')
        .text(t('diagram.input'));
    }
    caption.selectAll('*').remove();
    caption.append('text').attr('class', 'dg-caption-text').attr('x', geo.width / 2).attr('y', CAPTION_Y).attr('text-anchor', 'middle')
      .text(t(`${geo.narrow ? 'diagram.sharedShort' : 'diagram.shared'}.${geo.rows > 1 ? 'rows' : 'one'}`, { cell: CELL_NAME[info.cell], T: result.steps }));
    caption.append('path').attr('class', 'dg-bracket');
    // The hₜ mosaics' colour scale, fitted to this trace (an LSTM's h is often within ±0.3 and would
    // wash out on ±1), said in words at the top left.
    if (!geo.narrow) {
      labels.append('text').attr('class', 'dg-rowsub dg-scale').attr('x', 4).attr('y', CAPTION_Y)
        .text(t('diagram.scale', { max: fmt(geo.hMax, geo.hMax < 1 ? 1 : 0) }));
    }
  }

  function columnEnter(enter) {
    const { result } = app;
    const g = enter.append('g').attr('class', 'dg-col').attr('opacity', 0);
    g.append('path').attr('class', 'dg-wire dg-input');
    result.layers.forEach((entry, r) => {
      const row = g.append('g').attr('class', 'dg-row').attr('data-row', r);
      row.append('path').attr('class', 'dg-wire dg-h');
      row.append('path').attr('class', 'dg-wire dg-up');
      if (geo.bi && r % 2 === 1) row.append('path').attr('class', 'dg-wire dg-input-bwd');
      row.append('rect').attr('class', 'dg-halo').attr('x', -HALO).attr('y', -HALO).attr('width', CELL_W + 2 * HALO).attr('height', CELL_H + 2 * HALO).attr('rx', CELL_RADIUS + 3);
      row.append('rect').attr('class', 'dg-cell').attr('width', CELL_W).attr('height', CELL_H).attr('rx', CELL_RADIUS);
      row.append('text').attr('class', 'dg-cellname').attr('x', CELL_W / 2).attr('y', CELL_TITLE_Y).attr('text-anchor', 'middle');
      row.append('g').attr('class', 'dg-mosaic');
      row.append('text').attr('class', 'dg-lbl dg-lbl-h').attr('text-anchor', 'middle');
      row.append('text').attr('class', 'dg-lbl dg-lbl-prev').attr('text-anchor', 'middle');
    });
    g.append('circle').attr('class', 'dg-readout').attr('r', READOUT_R);
    g.append('text').attr('class', 'dg-readout-label').attr('text-anchor', 'middle');
    g.append('rect').attr('class', 'dg-token').attr('width', CELL_W).attr('height', TOKEN_H).attr('rx', 6);
    g.append('text').attr('class', 'dg-token-text').attr('x', CELL_W / 2).attr('text-anchor', 'middle');
    g.append('text').attr('class', 'dg-step').attr('x', CELL_W / 2).attr('text-anchor', 'middle');
    g.append('text').attr('class', 'dg-lbl dg-lbl-x').attr('text-anchor', 'end');
    g.append('rect').attr('class', 'dg-hit').attr('x', -GAP / 2).attr('width', SLOT).attr('fill', 'transparent');
    return g;
  }

  function render(animate) {
    const { info, result, cursor, timeline } = app;
    const t = app.t;
    if (!result || !geo) return;
    const T = result.steps;
    const { items } = timeline;
    const K = items.length;
    const L = layout();
    // Too narrow for even the fewest columns with the head (a phone, a bidirectional model): draw at
    // the width the drawing needs and let the viewBox scale it into the panel, rather than cut off
    // the last column and the head.
    const needed = L.headX + geo.headW - HEAD_PAD + RIGHT_MARGIN;
    const drawW = Math.max(geo.width, needed);
    const k = geo.width / drawW;
    svg.attr('viewBox', `0 0 ${drawW} ${geo.height}`).attr('height', geo.height * k);
    const units = info.units;
    const color = activationScale(geo.hMax);
    const cols = Math.ceil(Math.sqrt(units));
    const rowsM = Math.ceil(units / cols);
    const sq = Math.min(MOSAIC_MAX_SQUARE, Math.floor(MOSAIC_SIZE / Math.max(cols, rowsM)));
    const mosaicX = (CELL_W - cols * sq) / 2;
    const mosaicY = MOSAIC_TOP + (MOSAIC_SIZE - rowsM * sq) / 2;
    const dur = animate ? duration(app.playing ? Math.min(MOVE_MS.playMax, MOVE_MS.playPerSpeed / app.speed) : MOVE_MS.step) : 0;
    const ct = cursor ? cursor.t : null;
    const ck = cursor ? cursor.k : null;
    const join = cursor && cursor.phase === 'join';
    const idx = new Map(L.steps.map((s, i) => [s, i]));
    const prevVisible = (s) => L.steps[idx.get(s) - 1];
    const nextVisible = (s) => L.steps[idx.get(s) + 1];
    const topRow = geo.rows - 1;
    const uniReadout = !!result.runningProbability;

    // Bracket under the caption, spanning the visible cells.
    const x0 = L.xs.get(L.steps[0]);
    const x1 = L.xs.get(L.steps[L.steps.length - 1]) + CELL_W;
    caption.select('.dg-bracket').attr('d', `M${x0},${BRACKET_Y[geo.narrow ? 'narrow' : 'wide']} v-${BRACKET_TICK} H${x1} v${BRACKET_TICK}`).attr('fill', 'none').attr('stroke', LINE);
    caption.select('.dg-caption-text').attr('x', drawW / 2);

    const col = columns.selectAll('g.dg-col').data(L.steps, (s) => s);
    col.exit().interrupt().remove();
    const entered = columnEnter(col.enter());
    entered.attr('transform', (s) => `translate(${lastPositions.has(s) ? lastPositions.get(s) : L.xs.get(s)},0)`);
    const all = entered.merge(col);
    all.interrupt().transition().duration(dur).attr('opacity', 1).attr('transform', (s) => `translate(${L.xs.get(s)},0)`);
    lastPositions = new Map(L.xs);

    all.each(function (k) {
      const g = select(this);
      const item = items[k];
      const s = itemStep(item);
      const block = item.kind === 'pad' && item.n > 1;
      const kind = item.kind;
      const word = block ? t('diagram.padBlockTitle', { n: item.n }) : stepWord(result, s);
      const isCur = ck === k;
      g.attr('data-step', s).classed('is-pad-block', block);
      const prev = prevVisible(k);
      const next = nextVisible(k);
      const leftSpace = prev === undefined ? EDGE_WIRE : k - prev > 1 ? GAP + ELLIPSIS : GAP;
      const rightSpace = next === undefined ? EDGE_WIRE : next - k > 1 ? GAP + ELLIPSIS : GAP;

      // Input word.
      const ty = geo.tokenY;
      g.select('.dg-token').attr('y', ty).attr('class', `dg-token dg-token-${kind}${isCur ? ' is-current' : ''}`);
      g.select('.dg-token-text').attr('y', ty + TOKEN_TEXT_Y).text(block ? t('diagram.padBlock', { n: item.n }) : kind === 'pad' ? t('diagram.pad') : shorten(word, TOKEN_CHARS));
      g.select('.dg-step').attr('y', ty + STEP_LABEL_Y).text(block ? `t=${item.from}–${item.to}` : `t=${s}`);
      g.select('.dg-hit').attr('y', 0).attr('height', geo.height)
        .on('click', () => onSeek(s))
        .select('title');
      g.select('.dg-hit').selectAll('title').data([0]).join('title').text(block ? word : `${t('diagram.step')} ${s}: ${word}`);
      const inputComputed = result.layers.some((e) => timeline.isComputed(cursor, e, itemStep(item, e.direction)));
      g.select('.dg-input').attr('d', `M${CELL_W / 2},${ty} V${geo.rowY(0) + CELL_H + 2}`)
        .attr('class', `dg-wire dg-input${inputComputed ? '' : ' is-faint'}`)
        .attr('marker-end', `url(#unroll-${inputComputed ? 'arrow' : 'arrow-faint'})`);
      g.select('.dg-lbl-x').attr('x', CELL_W / 2 + LABEL_SIDE.x).attr('y', ty - LABEL_GAP.x).text(isCur ? `x${SUB_T}` : '');

      result.layers.forEach((entry, r) => {
        const row = g.select(`.dg-row[data-row="${r}"]`);
        const y = geo.rowY(r);
        row.attr('transform', `translate(0,${y})`);
        const rs = itemStep(item, entry.direction); // the step this row shows in this column
        const computed = timeline.isComputed(cursor, entry, rs);
        const active = isCur && timeline.isActive(cursor, entry);
        const fwd = entry.direction === 'forward';
        row.select('.dg-cell').attr('class', `dg-cell${computed ? '' : ' is-future'}${active ? ' is-current' : ''}`);
        row.select('.dg-halo').attr('opacity', active ? 1 : 0);
        row.select('.dg-cellname').text(CELL_NAME[info.cell]);
        const h = entry.hidden;
        row.select('.dg-mosaic').selectAll('rect').data(Array.from({ length: units }, (_, u) => u)).join('rect')
          .attr('x', (u) => mosaicX + (u % cols) * sq).attr('y', (u) => mosaicY + Math.floor(u / cols) * sq)
          .attr('width', sq - 1).attr('height', sq - 1).attr('rx', 1)
          .attr('fill', (u) => (computed ? color(h[rs * units + u]) : '#eef0f4'));
        // h arriving from the previous step (left for forward, right for backward).
        const hComputed = computed;
        const dashed = fwd ? prev !== undefined && k - prev > 1 : next !== undefined && next - k > 1;
        const hd = fwd
          ? `M${-leftSpace + 2},${CELL_H / 2} H${-1}`
          : `M${CELL_W + rightSpace - 2},${CELL_H / 2} H${CELL_W + 1}`;
        row.select('.dg-h').attr('d', hd)
          .attr('class', `dg-wire dg-h${hComputed ? '' : ' is-faint'}${dashed ? ' is-dashed' : ''}${active ? ' is-accent' : ''}`)
          .attr('marker-end', `url(#unroll-${active ? 'arrow-accent' : hComputed ? 'arrow' : 'arrow-faint'})`);
        const first = fwd ? k === 0 : k === K - 1;
        row.select('.dg-lbl-prev')
          .attr('x', fwd ? -leftSpace / 2 : CELL_W + rightSpace / 2).attr('y', CELL_H / 2 - LABEL_GAP.prev)
          .text(active ? (first ? 'h=0' : fwd ? `h${SUB_T}₋₁` : `h${SUB_T}₊₁`) : first && !geo.narrow ? '0' : '');
        row.select('.dg-lbl-h').attr('x', CELL_W / 2 + LABEL_SIDE.h).attr('y', -LABEL_GAP.h).text(active ? `h${SUB_T}` : '');
        // h going up: to the next layer, or to the running readout on top.
        const isTop = r === topRow;
        let upD = '';
        if (!isTop && (!geo.bi || r % 2 === 1)) upD = `M${CELL_W / 2},-1 V${-ROW_GAP + 2}`;
        if (isTop && uniReadout) upD = `M${CELL_W / 2},-1 V${-ROW_GAP + READOUT_WIRE_STOP}`;
        if (geo.bi && r % 2 === 0 && r + 2 < geo.rows) upD = ''; // forward row: its output joins via the backward row above
        row.select('.dg-up').attr('d', upD)
          .attr('class', `dg-wire dg-up${computed ? '' : ' is-faint'}`)
          .attr('marker-end', upD ? `url(#unroll-${computed ? 'arrow' : 'arrow-faint'})` : null);
        if (geo.bi && r % 2 === 1) {
          // The backward row of a layer reads the same input as the forward row: routed through the gap.
          const below = r === 1 ? geo.tokenY : geo.rowY(r - 2);
          const gx = CELL_W + GAP / 2 - 2;
          const startY = below - y;
          const xIn = CELL_W / 2 + BWD_INPUT.dx;
          const d = `M${xIn},${startY} V${startY - BWD_INPUT.rise} H${gx} V${CELL_H + BWD_INPUT.below} H${xIn} V${CELL_H + 2}`;
          row.select('.dg-input-bwd').attr('d', d).attr('fill', 'none')
            .attr('class', `dg-wire dg-input-bwd${computed ? '' : ' is-faint'}`)
            .attr('marker-end', `url(#unroll-${computed ? 'arrow' : 'arrow-faint'})`);
        }
      });

      // Running readout p_t (unidirectional models only).
      const topEntry = result.layers[topRow];
      const topComputed = timeline.isComputed(cursor, topEntry, s);
      const ry = geo.rowY(topRow) - ROW_GAP + READOUT_ABOVE;
      g.select('.dg-readout').attr('cx', CELL_W / 2).attr('cy', ry).attr('display', uniReadout ? null : 'none')
        .attr('fill', uniReadout && topComputed ? probabilityColor(result.runningProbability[s]) : '#f1f3f7')
        .attr('class', `dg-readout${isCur ? ' is-current' : ''}`);
      g.select('.dg-readout-label').attr('x', CELL_W / 2).attr('y', ry - LABEL_GAP.readout)
        .text(uniReadout && isCur ? `p=${fmt(result.runningProbability[s], 2)}` : '');
    });

    // Ellipses between non-adjacent visible steps.
    gaps.selectAll('g').data(L.gapList, (d) => d.key).join(
      (enter) => {
        const g = enter.append('g');
        g.append('text').attr('class', 'dg-gap-dots').attr('text-anchor', 'middle');
        g.append('text').attr('class', 'dg-gap-n').attr('text-anchor', 'middle');
        return g;
      },
    ).each(function (d) {
      const g = select(this);
      g.select('.dg-gap-dots').attr('x', d.x).attr('y', geo.tokenY + TOKEN_TEXT_Y + 1).text('⋯');
      g.select('.dg-gap-n').attr('x', d.x).attr('y', geo.tokenY + STEP_LABEL_Y).text(`+${d.hidden}`);
    }).attr('opacity', 1);

    // Head: σ(w·h + b) on the last state(s).
    head.selectAll('*').remove();
    const hx = L.headX;
    const headDone = geo.bi ? join : ck === K - 1;
    const fwdTop = geo.bi ? topRow - 1 : topRow;
    const hy = (geo.bi ? (geo.rowY(topRow) + geo.rowY(fwdTop) + CELL_H) / 2 : geo.rowY(topRow) + CELL_H / 2) - HEAD_H / 2;
    const hw = geo.headW - HEAD_PAD;
    const xLast = L.xs.get(K - 1) + CELL_W;
    const wireCls = (on) => `dg-wire${on ? (headDone ? ' is-accent' : '') : ' is-faint'}`;
    const lastDone = timeline.isComputed(cursor, result.layers[fwdTop], T - 1);
    head.append('path').attr('d', `M${xLast + 1},${geo.rowY(fwdTop) + CELL_H / 2} H${hx - 8} V${hy + HEAD_H / 2} H${hx - 1}`)
      .attr('fill', 'none').attr('class', wireCls(lastDone))
      .attr('marker-end', `url(#unroll-${lastDone ? (headDone ? 'arrow-accent' : 'arrow') : 'arrow-faint'})`);
    if (geo.bi) {
      const x0b = L.xs.get(0) + CELL_W / 2;
      const yTop = geo.rowY(topRow);
      const bwdDone = timeline.isComputed(cursor, result.layers[topRow], 0);
      head.append('path').attr('d', `M${x0b},${yTop - 1} V${yTop - BWD_HEAD_WIRE} H${hx + hw / 2} V${hy - 1}`)
        .attr('fill', 'none').attr('class', wireCls(bwdDone))
        .attr('marker-end', `url(#unroll-${bwdDone ? (headDone ? 'arrow-accent' : 'arrow') : 'arrow-faint'})`);
      head.append('text').attr('class', 'dg-lbl').attr('x', hx + hw / 2 - BWD_HEAD_LABEL.left).attr('y', yTop - BWD_HEAD_LABEL.above).attr('text-anchor', 'end').text(t('diagram.bwdFinal'));
    }
    head.append('rect').attr('x', hx).attr('y', hy).attr('width', hw).attr('height', HEAD_H).attr('rx', CELL_RADIUS + 1)
      .attr('class', `dg-headbox${headDone ? ' is-done' : ''}`)
      .attr('fill', headDone ? probabilityTint(result.probability) : '#fff');
    head.append('text').attr('class', 'dg-head-title').attr('x', hx + hw / 2).attr('y', hy + HEAD_LINE.title).attr('text-anchor', 'middle').text(geo.narrow ? 'σ(·)' : 'σ(w·h+b)');
    head.append('text').attr('class', 'dg-head-p').attr('x', hx + hw / 2).attr('y', hy + HEAD_LINE.p).attr('text-anchor', 'middle')
      .text(headDone ? `p=${fmt(result.probability, 2)}` : 'p=?');
    head.append('text').attr('class', 'dg-rowsub').attr('x', hx + hw / 2).attr('y', hy + HEAD_LINE.verdict).attr('text-anchor', 'middle')
      .text(headDone ? t(`verdict.${verdictOf(result).kind === 'unknown' ? 'short.unknown' : verdictOf(result).kind}`) : t('diagram.head'));

    const word = ct !== null ? stepWord(result, ct) : '';
    svg.attr('aria-label', join
      ? t('diagram.ariaJoin', { p: Math.round(result.probability * 100) })
      : t('diagram.aria', { t: ct, T, word, layers: info.layers }));
  }

  return {
    node: () => svg.node(),
    data(a) {
      app = a;
      columns.selectAll('*').remove();
      gaps.selectAll('*').remove();
      lastPositions = new Map();
      if (!a.result || !a.result.steps) { svg.attr('height', 0); geo = null; return; }
      geo = geometry();
      drawStatic();
      render(false);
    },
    cursor(a) {
      app = a;
      render(true);
    },
  };
}

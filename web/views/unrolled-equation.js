// The tutorial's equation (3), unrolled: hₜ = f(U·xₜ + W·hₜ₋₁ + b), and hₜ₋₁ is itself
// f(U·xₜ₋₁ + W·hₜ₋₂ + b), and so on. For the current step the nesting is written out DEPTH steps deep,
// and under it each level's numbers for the selected unit, read from the trace: what the word brought
// (U·x), what memory brought (W·h), the bias, the sum and the state f made of it. The state of one
// level is the memory of the level above: "the memory is the previous step's output", seen.
// Every number comes from the run result; the page adds nothing up itself.
import { fmt, stepWord } from '../ui/format.js';

const DEPTH = 3;
const SUBSCRIPT = '₀₁₂₃₄₅₆₇₈₉';
const sub = (n) => String(n).replace(/\d/g, (d) => SUBSCRIPT[d]);
const F = { simple_rnn: 'tanh', lstm: 'LSTM', gru: 'GRU' };

/** The nested formula: h_s = f(U·x_s + W·f(U·x_{s−1} + W·h_{s−2} + b) + b), `levels` steps deep. */
export function nestedFormula(fName, steps, prevOf) {
  let inner = `h${sub(prevOf(steps[steps.length - 1]))}`;
  for (let k = steps.length - 1; k >= 0; k--) inner = `${fName}( U·x${sub(steps[k])} + W·${inner} + b )`;
  return `h${sub(steps[0])} = ${inner}`;
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A number cell with its exact value kept for tests and screen readers. */
function num(v, term, s) {
  const e = el('td', 'ue-num', fmt(v, 3));
  e.dataset.term = term;
  e.dataset.step = String(s);
  e.dataset.value = String(v);
  return e;
}

/** Draws the unrolled equation for result.layers[ei] at the cursor into `root` (a d3 selection). */
export function renderUnrolled(root, app, ei) {
  const { info, result, cursor } = app;
  const t = app.t;
  const entry = result.layers[ei];
  if (!entry || !cursor || cursor.t === null) return;
  const H = info.units;
  const G = info.gateNames.length;
  const u = Math.min(app.selection.unit, H - 1);
  const fwd = entry.direction === 'forward';
  const prevOf = (s) => (fwd ? s - 1 : s + 1);
  const inRange = (s) => s >= 0 && s < result.steps;
  const steps = [cursor.t];
  while (steps.length < DEPTH && inRange(prevOf(steps[steps.length - 1]))) steps.push(prevOf(steps[steps.length - 1]));
  const fName = F[info.cell] || 'f';
  const box = root.node();
  box.append(el('h3', 'ue-title', t('ue.title')));
  box.append(el('p', 'ue-intro', t(`ue.intro.${info.cell === 'simple_rnn' ? 'simple' : 'gated'}`, { unit: u, layer: entry.layer + 1 })));
  const formula = el('p', 'ue-formula', nestedFormula(fName, steps, prevOf));
  formula.dataset.depth = String(steps.length);
  box.append(formula);
  const table = el('table', 'ue-table');
  table.dataset.unit = String(u);
  table.dataset.entry = String(ei);
  const head = el('tr');
  for (const key of ['ue.step', 'ue.ux', 'ue.wh', 'ue.b', 'ue.sum', 'ue.h']) head.append(el('th', null, t(key)));
  const thead = el('thead');
  thead.append(head);
  table.append(thead);
  const body = el('tbody');
  const bias = result.bias && result.bias[ei];
  // Gated cells: the candidate's block (c̃ for LSTM, n for GRU) is the one that writes new content.
  const block = info.cell === 'simple_rnn' ? 0 : Math.max(0, info.gateNames.indexOf(info.cell === 'lstm' ? 'c' : 'n'));
  const col = block * H + u;
  for (const s of steps) {
    const tr = el('tr');
    tr.dataset.step = String(s);
    const first = inRange(prevOf(s));
    const word = stepWord(result, s);
    tr.append(el('th', 'ue-where', `t=${s} · ${word}`));
    tr.append(num(entry.inputPart[s * G * H + col], 'ux', s));
    tr.append(num(entry.recurrentPart[s * G * H + col], 'wh', s));
    tr.append(num(bias ? bias[col] : NaN, 'b', s));
    tr.append(num(entry.preactivation[s * G * H + col], 'sum', s));
    tr.append(num(entry.hidden[s * H + u], 'h', s));
    if (!first) tr.classList.add('is-first');
    body.append(tr);
  }
  table.append(body);
  const wrap = el('div', 'ue-table-wrap');
  // It scrolls sideways at 360 px: focusable, so a keyboard can scroll it too (axe scrollable-region-focusable).
  wrap.tabIndex = 0;
  wrap.setAttribute('role', 'region');
  wrap.setAttribute('aria-label', t('sec.equation'));
  wrap.append(table);
  box.append(wrap);
  const last = steps[steps.length - 1];
  box.append(el('p', 'ue-note', inRange(prevOf(last))
    ? t('ue.memoryNote', { s: last, prev: prevOf(last), h: fmt(entry.hidden[prevOf(last) * H + u], 3) })
    : t('ue.startNote')));
}

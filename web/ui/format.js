// Small text helpers shared by the views.

const MINUS = '\u2212';

/** Fixed-precision number with a real minus sign (and "+" when signed). */
export function fmt(v, digits = 2, signed = false) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const s = Math.abs(v).toFixed(digits);
  if (v < 0 && Number(s) !== 0) return MINUS + s;
  return (signed ? '+' : '') + s;
}

export const pct = (p) => `${Math.round(p * 100)}%`;

/** Integer with thousands separators. */
export const count = (n) => n.toLocaleString('en-US');

/** At most n characters (by code point), with an ellipsis. */
export function shorten(s, n) {
  const chars = Array.from(s);
  return chars.length <= n ? s : chars.slice(0, n - 1).join('') + '…';
}

/** What step t shows as a word: the review's own spelling, or a marker for padding/start. */
export function stepWord(result, t) {
  if (t === null || t === undefined || t < 0 || t >= result.steps) return '';
  const k = result.tokenIndex[t];
  if (k >= 0) return result.text.slice(result.tokens[k].begin, result.tokens[k].end);
  return result.ids[t] === 1 ? '⟨start⟩' : '⟨pad⟩';
}

/** Kind of step t: 'word' | 'start' | 'pad'. */
export function stepKind(result, t) {
  if (result.tokenIndex[t] >= 0) return 'word';
  return result.ids[t] === 1 ? 'start' : 'pad';
}

/** L1 norm of a slice. */
export function l1(arr) {
  let s = 0;
  for (let i = 0; i < arr.length; i++) s += Math.abs(arr[i]);
  return s;
}

/** Largest |value| of typed arrays (at least `floor`). */
export function maxAbs(arrays, floor = 1e-6) {
  let m = floor;
  for (const a of arrays) if (a) for (let i = 0; i < a.length; i++) if (Math.abs(a[i]) > m && Number.isFinite(a[i])) m = Math.abs(a[i]);
  return m;
}

/** The smallest of 1, 2, 5 × 10^k at or above v (a scale's end that reads well). */
export function niceCeil(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((c) => c >= v * 0.999);
}

// Maps the player's position to what the network is doing at that moment.
//
// The steps are first grouped into items: each word (and the start step) is an item of its own, and
// a run of padding steps is ONE item, the padding block, unless the reader expands it. A learner who
// presses Play sees words, not 77 identical padding steps; scrubbing crosses the block in one step.
// (A model that masks padding has no padding steps at all: every item is one step.)
//
// Unidirectional: every layer advances together, position = item index.
// Bidirectional: for each layer, a forward sweep (items 0 … K-1), then a backward sweep (K-1 … 0);
// after the top layer, one last position where the two final states join in the head.
// A padding block shows, for a forward row, the state after its last step, and for a backward row
// the state after its first step (the backward sweep reads it from the end).
import { stepKind } from '../ui/format.js';

/**
 * Items of a result: [{ kind: 'pad', from, to, n } | { kind: 'start' | 'word', t }] in step order.
 * With `expand`, every padding step is an item of its own ({ kind: 'pad', from: t, to: t, n: 1 }).
 */
export function stepItems(result, expand = false) {
  const items = [];
  for (let t = 0; t < result.steps; t++) {
    const kind = stepKind(result, t);
    if (kind !== 'pad') { items.push({ kind, t }); continue; }
    const last = items[items.length - 1];
    if (!expand && last && last.kind === 'pad' && last.to === t - 1) { last.to = t; last.n++; continue; }
    items.push({ kind: 'pad', from: t, to: t, n: 1 });
  }
  return items;
}

/** The step an item stands for in a row reading in `direction` (see the header). */
export const itemStep = (item, direction = 'forward') => (item.kind === 'pad' ? (direction === 'backward' ? item.from : item.to) : item.t);

/** The steps an item covers, [from, to] inclusive: a run of padding, or a single step. */
export const itemRange = (item) => (item.kind === 'pad' ? [item.from, item.to] : [item.t, item.t]);

/** Number of padding steps in a result (0 for a model that masks padding). */
export function paddingSteps(result) {
  let n = 0;
  for (let t = 0; t < result.steps; t++) if (stepKind(result, t) === 'pad') n++;
  return n;
}

/**
 * @returns {{ length, bidirectional, steps, items, expanded, padding, home, cursorAt(pos), positionOf(t, like, entry),
 *   itemIndexOf(t), isComputed(cursor, entry, t), isActive(cursor, entry) }}
 *   home: the position of the first word (Play, Home and a fresh load start there).
 */
export function makeTimeline(info, result, { expand = false } = {}) {
  const T = result.steps;
  const items = stepItems(result, expand);
  const K = items.length;
  const bi = !!info.bidirectional;
  const L = info.layers;
  const length = K === 0 ? 0 : bi ? 2 * L * K + 1 : K;
  const indexOfStep = new Int32Array(T);
  items.forEach((item, k) => {
    const [from, to] = itemRange(item);
    for (let t = from; t <= to; t++) indexOfStep[t] = k;
  });
  const itemIndexOf = (t) => indexOfStep[Math.max(0, Math.min(T - 1, t))];

  function cursorAt(pos) {
    if (!bi) {
      const item = items[pos];
      return { pos, k: pos, item, t: itemStep(item), layer: null, direction: 'forward', phase: 'forward' };
    }
    if (pos >= 2 * L * K) return { pos, k: null, item: null, t: null, layer: L - 1, direction: null, phase: 'join' };
    const layer = Math.floor(pos / (2 * K));
    const j = pos - layer * 2 * K;
    const forward = j < K;
    const k = forward ? j : 2 * K - 1 - j;
    const direction = forward ? 'forward' : 'backward';
    return { pos, k, item: items[k], t: itemStep(items[k], direction), layer, direction, phase: direction };
  }

  /** Position showing step t, staying in the layer/direction of `like` when it has one. */
  function positionOf(t, like = null, entry = null) {
    const k = itemIndexOf(t);
    if (!bi) return k;
    const layer = entry ? entry.layer : like && like.layer !== null ? like.layer : 0;
    const dir = entry ? entry.direction : like && like.direction ? like.direction : 'forward';
    return layer * 2 * K + (dir === 'forward' ? k : 2 * K - 1 - k);
  }

  /** Whether entry (a result.layers item) has already computed step t at this cursor. */
  function isComputed(cursor, entry, t) {
    if (!cursor) return false;
    if (!bi) return t <= cursor.t;
    if (cursor.phase === 'join' || entry.layer < cursor.layer) return true;
    if (entry.layer > cursor.layer) return false;
    if (entry.direction === 'forward') return cursor.direction === 'backward' || t <= cursor.t;
    return cursor.direction === 'backward' && t >= cursor.t;
  }

  /** Whether entry is the one computing at this cursor (every layer, for unidirectional models). */
  function isActive(cursor, entry) {
    if (!cursor || cursor.phase === 'join') return false;
    return !bi || (entry.layer === cursor.layer && entry.direction === cursor.direction);
  }

  const firstWord = items.findIndex((item) => item.kind === 'word');
  const home = K === 0 ? 0 : firstWord >= 0 ? firstWord : K - 1;
  const padding = paddingSteps(result);

  return { length, bidirectional: bi, steps: T, items, expanded: expand, padding, home, cursorAt, positionOf, itemIndexOf, isComputed, isActive };
}

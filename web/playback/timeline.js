// Maps the player's position to what the network is doing at that moment.
// Unidirectional: every layer advances together, position = step t.
// Bidirectional: for each layer, a forward sweep (t = 0 … T-1), then a backward sweep
// (t = T-1 … 0); after the top layer, one last position where the two final states join in the head.

/** @returns {{ length, bidirectional, steps, cursorAt(pos), positionOf(t, like), isComputed(cursor, entry, t), isActive(cursor, entry) }} */
export function makeTimeline(info, steps) {
  const T = steps;
  const bi = !!info.bidirectional;
  const L = info.layers;
  const length = T === 0 ? 0 : bi ? 2 * L * T + 1 : T;

  function cursorAt(pos) {
    if (!bi) return { pos, t: pos, layer: null, direction: 'forward', phase: 'forward' };
    if (pos >= 2 * L * T) return { pos, t: null, layer: L - 1, direction: null, phase: 'join' };
    const layer = Math.floor(pos / (2 * T));
    const k = pos - layer * 2 * T;
    return k < T
      ? { pos, t: k, layer, direction: 'forward', phase: 'forward' }
      : { pos, t: 2 * T - 1 - k, layer, direction: 'backward', phase: 'backward' };
  }

  /** Position showing step t, staying in the layer/direction of `like` when it has one. */
  function positionOf(t, like = null, entry = null) {
    if (!bi) return t;
    const layer = entry ? entry.layer : like && like.layer !== null ? like.layer : 0;
    const dir = entry ? entry.direction : like && like.direction ? like.direction : 'forward';
    return layer * 2 * T + (dir === 'forward' ? t : 2 * T - 1 - t);
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

  return { length, bidirectional: bi, steps: T, cursorAt, positionOf, isComputed, isActive };
}

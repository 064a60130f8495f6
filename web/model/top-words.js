// A first-layer unit's top words (model.topWords), asked of the worker once per unit and model.

const TOP_WORDS = 8; // words per direction in the unit view

/** { fetch(layer, direction, unit) → Promise, peek(...) → value | null, reset() } */
export function createTopWords(client) {
  let cache = new Map(); // key → promise, with .value once it resolves ({positive, negative} or {error})

  function fetch(layer, direction, unit) {
    const key = `${layer}:${direction}:${unit}`;
    if (!cache.has(key)) {
      const pending = client.topWords(layer, direction, unit, TOP_WORDS)
        .catch((err) => ({ error: String(err.message || err) }))
        .then((top) => { pending.value = top; return top; });
      cache.set(key, pending);
    }
    return cache.get(key);
  }

  return {
    fetch,
    /** The words if cached; else null, and `onArrive` runs when they come (unless reset() meanwhile). */
    peek(layer, direction, unit, onArrive) {
      const pending = fetch(layer, direction, unit);
      if (pending.value) return pending.value;
      const mine = cache;
      pending.then(() => { if (mine === cache) onArrive(); });
      return null;
    },
    reset() { cache = new Map(); },
  };
}

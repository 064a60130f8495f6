// Transitions respect prefers-reduced-motion: with it, every change is immediate.
const query = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null;

export const reducedMotion = () => !!(query && query.matches);

/** Duration to use for a transition that would take `ms`. */
export const duration = (ms) => (reducedMotion() ? 0 : ms);

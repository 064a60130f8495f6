// Keyboard: ←/→ step, space play/pause, Home/End — unless the focus is in a field that uses them.

const FIELDS = new Set(['TEXTAREA', 'INPUT', 'SELECT']);
const ACTIVATORS = new Set(['BUTTON', 'SUMMARY', 'A']); // space presses these

/** Binds the keys on document; `enabled()` says whether there is anything to step through. */
export function bindPlaybackKeys(player, enabled) {
  const actions = {
    ArrowLeft: () => player.step(-1),
    ArrowRight: () => player.step(1),
    ' ': () => player.toggle(),
    Home: () => player.start(),
    End: () => player.end(),
  };
  document.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
    const target = e.target;
    const tag = target && target.tagName;
    if (FIELDS.has(tag) || (target && target.isContentEditable)) return;
    if (target && target.closest && target.closest('[data-own-keys]')) return; // widgets with their own arrow keys
    if (e.key === ' ' && ACTIVATORS.has(tag)) return;
    if (!Object.hasOwn(actions, e.key) || !enabled()) return;
    e.preventDefault();
    actions[e.key]();
  });
}

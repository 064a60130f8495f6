// Undo an edit of the review with one key: u, or Ctrl+Z / ⌘Z — but never while the focus is in a
// field (the textarea has its own Ctrl+Z, for what was typed).

const FIELDS = new Set(['TEXTAREA', 'INPUT', 'SELECT']);

/** Binds the keys on document; `enabled()` says whether there is an edit to undo. */
export function bindUndoKeys(onUndo, enabled) {
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.altKey || e.shiftKey) return;
    const target = e.target;
    if (target && (FIELDS.has(target.tagName) || target.isContentEditable)) return;
    const plain = !e.ctrlKey && !e.metaKey && (e.key === 'u' || e.key === 'U');
    const chord = (e.ctrlKey || e.metaKey) && (e.key === 'z' || e.key === 'Z');
    if ((!plain && !chord) || !enabled()) return;
    e.preventDefault();
    onUndo();
  });
}

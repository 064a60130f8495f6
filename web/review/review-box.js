// The review box. It holds what the reader typed, except a review too long to lay out: Chromium
// lays out a textarea's whole value on every frame that touches it (a 10 MB paste of mixed text,
// CJK and emoji kept the page frozen for 9 s before the network had read a word). A review longer
// than HUGE_CHARS is therefore kept whole in memory, for the network, and the box shows only its
// beginning and end, read-only, with a note that says so and a button that clears it.
import { count } from '../ui/format.js';

export const HUGE_CHARS = 100_000; // ~20,000 words; the longest IMDB review is ~14,000 characters
const SHOWN = 5_000;               // characters shown at each end of a huge review

export function createReviewBox(textarea, note, { onInput, t: tr }) {
  let text = textarea.value;
  let excerpt = null; // what the box shows of a huge review
  const message = document.createElement('span');
  const clear = document.createElement('button');
  clear.type = 'button';
  clear.className = 'link-button';
  clear.addEventListener('click', () => {
    show('');
    onInput('');
    textarea.focus();
  });
  note.replaceChildren(message, ' ', clear);

  const isHuge = () => text.length > HUGE_CHARS;

  function renderNote() {
    const t = tr();
    note.hidden = !isHuge();
    if (!isHuge()) return;
    message.textContent = t('review.huge', { chars: count(text.length), shown: count(SHOWN) });
    clear.textContent = t('review.clear');
  }

  /** Puts `value` in the box: all of it, or for a huge review its two ends around a marker. */
  function show(value) {
    text = value;
    const huge = isHuge();
    excerpt = huge
      ? `${value.slice(0, SHOWN)}\n\n${tr()('review.elided', { n: count(value.length - 2 * SHOWN) })}\n\n${value.slice(-SHOWN)}`
      : null;
    textarea.readOnly = huge;
    textarea.value = huge ? excerpt : value;
    renderNote();
  }

  textarea.addEventListener('input', () => {
    const value = textarea.value;
    if (value === excerpt) return; // nothing new: the box still shows the huge review
    // Set by a script or a paste the handler below did not see: swap a huge value out now, in the
    // same task, so the browser never lays the whole of it out (and leave huge mode for a short one).
    if (value.length > HUGE_CHARS || excerpt !== null) show(value);
    else text = value;
    onInput(value);
  });

  // A paste that would make the review huge never reaches the textarea; in a huge review's
  // read-only box, a paste replaces the review.
  textarea.addEventListener('paste', (event) => {
    const pasted = event.clipboardData ? event.clipboardData.getData('text/plain') : '';
    if (!pasted) return;
    const next = textarea.readOnly
      ? pasted
      : text.slice(0, textarea.selectionStart) + pasted + text.slice(textarea.selectionEnd);
    if (!textarea.readOnly && next.length <= HUGE_CHARS) return; // the browser's own paste (undo works)
    event.preventDefault();
    show(next);
    onInput(next);
  });

  return {
    get text() { return text; },
    /** Replaces the review (an example, the link's text) without an input event. */
    set: show,
    /** Re-renders the note and the marker in the current language. */
    refresh() { if (isHuge()) show(text); },
  };
}

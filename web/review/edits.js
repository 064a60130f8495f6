// Editing the review in place (issue #17 item 2): what an edit does to the text, the history of
// edits with its undo, and which step of the edited review stands where in the original. Pure: no
// DOM, no model; main.js runs the texts, web/views/word-menu.js offers the edits.
//
// An edit is made on a token of the latest result ({begin, end}: UTF-16 offsets into its text):
//   { kind: 'delete' } · { kind: 'replace', word } · { kind: 'insert', word } (before the token).
// The edited review is plain text, so the network reads it exactly as if it had been typed.

/** The text with `token` edited. A deletion also takes one space with it, so no gap is left. */
export function applyEdit(text, token, edit) {
  const { begin, end } = token;
  if (!(begin >= 0 && end >= begin && end <= text.length)) throw new RangeError(`applyEdit: token ${begin}–${end} outside the text`);
  if (edit.kind === 'replace') return text.slice(0, begin) + edit.word + text.slice(end);
  if (edit.kind === 'insert') return `${text.slice(0, begin)}${edit.word} ${text.slice(begin)}`;
  if (edit.kind === 'delete') {
    // "a good film." → "a film." (the space after it); "a good film." minus "film" → "a good." (before it).
    if (/\s/.test(text[end] || '')) return text.slice(0, begin) + text.slice(end + 1);
    if (begin > 0 && /\s/.test(text[begin - 1])) return text.slice(0, begin - 1) + text.slice(end);
    return text.slice(0, begin) + text.slice(end);
  }
  throw new TypeError(`applyEdit: unknown edit ${edit.kind}`);
}

/**
 * The history of one editing session: the original review, and the texts before each edit (the
 * undo stack). `original` is null when the review is not being edited.
 */
export function createEditHistory(original = null) {
  let base = original;
  const before = []; // texts before each edit, oldest first
  return {
    get original() { return base; },
    /** Edits made since the original (undo steps available). */
    get count() { return before.length; },
    /** Whether `text` is an edited version of the original. */
    isEdited: (text) => base !== null && text !== base,
    /** Records an edit of `from` (starting a session with `from` as the original if none). */
    record(from) {
      if (base === null) base = from;
      before.push(from);
    },
    /** The text before the last edit, or null if there is none. */
    undo: () => (before.length ? before.pop() : null),
    /** Back to the original: returns it (null if not editing) and forgets the edits. */
    reset() {
      const out = base;
      before.length = 0;
      return out;
    },
    /** Ends the session (the reader typed a review of their own, or picked an example). */
    clear() {
      base = null;
      before.length = 0;
    },
  };
}

/**
 * Which step of the original each step of the edited review corresponds to: Int32Array(edited.steps)
 * of original steps, −1 where there is none (a word that is new, padding). Words are matched by a
 * longest common subsequence of the two token lists (by id and text), so the same word in the same
 * place of the sentence is the same column, whatever was inserted or deleted before it; the start
 * steps match each other. `original` and `edited` are run() results (docs/js-api.md).
 */
export function alignSteps(original, edited) {
  const a = original.tokens;
  const b = edited.tokens;
  const n = a.length;
  const m = b.length;
  const same = (i, j) => a[i].id === b[j].id && a[i].text === b[j].text;
  // lcs[i][j] = LCS of a[i:] and b[j:], in one flat array.
  const lcs = new Uint16Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = same(i, j) ? lcs[(i + 1) * (m + 1) + j + 1] + 1
        : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  const tokenMatch = new Int32Array(m).fill(-1);
  for (let i = 0, j = 0; i < n && j < m;) {
    if (same(i, j)) { tokenMatch[j] = i; i++; j++; } else if (lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) i++; else j++;
  }
  const startOf = (r) => { for (let t = 0; t < r.steps; t++) if (r.tokenIndex[t] < 0 && r.ids[t] === 1) return t; return -1; };
  const originalStart = startOf(original);
  const map = new Int32Array(edited.steps).fill(-1);
  for (let t = 0; t < edited.steps; t++) {
    const k = edited.tokenIndex[t];
    if (k >= 0) {
      const j = tokenMatch[k];
      map[t] = j >= 0 ? a[j].position : -1;
    } else if (edited.ids[t] === 1) {
      map[t] = originalStart;
    }
  }
  return map;
}

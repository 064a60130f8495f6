// The word menu: what can be done to one word of the review (issue #17 item 2). Opened by clicking
// a word chip (web/views/tokens.js) or pressing Enter on it; offers delete, insert "not" before it,
// and replacement by its nearest words in the embedding or by words of the opposite effect, both
// asked of the model in the worker (main.js: client.suggest). The focus stays on the chip (the chips
// keep their arrow keys); the menu is the next tab stop after them. Escape (on the chip or in the
// menu) or ✕ closes it, the focus back on the chip. Inline under the chips (not a popover): nothing
// is covered, at 360 px too.
import { select } from 'd3-selection';
import { fmt, shorten } from '../ui/format.js';

const SHOWN = 8; // suggestions per list

/**
 * `suggest(id)` → Promise<{ near: [{id, word, similarity}], opposite: [{id, word, effect}], effect }>;
 * `onEdit(token, edit)` applies an edit (web/review/edits.js) to the token of the current result.
 */
export function createWordMenu(root, { suggest, onEdit, t: tr }) {
  const box = select(root).attr('class', 'word-menu').attr('role', 'group').attr('hidden', true);
  let open = null; // { token, label, chip }
  let answer = null; // suggestions for open.token, once they arrive
  let asked = 0;

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !open) return;
    const focus = document.activeElement;
    if (!root.contains(focus) && focus !== open.chip) return;
    event.preventDefault();
    close(true);
  });

  function close(returnFocus) {
    const chip = open && open.chip;
    open = null;
    answer = null;
    box.attr('hidden', true).selectAll('*').remove();
    if (returnFocus && chip && chip.isConnected) chip.focus();
  }

  function edit(e) {
    if (!open) return;
    const { token } = open;
    close(false);
    onEdit(token, e);
  }

  function render() {
    const t = tr();
    box.selectAll('*').remove();
    if (!open) return;
    const { token, label } = open;
    box.attr('aria-label', t('edit.menuLabel', { word: label }));
    const head = box.append('div').attr('class', 'wm-head');
    head.append('span').attr('class', 'wm-title').attr('aria-live', 'polite').text(t('edit.menuTitle', { word: label }));
    head.append('button').attr('type', 'button').attr('class', 'wm-close link-button')
      .attr('aria-label', t('edit.close')).attr('title', `${t('edit.close')} (Esc)`).text('✕')
      .on('click', () => close(true));
    const actions = box.append('div').attr('class', 'wm-actions');
    actions.append('button').attr('type', 'button').attr('class', 'wm-delete').text(t('edit.delete'))
      .on('click', () => edit({ kind: 'delete' }));
    actions.append('button').attr('type', 'button').attr('class', 'wm-not').text(t('edit.insertNot'))
      .on('click', () => edit({ kind: 'insert', word: 'not' }));
    if (token.oov) {
      box.append('p').attr('class', 'wm-note').text(t('edit.oov'));
      return;
    }
    if (!answer) {
      box.append('p').attr('class', 'wm-note').attr('role', 'status').text(t('edit.looking'));
      return;
    }
    const list = (cls, title, words, detail) => {
      const g = box.append('div').attr('class', `wm-list ${cls}`).attr('role', 'group').attr('aria-label', title);
      g.append('span').attr('class', 'wm-list-title').text(title);
      for (const w of words.slice(0, SHOWN)) {
        g.append('button').attr('type', 'button').attr('class', 'wm-word').attr('data-word', w.word)
          .attr('title', detail(w)).attr('aria-label', `${w.word}, ${detail(w)}`).text(shorten(w.word, 20))
          .on('click', () => edit({ kind: 'replace', word: w.word }));
      }
      if (!words.length) g.append('span').attr('class', 'wm-none').text(t('edit.none'));
    };
    list('wm-near', t('edit.near'), answer.near, (w) => t('edit.similarity', { v: fmt(w.similarity, 2) }));
    list('wm-opposite', t(answer.effect >= 0 ? 'edit.oppositeDown' : 'edit.oppositeUp'), answer.opposite,
      (w) => t('edit.effect', { v: fmt(w.effect, 2, true) }));
    box.append('p').attr('class', 'wm-note').text(t('edit.effectNote', { word: label, v: fmt(answer.effect, 2, true) }));
  }

  return {
    /** Opens the menu on a token of the current result (the focus stays where it is). */
    open(token, label, chip) {
      open = { token, label, chip };
      answer = null;
      box.attr('hidden', null);
      render();
      if (token.oov) return;
      const mine = ++asked;
      suggest(token.id).then((value) => {
        if (mine !== asked || !open || open.token !== token) return;
        answer = value;
        const focused = root.contains(document.activeElement) ? document.activeElement.className : null;
        render();
        if (focused) box.select(`button.${focused.split(' ')[0]}`).node()?.focus();
      }, () => {
        if (mine !== asked || !open) return;
        answer = { near: [], opposite: [], effect: 0 };
        render();
      });
    },
    close: () => close(false),
    get isOpen() { return open !== null; },
    /** Redraw in the current language; a new result closes the menu (its token is gone). */
    data() { if (open) render(); },
  };
}

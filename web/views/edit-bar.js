// The edit bar: while the review is edited (web/review/edits.js), how many changes, the verdict
// before and after, Undo (also the keys u and Ctrl+Z) and Back to the original.
import { select } from 'd3-selection';
import { pct } from '../ui/format.js';

export function createEditBar(root, { onUndo, onReset, t: tr }) {
  const bar = select(root).attr('class', 'edit-bar').attr('hidden', true);
  const text = bar.append('span').attr('class', 'eb-text').attr('aria-live', 'polite');
  const undo = bar.append('button').attr('type', 'button').attr('class', 'eb-undo link-button').on('click', () => onUndo());
  const reset = bar.append('button').attr('type', 'button').attr('class', 'eb-reset link-button').on('click', () => onReset());

  return {
    /** app.edits: the history; app.original: { result } of the original once it has run. */
    data(app) {
      const t = tr();
      const { edits } = app;
      const on = !!edits && edits.original !== null;
      bar.attr('hidden', on ? null : true);
      if (!on) return;
      const changes = edits.count;
      const was = app.original ? app.original.result.probability : null;
      const now = app.result ? app.result.probability : null;
      const verdict = was !== null && now !== null ? ` · ${t('edit.verdictMoved', { was: pct(was), now: pct(now) })}` : '';
      text.text(`${changes ? t('edit.count', { n: changes, count: changes }) : t('edit.fromLink')}${verdict}`);
      undo.text(t('edit.undo')).attr('title', `${t('edit.undo')} (u, Ctrl+Z)`).attr('aria-keyshortcuts', 'U Control+Z')
        .property('disabled', changes === 0);
      reset.text(t('edit.reset')).property('disabled', app.text === edits.original);
    },
  };
}

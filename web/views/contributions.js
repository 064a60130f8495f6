// The review, coloured by each word's effect on the verdict. By default leave-one-out: how much the
// final logit drops when the word is removed, the word's own effect on this verdict. The other view,
// the step change, is labelled for what it is: how far the running verdict moved at the word's step,
// which mixes in the memory of earlier words fading (a SimpleRNN's "the" can read +1.8).
// The colour scale is at least ±MIN_SCALE logits, so effects too small to matter stay pale instead
// of being stretched to full colour.
import { select } from 'd3-selection';
import { sentimentScale, textOn } from '../ui/colors.js';
import { count, fmt, maxAbs, shorten } from '../ui/format.js';
import { showTip, hideTip } from '../ui/tooltip.js';

const GAP_CHARS = 120;
const MIN_SCALE = 1.5; // logits: the colour scale never stretches tiny effects to full colour

export function createContributions(root, { onSeek, onMode, t: tr }) {
  const bar = select(root).append('div').attr('class', 'ct-bar').attr('role', 'group');
  const status = select(root).append('p').attr('class', 'ct-status').attr('aria-live', 'polite');
  const text = select(root).append('p').attr('class', 'ct-text');
  const legend = select(root).append('p').attr('class', 'ct-legend');
  let app = null;

  function values() {
    const { result } = app;
    const out = new Float32Array(result.tokens.length).fill(NaN);
    if (app.effectMode === 'loo') return app.leaveOneOut || null;
    if (!result.stepEffect) return null;
    result.tokens.forEach((tk, i) => { if (tk.inWindow) out[i] = result.stepEffect[tk.position]; });
    return out;
  }

  function render() {
    const t = app.t;
    const { result } = app;
    const modes = [{ id: 'loo', key: 'contrib.loo', ok: true }, { id: 'step', key: 'contrib.step', ok: !!(result && result.stepEffect) }];
    bar.selectAll('button').data(modes).join('button').attr('type', 'button').attr('class', 'tab')
      .attr('aria-pressed', (d) => String(d.id === app.effectMode)).property('disabled', (d) => !d.ok)
      .text((d) => t(d.key)).on('click', (e, d) => onMode(d.id));
    text.node().replaceChildren();
    if (!result || !result.totalTokens) { status.text(''); legend.text(''); return; }
    const v = values();
    if (!v) { status.text(t('contrib.computing')); return; }
    status.text(t(app.effectMode === 'loo' ? 'contrib.looHelp' : 'contrib.stepHelp'));
    const kept = [];
    result.tokens.forEach((tk, i) => { if (tk.inWindow) kept.push(i); });
    const max = maxAbs([Float32Array.from(kept, (i) => v[i])], MIN_SCALE);
    const color = sentimentScale(max);
    const dropped = result.totalTokens - result.keptTokens;
    const node = text.node();
    const frag = document.createDocumentFragment();
    const plain = (s) => frag.append(document.createTextNode(s.length > GAP_CHARS ? shorten(s, GAP_CHARS) : s));
    if (dropped > 0 && kept.length && kept[0] > 0) {
      const span = document.createElement('span');
      span.className = 'ct-dropped';
      span.textContent = t('contrib.dropped', { n: count(dropped), count: dropped });
      frag.append(span, document.createTextNode(' '));
    }
    kept.forEach((i, k) => {
      const tk = result.tokens[i];
      if (k > 0) plain(result.text.slice(result.tokens[kept[k - 1]].end, tk.begin));
      const span = document.createElement('span');
      span.className = 'ct-word';
      span.tabIndex = -1;
      span.dataset.step = String(tk.position);
      span.textContent = shorten(result.text.slice(tk.begin, tk.end), 40);
      const val = v[i];
      if (Number.isFinite(val)) {
        const bg = color(val);
        span.style.backgroundColor = bg;
        span.style.color = textOn(bg);
      }
      span.addEventListener('mouseenter', () => showTip([tk.text, t(app.effectMode === 'loo' ? 'contrib.tipLoo' : 'contrib.tipStep', { v: fmt(val, 2, true) })], span));
      span.addEventListener('mouseleave', hideTip);
      span.addEventListener('click', () => onSeek(tk.position));
      frag.append(span);
    });
    if (dropped > 0 && kept.length && kept[0] === 0) {
      const span = document.createElement('span');
      span.className = 'ct-dropped';
      span.textContent = ' ' + t('contrib.droppedAfter', { n: count(dropped), count: dropped });
      frag.append(span);
    }
    node.append(frag);
    legend.text(t('contrib.legend'));
    cursorUpdate();
  }

  function cursorUpdate() {
    const s = app.cursor ? app.cursor.t : null;
    text.selectAll('.ct-word').each(function () {
      this.classList.toggle('current', s !== null && Number(this.dataset.step) === s);
    });
  }

  return {
    data(a) { app = a; render(); },
    cursor(a) { app = a; cursorUpdate(); },
  };
}

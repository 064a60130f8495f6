// The review as the network sees it: one chip per step of the window (padding compressed into one
// chip), plus a few of the words that fell outside the window and a count of the rest.
import { select } from 'd3-selection';
import { count, fmt, shorten, stepKind } from '../ui/format.js';
import { showTip, hideTip } from '../ui/tooltip.js';

const DROPPED_SHOWN = 12;

/**
 * Chip list builder. Never creates more than steps + DROPPED_SHOWN + 2 elements. `result.tokens`
 * holds the window and up to 16 tokens next to it on the truncated side (docs/js-api.md).
 */
function chipItems(result, truncating) {
  const windowItems = [];
  let pad = null;
  for (let t = 0; t < result.steps; t++) {
    const kind = stepKind(result, t);
    if (kind === 'pad') {
      if (!pad) { pad = { kind: 'pad', t, n: 0 }; windowItems.push(pad); }
      pad.n++;
      continue;
    }
    pad = null;
    windowItems.push(kind === 'start' ? { kind: 'start', t } : { kind: 'word', t, token: result.tokenIndex[t] });
  }
  const dropped = result.totalTokens - result.keptTokens;
  if (dropped <= 0) return windowItems;
  // Truncated words sit before the window (truncating 'pre') or after it ('post').
  const { tokens } = result;
  const summary = { kind: 'summary', n: dropped };
  const droppedChips = [];
  if (truncating === 'pre') {
    const firstKept = tokens.findIndex((tk) => tk.inWindow);
    const end = firstKept === -1 ? tokens.length : firstKept;
    for (let i = Math.max(0, end - DROPPED_SHOWN); i < end; i++) droppedChips.push({ kind: 'dropped', token: i });
    return [summary, ...droppedChips, ...windowItems];
  }
  const from = tokens.findLastIndex((tk) => tk.inWindow) + 1;
  for (let i = from; i < Math.min(tokens.length, from + DROPPED_SHOWN); i++) droppedChips.push({ kind: 'dropped', token: i });
  return [...windowItems, ...droppedChips, summary];
}

/** `onWord(token, label, chip)`, optional: a word chip was clicked (or Enter pressed on it) — the word menu opens. */
export function createTokens(root, { onSeek, onWord = null, t: tr }) {
  const note = select(root).append('p').attr('class', 'token-note');
  // One tab stop for all chips (a toolbar with a roving tabindex): ← → Home End move inside, Enter
  // or space seeks. A long review has hundreds of chips; tabbing through them all helped no one.
  const list = select(root).append('div').attr('class', 'chips').attr('role', 'toolbar').attr('data-own-keys', '');
  let focusIndex = 0;
  list.on('keydown', (event) => {
    const chips = [...list.node().querySelectorAll('.chip')];
    const i = chips.indexOf(document.activeElement);
    if (i < 0) return;
    const moves = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: chips.length - 1 };
    if (!Object.hasOwn(moves, event.key)) return;
    event.preventDefault();
    rove(chips, Math.max(0, Math.min(chips.length - 1, moves[event.key])), true);
  });

  /** Makes chip i the one tab stop (and focuses it when asked). */
  function rove(chips, i, focus) {
    if (!chips.length) return;
    focusIndex = i;
    chips.forEach((c, k) => { c.tabIndex = k === i ? 0 : -1; });
    if (focus) chips[i].focus();
  }
  let result = null;

  function tipFor(item) {
    const t = tr();
    const effect = result.stepEffect && item.t !== undefined ? result.stepEffect[item.t] : null;
    const effectLine = effect !== null ? t('tokens.effect', { v: fmt(effect, 2, true) }) : t('tokens.noEffect');
    if (item.kind === 'word') {
      const tk = result.tokens[item.token];
      return [tk.text, `${t('tokens.id')} ${tk.id}${tk.oov ? ' · ' + t('tokens.oov') : ''} · ${t('tokens.step')} ${item.t}`, effectLine];
    }
    if (item.kind === 'start') return [t('tokens.startTitle'), `${t('tokens.id')} 1 · ${t('tokens.step')} ${item.t}`, effectLine];
    if (item.kind === 'pad') return [t('tokens.padTitle', { n: item.n, count: item.n }), `${t('tokens.id')} 0 · ${t('tokens.steps')} ${item.t}–${item.t + item.n - 1}`, t('tokens.padHelp')];
    if (item.kind === 'dropped') {
      const tk = result.tokens[item.token];
      return [tk.text, `${t('tokens.id')} ${tk.id}${tk.oov ? ' · ' + t('tokens.oov') : ''}`, t('tokens.droppedHelp')];
    }
    return [t('tokens.summaryTitle', { n: count(item.n), count: item.n })];
  }

  function label(item) {
    const t = tr();
    if (item.kind === 'word' || item.kind === 'dropped') {
      const tk = result.tokens[item.token];
      return shorten(result.text.slice(tk.begin, tk.end), 28);
    }
    if (item.kind === 'start') return t('tokens.start');
    if (item.kind === 'pad') return t('tokens.pad', { n: item.n });
    return t('tokens.summary', { n: count(item.n), count: item.n });
  }

  return {
    data(app) {
      result = app.result;
      const t = app.t;
      list.selectAll('*').remove();
      if (!result) { note.text(''); return; }
      const dropped = result.totalTokens - result.keptTokens;
      note.text(
        result.totalTokens === 0
          ? t('tokens.empty', { maxlen: app.info.maxlen })
          : dropped > 0
            ? t(app.info.truncating === 'pre' ? 'tokens.truncPre' : 'tokens.truncPost', { maxlen: app.info.maxlen, kept: count(result.keptTokens), total: count(result.totalTokens) })
            : t('tokens.allKept', { kept: count(result.keptTokens), steps: result.steps, count: result.keptTokens }),
      );
      const items = chipItems(result, app.info.truncating);
      list
        .selectAll('button')
        .data(items)
        .join('button')
        .attr('type', 'button')
        .attr('class', (d) => {
          const tk = d.token !== undefined ? result.tokens[d.token] : null;
          return `chip chip-${d.kind}${tk && tk.oov ? ' chip-oov' : ''}`;
        })
        .attr('data-step', (d) => (d.t !== undefined ? d.t : null))
        .attr('data-last', (d) => (d.kind === 'pad' ? d.t + d.n - 1 : null))
        .attr('aria-label', (d) => [label(d), ...tipFor(d)].join(', ')) // starts with the visible text
        .text(label)
        .on('mouseenter focus', (event, d) => showTip(tipFor(d), event.currentTarget))
        .on('mouseleave blur', hideTip)
        .on('click', (event, d) => {
          if (d.t !== undefined) onSeek(d.kind === 'pad' ? d.t + d.n - 1 : d.t);
          if (onWord && d.kind === 'word') onWord(result.tokens[d.token], label(d), event.currentTarget);
        });
      list.attr('aria-label', t('tokens.label'));
      if (app.cursor) this.cursor(app);
      const chips = [...list.node().querySelectorAll('.chip')];
      rove(chips, Math.min(focusIndex, chips.length - 1), false);
    },
    cursor(app) {
      if (!result) return;
      const t = app.cursor ? app.cursor.t : null;
      let current = null;
      list.selectAll('button').each(function (d) {
        const on = t !== null && d.t !== undefined && (d.kind === 'pad' ? t >= d.t && t < d.t + d.n : d.t === t);
        this.classList.toggle('current', on);
        this.classList.toggle('future', d.t !== undefined && t !== null && d.t > t && !app.timeline.bidirectional);
        if (on) { this.setAttribute('aria-current', 'step'); current = this; } else this.removeAttribute('aria-current');
      });
      if (current && !list.node().contains(document.activeElement)) {
        const chips = [...list.node().querySelectorAll('.chip')];
        rove(chips, chips.indexOf(current), false);
      }
      const box = list.node();
      if (current && box.scrollHeight > box.clientHeight) {
        const top = current.offsetTop - box.offsetTop;
        if (top < box.scrollTop || top + current.offsetHeight > box.scrollTop + box.clientHeight)
          box.scrollTop = top - box.clientHeight / 2;
      }
    },
  };
}

// Player controls: jump to the first word, previous, play/pause, next, jump to the end, speed,
// scrubber, the padding block's fold/unfold button, and the readout of where the cursor is, in one
// numbering: t (the step the network computes) and the word's place in the review, with the sweep
// named for bidirectional models.
import { select } from 'd3-selection';
import { stepWord } from '../ui/format.js';

export function createControls(root, { player, onPadding, t: tr }) {
  const bar = select(root).attr('role', 'toolbar');
  const btn = (cls, icon, onClick) => {
    const b = bar.append('button').attr('type', 'button').attr('class', `ctl ${cls}`).on('click', onClick);
    b.append('svg').attr('viewBox', '0 0 16 16').attr('aria-hidden', 'true').attr('focusable', 'false')
      .append('path').attr('d', icon).attr('fill', 'currentColor');
    return b;
  };
  const ICON = {
    start: 'M2.5,3h2v10h-2z M13.5,3 L5.5,8 L13.5,13z',
    prev: 'M11.5,3 L4,8 L11.5,13z',
    play: 'M4.5,2.5 L13.5,8 L4.5,13.5z',
    pause: 'M4,3h3v10h-3z M9,3h3v10h-3z',
    next: 'M4.5,3 L12,8 L4.5,13z',
    end: 'M2.5,3 L10.5,8 L2.5,13z M11.5,3h2v10h-2z',
  };
  const start = btn('ctl-start', ICON.start, () => player.start());
  const prev = btn('ctl-prev', ICON.prev, () => player.step(-1));
  const play = btn('ctl-play', ICON.play, () => player.toggle());
  const next = btn('ctl-next', ICON.next, () => player.step(1));
  const end = btn('ctl-end', ICON.end, () => player.end());
  const scrub = bar.append('input').attr('type', 'range').attr('class', 'ctl-scrub').attr('min', 0).attr('step', 1)
    .on('input', (e) => { player.pause(); player.seek(Number(e.target.value)); });
  const speedLabel = bar.append('label').attr('class', 'ctl-speed');
  const speedText = speedLabel.append('span');
  const speed = speedLabel.append('select').on('change', (e) => player.setSpeed(Number(e.target.value)));
  speed.selectAll('option').data(player.speeds).join('option').attr('value', (d) => d).text((d) => `${d}/s`);
  speed.property('value', player.speed);
  const padding = bar.append('button').attr('type', 'button').attr('class', 'ctl-padding link-button')
    .on('click', () => onPadding(!lastApp.timeline.expanded));
  const where = select(root.parentNode).select('.step-readout');
  let lastApp = null;

  /** Where the cursor is, in words: 't = 63 · word 12 of 14 · “film”' (and the sweep, if any). */
  function readout(app) {
    const t = app.t;
    const c = app.cursor;
    if (c.phase === 'join') return t('ctl.whereJoin');
    const { items } = app.timeline;
    const item = c.item;
    let text;
    if (item.kind === 'pad') {
      text = item.n > 1 ? t('ctl.padBlock', { n: item.n, from: item.from, to: item.to }) : t('ctl.padStep', { t: c.t });
    } else if (item.kind === 'start') {
      text = t('ctl.startStep', { t: c.t });
    } else {
      let i = 0;
      let n = 0;
      items.forEach((it, k) => { if (it.kind === 'word') { n++; if (k <= c.k) i++; } });
      text = t('ctl.where', { t: c.t, i, n, word: stepWord(app.result, c.t) });
    }
    if (app.timeline.bidirectional) text = `${t('diagram.layer', { n: c.layer + 1 })} · ${t(c.direction === 'forward' ? 'ctl.fwdSweep' : 'ctl.bwdSweep')} · ${text}`;
    return text;
  }

  return {
    data(app) {
      const t = app.t;
      start.attr('aria-label', t('ctl.start')).attr('title', `${t('ctl.start')} (Home)`);
      prev.attr('aria-label', t('ctl.prev')).attr('title', `${t('ctl.prev')} (←)`);
      next.attr('aria-label', t('ctl.next')).attr('title', `${t('ctl.next')} (→)`);
      end.attr('aria-label', t('ctl.end')).attr('title', `${t('ctl.end')} (End)`);
      scrub.attr('aria-label', t('ctl.scrub'));
      speedText.text(t('ctl.speed'));
      speed.attr('aria-label', t('ctl.speed'));
      scrub.attr('max', Math.max(0, player.length - 1));
      bar.selectAll('button, input, select').property('disabled', !player.length);
      lastApp = app;
      const pad = app.timeline ? app.timeline.padding : 0;
      padding.attr('hidden', pad > 1 ? null : true).attr('aria-pressed', String(!!(app.timeline && app.timeline.expanded)))
        .text(pad > 1 ? t(app.timeline.expanded ? 'ctl.foldPadding' : 'ctl.showPadding', { n: pad }) : '');
      this.cursor(app);
    },
    cursor(app) {
      const t = app.t;
      play.select('path').attr('d', player.playing ? ICON.pause : ICON.play);
      play.attr('aria-label', t(player.playing ? 'ctl.pause' : 'ctl.play'))
        .attr('title', `${t(player.playing ? 'ctl.pause' : 'ctl.play')} (${t('ctl.space')})`)
        .attr('aria-pressed', String(player.playing));
      scrub.property('value', player.position);
      speed.property('value', player.speed);
      const c = app.cursor;
      if (!app.result || !c) { where.text(''); return; }
      const text = readout(app);
      where.text(text);
      scrub.attr('aria-valuetext', text);
    },
  };
}

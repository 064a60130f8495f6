// The guided tour: story buttons on the first screen, and a card beside the player that walks
// through a story's stops (the player seeks to each). It is never in the way of typing: the card is
// not modal, and editing the review or switching the model ends the tour.
import { select } from 'd3-selection';
import { STORIES, stopStep } from './stories.js';

/**
 * @param {HTMLElement} buttonsRoot where the story buttons go
 * @param {HTMLElement} cardRoot    where the tour card goes
 * @param {{ load(story) → Promise (model + text loaded and drawn), seek(step), app() }} hooks
 */
export function createTour(buttonsRoot, cardRoot, { load, seek, app: getApp }) {
  const buttons = select(buttonsRoot);
  const card = select(cardRoot).attr('class', 'tour-card').attr('role', 'region').attr('hidden', true);
  let story = null;
  let steps = [];   // the step of each stop in this run (stops the review lacks are left out)
  let stops = [];
  let index = 0;
  let result = null;
  let loading = false; // the tour's own run is on its way: not an interruption

  function render() {
    const app = getApp();
    const t = app.t;
    buttons.selectAll('button').data(STORIES).join('button').attr('type', 'button').attr('class', 'example tour-story')
      .attr('data-story', (d) => d.id).attr('aria-pressed', (d) => String(!!story && story.id === d.id))
      .text((d) => t(`tour.${d.id}.title`)).on('click', (e, d) => start(d));
    card.selectAll('*').remove();
    if (!story || loading || !stops.length) { card.attr('hidden', true); return; }
    card.attr('hidden', null).attr('aria-label', t('tour.label'));
    const stop = stops[index];
    const ctx = { r: result, s: steps[index], prior: app.prior, first: steps[0], units: app.info.units };
    const key = typeof stop.key === 'function' ? stop.key(ctx) : stop.key;
    const head = card.append('p').attr('class', 'tour-head');
    head.append('strong').text(t(`tour.${story.id}.title`));
    head.append('span').attr('class', 'tour-count').text(` · ${t('tour.count', { i: index + 1, n: stops.length })}`);
    card.append('p').attr('class', 'tour-text').attr('aria-live', 'polite').attr('data-stop', key)
      .text(t(`tour.${story.id}.${key}`, stop.params ? stop.params(ctx) : {}));
    const nav = card.append('div').attr('class', 'tour-nav');
    nav.append('button').attr('type', 'button').attr('class', 'tour-back').property('disabled', index === 0)
      .text(t('tour.back')).on('click', () => go(index - 1));
    nav.append('button').attr('type', 'button').attr('class', 'tour-next').property('disabled', index === stops.length - 1)
      .text(t('tour.next')).on('click', () => go(index + 1));
    nav.append('button').attr('type', 'button').attr('class', 'tour-end link-button').text(t('tour.end')).on('click', end);
  }

  function go(i) {
    index = Math.max(0, Math.min(stops.length - 1, i));
    seek(steps[index]);
    render();
  }

  async function start(next) {
    story = next;
    stops = [];
    loading = true;
    try { await load(next); } finally { loading = false; }
    const app = getApp();
    if (story !== next) return;
    result = app.result;
    stops = [];
    steps = [];
    for (const stop of next.stops) {
      const s = stopStep(stop, result);
      if (s !== null) { stops.push(stop); steps.push(s); }
    }
    if (!stops.length || !result.runningProbability) { end(); return; }
    go(0);
  }

  function end() {
    story = null;
    render();
  }

  return {
    data() { render(); },
    /** The review or the model changed under the tour: it no longer describes what is on screen. */
    interrupt() { if (story && !loading && getApp().result !== result) end(); },
    get active() { return !!story; },
  };
}

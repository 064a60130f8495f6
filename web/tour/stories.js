// The guided tour's stories: a model, a review, and the moments that matter in it. Every caption is
// filled from this run's trace (the running probability at the stop, the prior, the final verdict),
// and where the story could go either way the caption is chosen by the numbers, so what the tour
// says stays true of the model on screen. Captions live in i18n (tour.<story>.<stop>).

/** p of the running verdict after step s (unidirectional models). */
const pAt = (r, s) => r.runningProbability[s];

export const STORIES = [
  {
    id: 'padding',
    model: 'seed-rnn',
    text: 'Not good.',
    stops: [
      { at: 'pad', key: 'pad', params: ({ r, s, prior }) => ({ n: r.padding, prior: pct(prior), p: pct(pAt(r, s)) }) },
      { at: { word: 'not' }, key: 'not', params: ({ r, s }) => ({ p: pct(pAt(r, s)) }) },
      { at: 'end', key: ({ r }) => (r.probability < 0.5 ? 'endRight' : 'endWrong'), params: ({ r }) => ({ p: pct(r.probability) }) },
    ],
  },
  {
    id: 'negation',
    model: 'seed-rnn',
    text: 'The acting is good. The story is not good at all.',
    stops: [
      { at: { word: 'good' }, key: 'good', params: ({ r, s }) => ({ p: pct(pAt(r, s)) }) },
      { at: { word: 'not' }, key: ({ r, s }) => (pAt(r, s) < pAt(r, s - 1) ? 'notDown' : 'notUp'), params: ({ r, s }) => ({ before: pct(pAt(r, s - 1)), p: pct(pAt(r, s)) }) },
      { at: 'end', key: ({ r }) => (r.probability < 0.5 ? 'endRight' : 'endWrong'), params: ({ r }) => ({ p: pct(r.probability) }) },
    ],
  },
  {
    id: 'memory',
    model: 'seed-rnn',
    text: 'A masterpiece. Then we drove home, had some dinner, talked about the weather and the traffic, walked the dog and went to bed.',
    stops: [
      { at: { word: 'masterpiece' }, key: 'word', params: ({ r, s }) => ({ before: pct(pAt(r, s - 1)), p: pct(pAt(r, s)) }) },
      { at: 'end', key: 'end', params: ({ r, s, first, units }) => ({ ...range(r, first + 1, s), n: s - first, units, p: pct(r.probability) }) },
    ],
  },
  {
    id: 'sarcasm',
    model: 'seed-rnn',
    text: 'Oh great, another masterpiece. I just love it when a film is two hours of people staring at walls. Truly the best nap I have had all year. Brilliant.',
    stops: [
      { at: { word: 'love' }, key: 'love', params: ({ r, s }) => ({ before: pct(pAt(r, s - 1)), p: pct(pAt(r, s)) }) },
      { at: 'end', key: ({ r }) => (r.probability >= 0.5 ? 'endWrong' : 'endRight'), params: ({ r }) => ({ p: pct(r.probability) }) },
    ],
  },
];

function pct(p) {
  return `${Math.round(p * 100)}%`;
}

/** Lowest and highest running probability over steps a…b. */
function range(r, a, b) {
  let lo = 1;
  let hi = 0;
  for (let s = a; s <= b; s++) { lo = Math.min(lo, pAt(r, s)); hi = Math.max(hi, pAt(r, s)); }
  return { lo: pct(lo), hi: pct(hi) };
}

/**
 * The step a stop shows in result r: the padding block's last step, the last step, or the position
 * of the nth occurrence of a word. Null when the review has no such step (e.g. no padding).
 */
export function stopStep(stop, r) {
  if (stop.at === 'pad') return r.padding > 0 ? r.padding - 1 : null;
  if (stop.at === 'end') return r.steps - 1;
  const hits = r.tokens.filter((tk) => tk.inWindow && tk.text.toLowerCase() === stop.at.word);
  const hit = hits[stop.at.nth || 0];
  return hit ? hit.position : null;
}

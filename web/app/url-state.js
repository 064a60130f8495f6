// The page's shareable state lives in the URL fragment (never sent to a server):
//   #m=<model>&s=<player position>&e=<layer entry>&u=<unit>&q=<heatmap quantity>&pad=1 (padding expanded)
//   &v=<steps per second>&w=<step|loo: word effects>&ml=g (memory lens bars: gradient × input)
//   &ko=<entry>.<unit>.<z|p|n>_… (knocked-out units: zero, held at +1, held at −1)&lang=<en|zh>&t=<review>
//   &o=<the original review, while it is edited>&d=1 (heatmap: difference from the original)
//   &c=<model to compare with>
// Reviews longer than MAX_TEXT are left out of the link (the page says so). Every value is checked
// against what it may be (a shipped model name, a number, a known language) by value, never looked
// up as a key of an object: `#m=__proto__` or `#q=constructor` must not reach anything inherited.
import { MODELS } from '../model/catalog.js';
import { SPEEDS } from '../playback/player.js';

export const MAX_TEXT = 4000;
const LANGS = ['en', 'zh'];
const EFFECTS = ['loo', 'step'];
const KNOCKOUT_MODES = { z: 'zero', p: 'plus', n: 'minus' };
const MAX_KNOCKOUTS = 64;

/** `ko`'s value → [{entry, unit, mode}] (unit and entry ranges are checked against the model later). */
export function parseKnockouts(value) {
  const out = [];
  for (const part of String(value).split('_').slice(0, MAX_KNOCKOUTS)) {
    const m = /^(\d{1,2})\.(\d{1,4})\.([zpn])$/.exec(part);
    if (!m) continue;
    const mode = m[3] === 'z' ? 'zero' : m[3] === 'p' ? 'plus' : 'minus';
    const entry = Number(m[1]);
    const unit = Number(m[2]);
    if (!out.some((k) => k.entry === entry && k.unit === unit)) out.push({ entry, unit, mode });
  }
  return out;
}

/** [{entry, unit, mode}] → `ko`'s value ('' for none). */
export function formatKnockouts(knockouts) {
  const letter = (mode) => Object.keys(KNOCKOUT_MODES).find((k) => KNOCKOUT_MODES[k] === mode);
  return (knockouts || []).filter((k) => letter(k.mode)).map((k) => `${k.entry}.${k.unit}.${letter(k.mode)}`).join('_');
}

/**
 * Parses a fragment (default: the current one) into a plain object of the values it holds that
 * are valid; unknown keys are ignored. A model name the page does not ship comes back as
 * `unknownModel` (the page falls back to the default model and says so).
 */
export function readState(hash = location.hash) {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const int = (k) => (p.has(k) && /^\d{1,9}$/.test(p.get(k)) ? Number(p.get(k)) : undefined);
  const out = {};
  if (p.has('t')) out.text = p.get('t');
  if (p.has('m')) {
    if (MODELS.includes(p.get('m'))) out.model = p.get('m');
    else out.unknownModel = p.get('m').slice(0, 64);
  }
  if (int('s') !== undefined) out.step = int('s');
  if (int('e') !== undefined) out.entry = int('e');
  if (int('u') !== undefined) out.unit = int('u');
  if (p.has('q') && /^[a-z]{1,4}$/.test(p.get('q'))) out.quantity = p.get('q'); // checked against the model's quantities later
  if (LANGS.includes(p.get('lang'))) out.lang = p.get('lang');
  if (p.get('pad') === '1') out.padding = true;
  if (SPEEDS.includes(Number(p.get('v'))) && p.get('v') !== '') out.speed = Number(p.get('v'));
  if (EFFECTS.includes(p.get('w'))) out.effect = p.get('w');
  if (p.has('o')) out.original = p.get('o');
  if (p.get('d') === '1') out.difference = true;
  if (MODELS.includes(p.get('c'))) out.compare = p.get('c');
  if (p.get('ml') === 'g') out.lensQuantity = 'gti';
  if (p.has('ko')) {
    const knockouts = parseKnockouts(p.get('ko'));
    if (knockouts.length) out.knockouts = knockouts;
  }
  return out;
}

/** Serializes state into a fragment; returns { hash, textOmitted }. */
export function encodeState({ text, model, step, entry, unit, quantity, padding, speed, effect, lensQuantity, knockouts, lang, original, difference, compare }) {
  const p = new URLSearchParams();
  if (model) p.set('m', model);
  if (Number.isInteger(step)) p.set('s', String(step));
  if (Number.isInteger(entry)) p.set('e', String(entry));
  if (Number.isInteger(unit)) p.set('u', String(unit));
  if (quantity && quantity !== 'h') p.set('q', quantity);
  if (padding) p.set('pad', '1');
  if (speed && speed !== 4) p.set('v', String(speed));
  if (effect && effect !== 'loo') p.set('w', effect);
  if (lensQuantity === 'gti') p.set('ml', 'g');
  const ko = formatKnockouts(knockouts);
  if (ko) p.set('ko', ko);
  if (lang) p.set('lang', lang);
  const textOmitted = typeof text === 'string' && text.length > MAX_TEXT;
  if (typeof text === 'string' && !textOmitted) p.set('t', text);
  // The original goes with the edited text, or not at all.
  if (typeof original === 'string' && !textOmitted && original.length <= MAX_TEXT) p.set('o', original);
  if (difference) p.set('d', '1');
  if (compare) p.set('c', compare);
  return { hash: '#' + p.toString(), textOmitted };
}

let pending = 0;
/** Replaces the URL (no history entry) after a short quiet period, so typing and playing stay cheap. */
export function writeState(state, delay = 250) {
  clearTimeout(pending);
  const { hash, textOmitted } = encodeState(state);
  pending = setTimeout(() => {
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }, delay);
  return textOmitted;
}

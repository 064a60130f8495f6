// The page's shareable state lives in the URL fragment (never sent to a server):
//   #m=<model>&s=<player position>&e=<layer entry>&u=<unit>&q=<heatmap quantity>&pad=1 (padding expanded)
//   &v=<steps per second>&w=<step|loo: word effects>&lang=<en|zh>&t=<review>
// Reviews longer than MAX_TEXT are left out of the link (the page says so). Every value is checked
// against what it may be (a shipped model name, a number, a known language) by value, never looked
// up as a key of an object: `#m=__proto__` or `#q=constructor` must not reach anything inherited.
import { MODELS } from '../model/catalog.js';
import { SPEEDS } from '../playback/player.js';

export const MAX_TEXT = 4000;
const LANGS = ['en', 'zh'];
const EFFECTS = ['loo', 'step'];

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
  return out;
}

/** Serializes state into a fragment; returns { hash, textOmitted }. */
export function encodeState({ text, model, step, entry, unit, quantity, padding, speed, effect, lang }) {
  const p = new URLSearchParams();
  if (model) p.set('m', model);
  if (Number.isInteger(step)) p.set('s', String(step));
  if (Number.isInteger(entry)) p.set('e', String(entry));
  if (Number.isInteger(unit)) p.set('u', String(unit));
  if (quantity && quantity !== 'h') p.set('q', quantity);
  if (padding) p.set('pad', '1');
  if (speed && speed !== 4) p.set('v', String(speed));
  if (effect && effect !== 'loo') p.set('w', effect);
  if (lang) p.set('lang', lang);
  const textOmitted = typeof text === 'string' && text.length > MAX_TEXT;
  if (typeof text === 'string' && !textOmitted) p.set('t', text);
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

// The page's shareable state lives in the URL fragment (never sent to a server):
//   #m=<model>&s=<player position>&e=<layer entry>&u=<unit>&q=<heatmap quantity>&lang=<en|zh>&t=<review>
// Reviews longer than MAX_TEXT are left out of the link (the page says so).

export const MAX_TEXT = 4000;

/** Parses a fragment (default: the current one) into a plain object; unknown keys are ignored. */
export function readState(hash = location.hash) {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const int = (k) => (p.has(k) && /^\d+$/.test(p.get(k)) ? Number(p.get(k)) : undefined);
  const out = {};
  if (p.has('t')) out.text = p.get('t');
  if (p.has('m') && /^[\w.-]{1,64}$/.test(p.get('m'))) out.model = p.get('m');
  if (int('s') !== undefined) out.step = int('s');
  if (int('e') !== undefined) out.entry = int('e');
  if (int('u') !== undefined) out.unit = int('u');
  if (p.has('q') && /^[\w]{1,8}$/.test(p.get('q'))) out.quantity = p.get('q');
  if (['en', 'zh'].includes(p.get('lang'))) out.lang = p.get('lang');
  return out;
}

/** Serializes state into a fragment; returns { hash, textOmitted }. */
export function encodeState({ text, model, step, entry, unit, quantity, lang }) {
  const p = new URLSearchParams();
  if (model) p.set('m', model);
  if (Number.isInteger(step)) p.set('s', String(step));
  if (Number.isInteger(entry)) p.set('e', String(entry));
  if (Number.isInteger(unit)) p.set('u', String(unit));
  if (quantity && quantity !== 'h') p.set('q', quantity);
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

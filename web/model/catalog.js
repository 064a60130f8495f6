// The models shipped with the page (files in the repository's models/ folder).
export const MODELS = ['seed-rnn', 'bi-rnn', 'best'];
export const DEFAULT_MODEL = 'seed-rnn';
/**
 * The learner's own model, trained in the page (web/train/) or loaded from a file: it lives in the
 * page's memory only, so it never goes into a link (url-state.js accepts shipped names only).
 */
export const YOURS = 'yours';

/**
 * The model compare mode starts with beside `model`: the tutorial's SimpleRNN and the best LSTM
 * side by side (issue #17 item 3), as "why LSTMs exist" is seen between those two.
 */
export const comparePartner = (model) => (model === 'seed-rnn' ? 'best' : 'seed-rnn');

/** Where a model file is served from. */
export const modelUrl = (name) => `${import.meta.env.BASE_URL}models/${encodeURIComponent(name)}.safetensors`;

/** Test accuracy from free-form provenance: the first number under a key path naming test and accuracy. */
export function testAccuracy(provenance) {
  let found = null;
  const visit = (obj, path, depth) => {
    if (found !== null || !obj || typeof obj !== 'object' || depth > 3) return;
    for (const [k, v] of Object.entries(obj)) {
      const p = `${path}.${k}`.toLowerCase();
      if (typeof v === 'number' && /acc/.test(p) && /test/.test(p)) { found = v; return; }
      if (typeof v === 'string' && /acc/.test(p) && /test/.test(p) && Number.isFinite(Number(v))) { found = Number(v); return; }
      visit(v, p, depth + 1);
    }
  };
  visit(provenance, '', 0);
  if (found !== null && found > 1 && found <= 100) found /= 100;
  return found;
}

// The models shipped with the page (files in the repository's models/ folder).
export const MODELS = ['seed-rnn', 'bi-rnn', 'best'];
export const DEFAULT_MODEL = 'seed-rnn';

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

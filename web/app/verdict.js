// What the page may claim about a result. The network always outputs a probability; the page says
// "positive" or "negative" only when the model read enough words it knows and the probability is
// clear of 0.5. Otherwise it says so instead of printing a verdict in large type.

export const UNCERTAIN = [0.4, 0.6]; // probabilities in this band are "uncertain"
const MIN_KNOWN_SHARE = 0.5;         // below this share of in-vocabulary words the model "saw almost nothing"

/** { kind: 'positive' | 'negative' | 'uncertain' | 'unknown', known, total } for a run result. */
export function verdictOf(result) {
  const total = result.totalTokens;
  const known = total - result.oovTokens;
  if (known === 0 || known / total < MIN_KNOWN_SHARE) return { kind: 'unknown', known, total };
  const p = result.probability;
  if (p >= UNCERTAIN[0] && p <= UNCERTAIN[1]) return { kind: 'uncertain', known, total };
  return { kind: result.label, known, total };
}

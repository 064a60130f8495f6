// Names overfitting when it happens: validation accuracy peaked at some epoch and has fallen since,
// while training accuracy kept rising. The network is then learning the training reviews
// themselves (their names, their quirks) rather than what makes a review positive, and the best
// model is the one of the peak, which the training view keeps. Pure: a history in, a finding out.

/** Validation must fall by at least this much below its peak (0.5 points) to count. */
export const MIN_DROP = 0.005;

/** The epoch (1-based, as in the history) with the highest validation accuracy; the first on ties. */
export function bestEpoch(history) {
  let best = null;
  for (const entry of history) {
    if (typeof entry.valAccuracy !== 'number') continue;
    if (!best || entry.valAccuracy > best.valAccuracy) best = entry;
  }
  return best;
}

/**
 * { peak: epoch, valPeak, valNow, trainAtPeak, trainNow, epochsSince } when the last epoch's
 * validation accuracy is at least MIN_DROP below the best epoch's and the training accuracy has
 * risen since that epoch; otherwise null (no validation yet, still improving, or both falling).
 */
export function detectOverfitting(history) {
  const best = bestEpoch(history);
  const last = history[history.length - 1];
  if (!best || !last || last === best || typeof last.valAccuracy !== 'number') return null;
  if (best.valAccuracy - last.valAccuracy < MIN_DROP) return null;
  if (!(last.accuracy > best.accuracy)) return null;
  return {
    peak: best.epoch,
    valPeak: best.valAccuracy,
    valNow: last.valAccuracy,
    trainAtPeak: best.accuracy,
    trainNow: last.accuracy,
    epochsSince: last.epoch - best.epoch,
  };
}

// The training log, written exactly as the tutorial's Keras output (tf.keras 2.x Progbar, verbose=1):
//   Epoch 1/10
//   195/195 [==============================] - 6s 29ms/step - loss: 0.3770 - accuracy: 0.8352 - val_loss: 0.4061 - val_accuracy: 0.8230
// and, while an epoch runs, the same line with an ETA (`  7/195 [>.....] - ETA: 5s - loss: …`).
// Pure functions: the worker's numbers in, text out; tests/js/keras-log.test.mjs pins the format.

const WIDTH = 30; // Progbar's default bar width

/** Keras' number format for a metric: 4 decimals, or scientific below 1e-3. */
export function metricValue(value) {
  return Math.abs(value) > 1e-3 ? value.toFixed(4) : value.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** `Epoch 3/10`. */
export const epochLine = (epoch, epochs) => `Epoch ${epoch}/${epochs}`;

/** ` 17/176 [====>.........]`: the step counter padded to the total's digits, and the bar. */
export function progressBar(current, total) {
  const digits = String(total).length;
  let bar = `${String(current).padStart(digits)}/${total} [`;
  const filled = Math.floor(WIDTH * (total > 0 ? current / total : 1));
  if (filled > 0) bar += '='.repeat(filled - 1) + (current < total ? '>' : '=');
  bar += '.'.repeat(WIDTH - filled);
  return `${bar}]`;
}

/** Keras' ETA: `5s`, `1:05`, `1:01:05`. */
export function etaText(seconds) {
  const s = Math.floor(seconds);
  if (seconds > 3600) return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  if (seconds > 60) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `${s}s`;
}

/** Time per step as Keras writes it: `2s/step`, `29ms/step`, `850us/step`. */
export function perStep(secondsPerStep) {
  if (secondsPerStep >= 1 || secondsPerStep === 0) return `${secondsPerStep.toFixed(0)}s/step`;
  if (secondsPerStep >= 1e-3) return `${(secondsPerStep * 1e3).toFixed(0)}ms/step`;
  return `${(secondsPerStep * 1e6).toFixed(0)}us/step`;
}

const metricsText = (metrics) => Object.entries(metrics)
  .filter(([, v]) => typeof v === 'number' && Number.isFinite(v))
  .map(([k, v]) => ` - ${k}: ${metricValue(v)}`).join('');

/**
 * One progress line. `step` of `steps` batches done after `seconds`; `metrics` in Keras' order and
 * names ({ loss, accuracy } while running; val_loss and val_accuracy added at the epoch's end).
 */
export function progressLine({ step, steps, seconds, metrics }) {
  const bar = progressBar(step, steps);
  const time = step < steps
    ? ` - ETA: ${etaText(step > 0 ? (seconds / step) * (steps - step) : 0)}`
    : ` - ${seconds.toFixed(0)}s ${perStep(step > 0 ? seconds / step : 0)}`;
  return `${bar}${time}${metricsText(metrics)}`;
}

/** The epoch's closing line, from a trainer history entry ({ loss, accuracy, valLoss, valAccuracy, seconds }). */
export function epochEndLine(entry, steps) {
  return progressLine({
    step: steps,
    steps,
    seconds: entry.seconds,
    metrics: { loss: entry.loss, accuracy: entry.accuracy, val_loss: entry.valLoss, val_accuracy: entry.valAccuracy },
  });
}

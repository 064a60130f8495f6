// The training view's pure parts (web/train/): the Keras-format log (keras-log.js), the
// overfitting detector (overfitting.js) and the gradient chart's rows → curves (gradient-chart.js).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { epochLine, epochEndLine, etaText, metricValue, perStep, progressBar, progressLine } from '../../web/train/keras-log.js';
import { bestEpoch, detectOverfitting } from '../../web/train/overfitting.js';
import { gradientCurves } from '../../web/train/gradient-chart.js';

describe('keras-log', () => {
  it('writes the tutorial line exactly', () => {
    const line = progressLine({ step: 195, steps: 195, seconds: 5.8, metrics: { loss: 0.3770, accuracy: 0.8352, val_loss: 0.4061, val_accuracy: 0.8230 } });
    // 5.8 s / 195 steps = 29.7 ms → Keras prints 30ms; the tutorial's 29ms came from its own clock.
    assert.equal(line, '195/195 [==============================] - 6s 30ms/step - loss: 0.3770 - accuracy: 0.8352 - val_loss: 0.4061 - val_accuracy: 0.8230');
    assert.equal(progressLine({ step: 195, steps: 195, seconds: 5.655, metrics: { loss: 0.377 } }), '195/195 [==============================] - 6s 29ms/step - loss: 0.3770');
  });

  it('draws the bar as Progbar does while running', () => {
    assert.equal(progressBar(1, 176), '  1/176 [..............................]');
    assert.equal(progressBar(7, 176), '  7/176 [>.............................]');
    assert.equal(progressBar(88, 176), ' 88/176 [==============>...............]');
    assert.equal(progressBar(176, 176), '176/176 [==============================]');
    assert.equal(progressLine({ step: 88, steps: 176, seconds: 10, metrics: { loss: 0.5, accuracy: 0.75 } }),
      ' 88/176 [==============>...............] - ETA: 10s - loss: 0.5000 - accuracy: 0.7500');
  });

  it('formats times and small values as Keras', () => {
    assert.equal(etaText(5.9), '5s');
    assert.equal(etaText(65), '1:05');
    assert.equal(etaText(3661), '1:01:01');
    assert.equal(perStep(2.2), '2s/step');
    assert.equal(perStep(0.0294), '29ms/step');
    assert.equal(perStep(0.00085), '850us/step');
    assert.equal(metricValue(0.00012345), '1.2345e-04');
    assert.equal(epochLine(2, 10), 'Epoch 2/10');
  });

  it('closes an epoch from a history entry', () => {
    const entry = { epoch: 1, loss: 0.6, accuracy: 0.66, valLoss: 0.5, valAccuracy: 0.75, seconds: 12.3 };
    assert.equal(epochEndLine(entry, 176), '176/176 [==============================] - 12s 70ms/step - loss: 0.6000 - accuracy: 0.6600 - val_loss: 0.5000 - val_accuracy: 0.7500');
  });
});

describe('overfitting', () => {
  const h = (rows) => rows.map(([accuracy, valAccuracy], i) => ({ epoch: i + 1, accuracy, valAccuracy }));

  it('finds the best epoch by validation accuracy', () => {
    assert.equal(bestEpoch(h([[0.7, 0.75], [0.8, 0.8], [0.9, 0.79]])).epoch, 2);
    assert.equal(bestEpoch([]), null);
  });

  it('names overfitting: validation fell from its peak while training rose', () => {
    const found = detectOverfitting(h([[0.7, 0.75], [0.8, 0.81], [0.88, 0.80], [0.93, 0.78]]));
    assert.deepEqual(found, { peak: 2, valPeak: 0.81, valNow: 0.78, trainAtPeak: 0.8, trainNow: 0.93, epochsSince: 2 });
  });

  it('stays quiet while validation improves, within noise, or when both fall', () => {
    assert.equal(detectOverfitting(h([[0.7, 0.75], [0.8, 0.81]])), null);
    assert.equal(detectOverfitting(h([[0.7, 0.75], [0.8, 0.81], [0.85, 0.808]])), null); // 0.2 points: noise
    assert.equal(detectOverfitting(h([[0.7, 0.75], [0.8, 0.81], [0.75, 0.78]])), null); // training fell too
    assert.equal(detectOverfitting([{ epoch: 1, accuracy: 0.7 }]), null);
  });
});

describe('gradient curves', () => {
  const t = (key, params = {}) => `${key}:${Object.values(params).join(',')}`;

  it('makes one curve per layer and direction from the rows of gradientNorms, leaving out the zeros', () => {
    // 2 layers × 2 directions × maxlen 3; row = layer·directions + direction.
    const norms = Float32Array.from([1, 2, 3, 0, 5, 6, 7, 8, 9, 10, 11, 0]);
    const curves = gradientCurves(norms, { layers: 2, directions: 2, maxlen: 3 }, t);
    assert.equal(curves.length, 4);
    assert.deepEqual(curves[0].points, [[0, 1], [1, 2], [2, 3]]);
    assert.deepEqual(curves[1].points, [[1, 5], [2, 6]]); // step 0 not run (masked): no point
    assert.deepEqual(curves[3].points, [[0, 10], [1, 11]]);
    assert.equal(curves[2].label, 'train.grad.layerDir:2,train.grad.fwd:');
  });
});

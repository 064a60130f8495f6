// The loaded model's configuration, the tutorial's shapes for it (batch b = 1 on the page) with the
// parameters of each part, the names its weights go by (model file, Keras, PyTorch), and where it came
// from (how it was trained, and info.provenance shown as text).
import { select } from 'd3-selection';
import { testAccuracy } from '../model/catalog.js';
import { count } from '../ui/format.js';

const CELL_NAMES = { simple_rnn: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' };
const OPTIMIZER_NAMES = { adam: 'Adam', sgd: 'SGD' };

/**
 * The model's parts in the order the data flows, with the tutorial's shapes for a batch of one and
 * each part's parameter count, from the shapes of its weights (U [in, G·units], W [units, G·units],
 * b [G·units] per layer and direction; the head's w [units·directions, 1] and b [1]).
 * `steps` is the sequence length of this run. Returns { parts, total }.
 */
export function modelParts(info, steps) {
  const G = info.gateNames.length;
  const H = info.units;
  const D = info.directions || (info.bidirectional ? 2 : 1);
  const parts = [{ key: 'ids', shape: `[1, ${steps}]`, params: 0 }];
  parts.push({ key: 'embedding', shape: `[1, ${steps}, ${info.embeddingDim}]`, params: info.vocabSize * info.embeddingDim,
    detail: `${count(info.vocabSize)} × ${info.embeddingDim}` });
  for (let l = 0; l < info.layers; l++) {
    const input = l === 0 ? info.embeddingDim : H * D;
    const perDirection = G * (input * H + H * H + H);
    const gates = G > 1 ? `${G} × ` : '';
    parts.push({ key: 'layer', layer: l + 1, shape: `[1, ${H * D}]`, params: D * perDirection,
      detail: `${D > 1 ? `${D} × ` : ''}${gates}(U ${input}×${H} + W ${H}×${H} + b ${H})` });
  }
  parts.push({ key: 'head', shape: '[1, 1]', params: H * D + 1, detail: `w ${H * D}×1 + b 1` });
  return { parts, total: parts.reduce((a, p) => a + p.params, 0) };
}

/** A float32 hyperparameter as it was typed: 0.20000000298023224 → 0.2, 0.0005 stays 0.0005. */
const typed = (x) => (typeof x === 'number' ? String(Number(x.toPrecision(4))) : '—');

/**
 * How the model on screen was trained, from its provenance, in one shape for both trainers: the
 * page's (web/train/: hyperparameters is the recipe form's, camelCase) and tools/train's
 * (snake_case hyperparameters; the shape of the network is the model's own). Null when the
 * provenance records no training history (an imported model).
 */
export function trainingOf(info) {
  const p = info.provenance || {};
  const h = p.hyperparameters;
  if (!h || typeof h !== 'object' || !Array.isArray(p.history)) return null;
  const inPage = typeof h.cell === 'string';
  return {
    inPage,
    cell: inPage ? h.cell : info.cell,
    layers: inPage ? h.layers : info.layers,
    units: inPage ? h.units : info.units,
    bidirectional: inPage ? !!h.bidirectional : !!info.bidirectional,
    masked: inPage ? !!h.maskPadding : !!info.maskPadding,
    embeddingDim: inPage ? h.embeddingDim : info.embeddingDim,
    // tools/train --embedding-init: the embedding started from word vectors, not at random.
    pretrainedEmbedding: !inPage && typeof h.embedding_init === 'string' && h.embedding_init !== '',
    // The page trains with Adam only; tools/train records its --optimizer.
    optimizer: OPTIMIZER_NAMES[h.optimizer] || (typeof h.optimizer === 'string' ? h.optimizer : 'Adam'),
    dropout: typed(h.dropout),
    learningRate: typed(inPage ? h.learningRate : h.learning_rate),
    batchSize: typed(inPage ? h.batchSize : h.batch),
    bestEpoch: p.best_epoch ?? p.history.length,
    epochs: p.epochs_planned ?? p.epochs ?? p.history.length,
    // tools/train --select loss picks the epoch of lowest validation loss; otherwise, highest accuracy.
    selectedBy: h.select === 'loss' ? 'loss' : 'accuracy',
    validationAccuracy: typeof p.validation_accuracy === 'number' ? p.validation_accuracy : null,
    // tools/train --validation 0: a refit on every training review for a number of epochs a
    // validated run of the same recipe chose; it has no validation figure of its own.
    refit: !inPage && p.validation_reviews === 0,
    trainReviews: typeof p.train_reviews === 'number' ? p.train_reviews : null,
    // tools/train --teacher: the training targets mixed other models' probabilities into the labels.
    distillation: !inPage && Array.isArray(h.teachers) && h.teachers.length > 0
      ? { teachers: h.teachers.length, weight: typed(h.teacher_weight), labelWeight: typed(1 - h.teacher_weight) }
      : null,
  };
}

export function createModelCard(root) {
  return {
    data(app) {
      const t = app.t;
      const sel = select(root);
      sel.selectAll('*').remove();
      const info = app.info;
      if (!info) return;
      const acc = testAccuracy(info.provenance);
      // Folded by default, so the first screen reaches the unrolled network; the summary line
      // carries the essentials.
      const box = sel.append('details').attr('class', 'card-box');
      const summary = box.append('summary');
      summary.append('span').attr('class', 'card-title').text(t('sec.model'));
      summary.append('span').attr('class', 'card-gist').text(` ${CELL_NAMES[info.cell] || info.cell} · ${info.layers} × ${info.units}${info.bidirectional ? ' × 2' : ''} · ${acc === null ? t('card.unknown') : `${(acc * 100).toFixed(1)}%`}`);
      const inner = box;
      const dl = inner.append('dl').attr('class', 'card');
      const row = (k, v) => { dl.append('dt').text(t(k)); dl.append('dd').text(v); };
      row('card.cell', CELL_NAMES[info.cell] || String(info.cell));
      row('card.layers', `${info.layers} × ${info.units}${info.bidirectional ? ' × 2 ' + t('card.bi') : ''}`);
      row('card.vocab', `${count(info.vocabSize)} · ${t('card.embedding')} ${info.embeddingDim}`);
      // A masked model pads nothing: maxlen only cuts long reviews.
      const padding = info.maskPadding ? t('card.masked') : t(`card.padding.${info.padding}`);
      row('card.maxlen', `${info.maxlen} · ${padding} · ${t(`card.truncating.${info.truncating}`)}`);
      if (typeof app.prior === 'number') row('card.prior', t('card.priorValue', { p: `${(app.prior * 100).toFixed(1)}%` }));
      const training = trainingOf(info);
      if (training) {
        row('card.recipe', t('card.recipeValue', {
          cell: CELL_NAMES[training.cell] || String(training.cell), layers: training.layers, units: training.units,
          bi: training.bidirectional ? ` × 2 ${t('card.bi')}` : '', masked: training.masked ? ` · ${t('card.recipeMasked')}` : '',
          emb: training.pretrainedEmbedding ? t('card.recipePretrained', { emb: training.embeddingDim }) : training.embeddingDim,
          dropout: training.dropout, optimizer: training.optimizer, lr: training.learningRate, batch: training.batchSize,
        }));
        const val = training.validationAccuracy === null ? t('card.unknown') : `${(training.validationAccuracy * 100).toFixed(1)}%`;
        // --teacher-weight 1: the labels reached this network only through its teachers.
        if (training.distillation) {
          row('card.targets', t(training.distillation.labelWeight === '0' ? 'card.targetsValueTeachersOnly' : 'card.targetsValue',
            training.distillation));
        }
        if (training.refit) row('card.trainedBy', t('card.trainedValueRefit', { epochs: training.bestEpoch, reviews: count(training.trainReviews) }));
        else row(training.inPage ? 'card.trained' : 'card.trainedBy',
          t(training.selectedBy === 'loss' ? 'card.trainedValueLoss' : 'card.trainedValue', { best: training.bestEpoch, epochs: training.epochs, val }));
      }
      row('card.params', count(info.parameters));
      // One decimal: 0.8865 is not 89 %.
      row('card.accuracy', acc === null ? t('card.unknown') : `${(acc * 100).toFixed(1)}%`);
      row('card.build', info.build === 'simd' ? 'WebAssembly SIMD' : 'WebAssembly');
      row('card.names', t('card.namesValue'));

      if (app.result && app.result.info === info) {
        const steps = app.result.steps;
        const { parts, total } = modelParts(info, steps);
        const det = inner.append('details').attr('class', 'shapes');
        det.append('summary').text(t('card.shapes'));
        const table = det.append('table').attr('class', 'shapes-table');
        const head = table.append('thead').append('tr');
        for (const k of ['card.part', 'card.shape', 'card.partParams']) head.append('th').attr('scope', 'col').text(t(k));
        const body = table.append('tbody');
        for (const p of parts) {
          const tr = body.append('tr').attr('data-part', p.key);
          tr.append('th').attr('scope', 'row').text(t(`card.part.${p.key}`, { n: p.layer, T: steps }));
          tr.append('td').attr('class', 'shape').text(p.shape);
          const td = tr.append('td').attr('class', 'params').attr('data-params', p.params);
          td.append('span').text(p.params ? count(p.params) : '—');
          if (p.detail) td.append('span').attr('class', 'params-detail').text(p.detail);
        }
        const foot = table.append('tfoot').append('tr');
        foot.append('th').attr('scope', 'row').text(t('card.total'));
        foot.append('td');
        foot.append('td').attr('class', 'params').attr('data-params', total).text(count(total));
        const padded = app.result.padding > 0;
        det.append('p').attr('class', 'shapes-note')
          .text(t(total === info.parameters ? 'card.shapesNote' : 'card.shapesMismatch', { T: steps, maxlen: info.maxlen, total: count(info.parameters) })
            + ' ' + t(padded ? 'card.stepsPadded' : 'card.stepsMasked', { T: steps, maxlen: info.maxlen }));
      }

      const prov = inner.append('details').attr('class', 'provenance');
      prov.append('summary').text(t('card.provenance'));
      prov.append('pre').text(JSON.stringify(info.provenance, null, 2));
    },
  };
}

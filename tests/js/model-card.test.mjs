// The model card's reading of a provenance: one shape for the page's trainer and tools/train's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainingOf } from '../../web/views/model-card.js';

const model = { cell: 'lstm', layers: 1, units: 64, bidirectional: true, maskPadding: true, embeddingDim: 64 };

test('tools/train: snake_case hyperparameters, the network\'s shape from the model, floats as typed', () => {
  const info = { ...model, provenance: {
    hyperparameters: { batch: 64, dropout: 0.5, learning_rate: 0.0005000000237487257, optimizer: 'adam', select: 'loss' },
    history: [{}, {}, {}, {}, {}, {}], epochs: 6, best_epoch: 4, validation_accuracy: 0.8719230769230769 } };
  assert.deepEqual(trainingOf(info), {
    inPage: false, cell: 'lstm', layers: 1, units: 64, bidirectional: true, masked: true, embeddingDim: 64,
    pretrainedEmbedding: false, optimizer: 'Adam', dropout: '0.5', learningRate: '0.0005', batchSize: '64', bestEpoch: 4, epochs: 6,
    selectedBy: 'loss', validationAccuracy: 0.8719230769230769, refit: false, trainReviews: null, distillation: null });
  const seed = trainingOf({ ...model, provenance: { hyperparameters: { batch: 128, dropout: 0.20000000298023224 }, history: [{}] } });
  assert.equal(seed.dropout, '0.2');
  assert.equal(seed.selectedBy, 'accuracy', 'tools/train selects by accuracy unless told');
  assert.equal(seed.validationAccuracy, null);
  const pretrained = trainingOf({ ...model, provenance: {
    hyperparameters: { batch: 64, embedding_init: 'skipgram-64.vec', embedding_init_rms: 0.1 }, history: [{}] } });
  assert.equal(pretrained.pretrainedEmbedding, true, 'an --embedding-init run says its embedding started from word vectors');
  assert.equal(trainingOf({ ...model, provenance: { hyperparameters: { embedding_init: '' }, history: [{}] } }).pretrainedEmbedding, false);
});

test('tools/train --validation 0: a refit on every training review, with no validation figure of its own', () => {
  const refit = trainingOf({ ...model, provenance: {
    hyperparameters: { batch: 64, validation_fraction: 0, select: 'loss' }, history: [{}, {}, {}, {}, {}],
    train_reviews: 25000, validation_reviews: 0, epochs: 5, best_epoch: 5 } });
  assert.equal(refit.refit, true);
  assert.equal(refit.trainReviews, 25000);
  assert.equal(refit.bestEpoch, 5, 'the last epoch is the one kept');
  assert.equal(refit.validationAccuracy, null);
  const validated = trainingOf({ ...model, provenance: { hyperparameters: {}, history: [{}], validation_reviews: 2600 } });
  assert.equal(validated.refit, false);
});

test('tools/train --teacher: how many teachers, and their share of each target as typed', () => {
  const distilled = trainingOf({ ...model, provenance: {
    hyperparameters: { batch: 64, teachers: ['a.train.txt', 'b.train.txt', 'c.train.txt'], teacher_weight: 0.8 }, history: [{}] } });
  assert.deepEqual(distilled.distillation, { teachers: 3, weight: '0.8', labelWeight: '0.2' });
  assert.equal(trainingOf({ ...model, provenance: { hyperparameters: { teachers: [] }, history: [{}] } }).distillation, null);
  // --teacher-weight 1: no share for the labels (the card then names none).
  const teachersOnly = trainingOf({ ...model, provenance: {
    hyperparameters: { teachers: ['a.train.txt', 'b.train.txt'], teacher_weight: 1 }, history: [{}] } });
  assert.deepEqual(teachersOnly.distillation, { teachers: 2, weight: '1', labelWeight: '0' });
});

test('the page\'s trainer: the recipe form\'s camelCase keys, planned epochs', () => {
  const info = { ...model, provenance: {
    hyperparameters: { cell: 'gru', layers: 2, units: 32, bidirectional: false, maskPadding: false, embeddingDim: 16,
      dropout: 0.1, learningRate: 0.002, batchSize: 32 },
    history: [{}, {}], best_epoch: 2, epochs_planned: 5, validation_accuracy: 0.8 } };
  const t = trainingOf(info);
  assert.equal(t.inPage, true);
  assert.deepEqual([t.cell, t.layers, t.units, t.bidirectional, t.masked, t.embeddingDim], ['gru', 2, 32, false, false, 16]);
  assert.deepEqual([t.dropout, t.learningRate, t.batchSize, t.bestEpoch, t.epochs], ['0.1', '0.002', '32', 2, 5]);
});

test('no training history (an imported model): no training rows', () => {
  assert.equal(trainingOf({ ...model, provenance: { hyperparameters: { batch: 1 } } }), null);
  assert.equal(trainingOf({ ...model, provenance: null }), null);
  assert.equal(trainingOf({ ...model }), null);
});

// The recipe the learner trains with: cell, units, layers, bidirectional, masking, embedding width,
// dropout, learning rate, batch size, epochs, seed, and which data (a quick subset or the full 25,000 /
// 25,000). The defaults are the tutorial's (TUTORIAL_RECIPE, 4 epochs as seed-rnn was trained), and
// one button brings them back. Plain labelled form controls: keyboard and screen readers work as is.
import { TUTORIAL_RECIPE } from '../../wasm/api/trainer.js';

/** The tutorial trains for 4 epochs (docs/models.md, seed-rnn). */
export const TUTORIAL_EPOCHS = 4;
export const DATASETS = ['subset', 'full'];

// [key, kind, { min, max, step } | options]: the form's fields in order.
const FIELDS = [
  ['cell', 'select', ['simple_rnn', 'lstm', 'gru']],
  ['units', 'number', { min: 1, max: 256, step: 1 }],
  ['layers', 'number', { min: 1, max: 4, step: 1 }],
  ['bidirectional', 'checkbox'],
  ['maskPadding', 'checkbox'],
  ['embeddingDim', 'number', { min: 1, max: 300, step: 1 }],
  ['dropout', 'number', { min: 0, max: 0.9, step: 0.05 }],
  ['learningRate', 'number', { min: 0.00001, max: 0.1, step: 0.0001 }],
  ['batchSize', 'number', { min: 1, max: 1024, step: 1 }],
  ['epochs', 'number', { min: 1, max: 50, step: 1 }],
  // The run's random draws (initial weights, validation split, shuffling, dropout): the same seed and
  // recipe give the same run again, here and in tools/train_session.
  ['seed', 'number', { min: 0, max: 2147483647, step: 1 }],
];
const CELL_NAMES = { simple_rnn: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' };

const defaults = () => ({ ...TUTORIAL_RECIPE, epochs: TUTORIAL_EPOCHS, dataset: 'subset' });

/**
 * Builds the form into `root`. { read() → { recipe, epochs, dataset }, reset(), setDisabled(bool),
 * refresh() (texts after a language change) }.
 */
export function createRecipeForm(root, { t: tr }) {
  const t = (...args) => tr()(...args);
  const form = document.createElement('form');
  form.className = 'recipe';
  form.addEventListener('submit', (event) => event.preventDefault());
  const inputs = {};
  const labels = [];

  const data = document.createElement('fieldset');
  data.className = 'recipe-data';
  const legend = document.createElement('legend');
  labels.push([legend, 'train.data']);
  data.append(legend);
  for (const name of DATASETS) {
    const label = document.createElement('label');
    const radio = document.createElement('input');
    radio.type = 'radio';
    radio.name = 'dataset';
    radio.value = name;
    radio.id = `train-data-${name}`;
    const text = document.createElement('span');
    labels.push([text, `train.data.${name}`]);
    label.append(radio, ' ', text);
    data.append(label);
    inputs[`dataset-${name}`] = radio;
  }
  form.append(data);

  const grid = document.createElement('div');
  grid.className = 'recipe-grid';
  for (const [key, kind, spec] of FIELDS) {
    const label = document.createElement('label');
    label.className = `recipe-field is-${kind}`;
    const text = document.createElement('span');
    labels.push([text, `train.field.${key}`]);
    let input;
    if (kind === 'select') {
      input = document.createElement('select');
      for (const value of spec) {
        const option = document.createElement('option');
        option.value = value;
        option.textContent = CELL_NAMES[value];
        input.append(option);
      }
    } else {
      input = document.createElement('input');
      input.type = kind;
      if (kind === 'number') Object.assign(input, { min: spec.min, max: spec.max, step: spec.step, required: true });
    }
    input.name = key;
    input.id = `train-${key}`;
    if (kind === 'checkbox') label.append(input, ' ', text);
    else label.append(text, input);
    grid.append(label);
    inputs[key] = input;
  }
  form.append(grid);

  const reset = document.createElement('button');
  reset.type = 'button';
  reset.className = 'recipe-reset';
  reset.id = 'train-reset';
  labels.push([reset, 'train.reset']);
  reset.addEventListener('click', () => api.reset());
  form.append(reset);
  root.append(form);

  const clamp = (key, value) => {
    const spec = FIELDS.find((f) => f[0] === key)[2];
    return Math.min(spec.max, Math.max(spec.min, value));
  };

  const api = {
    /** The recipe as the trainer takes it, the epoch count and the data set; out-of-range numbers are clamped. */
    read() {
      const d = defaults();
      const recipe = { ...TUTORIAL_RECIPE };
      for (const [key, kind] of FIELDS) {
        if (key === 'epochs') continue;
        const input = inputs[key];
        if (kind === 'checkbox') recipe[key] = input.checked;
        else if (kind === 'select') recipe[key] = input.value;
        else {
          const v = Number(input.value);
          recipe[key] = Number.isFinite(v) && input.value !== '' ? clamp(key, v) : d[key];
          if (key !== 'dropout' && key !== 'learningRate') recipe[key] = Math.round(recipe[key]);
        }
      }
      const e = Number(inputs.epochs.value);
      const epochs = Number.isFinite(e) && inputs.epochs.value !== '' ? Math.round(clamp('epochs', e)) : d.epochs;
      const dataset = inputs['dataset-full'].checked ? 'full' : 'subset';
      return { recipe, epochs, dataset };
    },
    /** Back to the tutorial's recipe (the data choice stays). */
    reset() {
      const d = defaults();
      for (const [key, kind] of FIELDS) {
        if (kind === 'checkbox') inputs[key].checked = !!d[key];
        else inputs[key].value = String(d[key]);
      }
    },
    setDisabled(disabled) {
      for (const el of form.querySelectorAll('input, select, button')) el.disabled = disabled;
    },
    refresh() {
      for (const [el, key] of labels) el.textContent = t(key);
    },
  };
  api.reset();
  inputs['dataset-subset'].checked = true;
  api.refresh();
  return api;
}

// The loaded model's configuration and where it came from (info.provenance, shown as text).
import { select } from 'd3-selection';
import { testAccuracy } from '../model/catalog.js';
import { count } from '../ui/format.js';

export function createModelCard(root) {
  return {
    data(app) {
      const t = app.t;
      const sel = select(root);
      sel.selectAll('*').remove();
      const info = app.info;
      if (!info) return;
      const acc = testAccuracy(info.provenance);
      const dl = sel.append('dl').attr('class', 'card');
      const row = (k, v) => { dl.append('dt').text(t(k)); dl.append('dd').text(v); };
      row('card.cell', { simple_rnn: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' }[info.cell] || String(info.cell));
      row('card.layers', `${info.layers} × ${info.units}${info.bidirectional ? ' × 2 ' + t('card.bi') : ''}`);
      row('card.vocab', `${count(info.vocabSize)} · ${t('card.embedding')} ${info.embeddingDim}`);
      row('card.maxlen', `${info.maxlen} · ${t('card.padding')} ${info.padding}, ${t('card.truncating')} ${info.truncating}`);
      row('card.params', count(info.parameters));
      // One decimal: 0.8865 is not 89 %.
      row('card.accuracy', acc === null ? t('card.unknown') : `${(acc * 100).toFixed(1)}%`);
      row('card.build', info.build === 'simd' ? 'WebAssembly SIMD' : 'WebAssembly');
      const det = sel.append('details').attr('class', 'provenance');
      det.append('summary').text(t('card.provenance'));
      det.append('pre').text(JSON.stringify(info.provenance, null, 2));
    },
  };
}

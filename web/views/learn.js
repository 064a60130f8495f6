// The explanation panel: a few short sections, in the current language, each true of the model on
// screen (its cell, rows, directions, padding) — the text is chosen per model, not written once for all.
// The last section follows the tutorial's own sections and points at the part of the page that shows each.
import { select } from 'd3-selection';

const CELL_NAMES = { simple_rnn: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' };

/** The sections for this model and run: [{ id, title, paras: [{ text, link? }] }]. */
export function learnSections(app) {
  const { info, result } = app;
  const t = app.t;
  const cell = CELL_NAMES[info.cell] || info.cell;
  const rows = info.layers * (info.bidirectional ? 2 : 1);
  const padded = !!(result && result.padding > 0);
  const steps = result ? result.steps : info.maxlen;
  const p = (key, params = {}, link = null) => ({ text: t(key, { cell, rows, layers: info.layers, T: steps, maxlen: info.maxlen, ...params }), link });
  const sections = [
    { id: 'why', title: t('learn.why.title'), paras: [p('learn.why.body1'), p(info.cell === 'simple_rnn' ? 'learn.why.simple' : 'learn.why.gated')] },
    { id: 'sharing', title: t('learn.sharing.title'), paras: [p(rows > 1 ? 'learn.sharing.rows' : 'learn.sharing.one')] },
    { id: 'stacked', title: t('learn.stacked.title'), paras: [p(info.layers > 1 ? 'learn.stacked.many' : 'learn.stacked.one')] },
    { id: 'bidirectional', title: t('learn.bidirectional.title'), paras: [p(info.bidirectional ? 'learn.bidirectional.yes' : 'learn.bidirectional.no')] },
    { id: 'reading', title: t('learn.reading.title'), paras: [p('learn.reading.colours'), p(padded ? 'learn.reading.padded' : 'learn.reading.masked', { pad: result ? result.padding : 0, count: result ? result.padding : 0 })] },
    { id: 'edits', title: t('learn.edits.title'), paras: [p('learn.edits.body', {}, { href: '#h-review', key: 'sec.review' }), p('learn.edits.context')] },
    { id: 'compare', title: t('learn.compare.title'), paras: [p('learn.compare.body', {}, { href: '#h-compare', key: 'compare.label' }), p('learn.compare.cells')] },
    { id: 'lens', title: t('learn.lens.title'), paras: [p(info.cell === 'simple_rnn' ? 'learn.lens.simple' : 'learn.lens.gated', {}, { href: '#memory-lens', key: 'lens.title' })] },
    { id: 'knockout', title: t('learn.knockout.title'), paras: [p('learn.knockout.body', { units: info.units }, { href: '#h-unit', key: 'sec.unit' })] },
    {
      id: 'tutorial',
      title: t('learn.tutorial.title'),
      paras: [
        p('learn.tutorial.intro'),
        p(info.cell === 'lstm' ? 'learn.tutorial.cellLstm' : 'learn.tutorial.cell', {}, { href: '#h-equation', key: 'sec.equation' }),
        p('learn.tutorial.stacked', {}, { href: '#unrolled', key: 'sec.unrolled' }),
        p('learn.tutorial.model', {}, { href: '#h-verdict', key: 'sec.model' }),
      ],
    },
  ];
  return sections;
}

export function createLearn(root) {
  return {
    data(app) {
      const t = app.t;
      const sel = select(root);
      sel.selectAll('*').remove();
      if (!app.info) return;
      for (const section of learnSections(app)) {
        const d = sel.append('details').attr('class', 'learn-item').attr('data-section', section.id).property('open', true);
        d.append('summary').text(section.title);
        for (const para of section.paras) {
          const el = d.append('p').text(para.text);
          if (para.link) {
            el.append('span').text(' ');
            el.append('a').attr('class', 'learn-link').attr('href', para.link.href).text(`→ ${t(para.link.key)}`);
          }
        }
      }
    },
  };
}

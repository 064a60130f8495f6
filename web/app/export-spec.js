// What the Export buttons write: the diagram, the heatmaps and the chart, with a title and a
// subtitle naming the model, the step, the verdict and the review.
import { pct } from '../ui/format.js';
import { verdictOf } from './verdict.js';

const SUBTITLE_CHARS = 90;

export function exportSpec(app, views, t) {
  const parts = [{ title: t('sec.unrolled'), svg: views.diagram.node() }];
  const legend = views.heatmap.legendNode();
  if (legend) parts.push({ title: `${t('sec.heatmap')} · ${t('export.legend')} (${views.heatmap.legendText()})`, svg: legend });
  for (const n of views.heatmap.nodes()) parts.push({ title: n.title, canvas: n.canvas, overlay: n.svg });
  if (app.result && app.result.runningProbability) parts.push({ title: t('sec.decision'), svg: views.chart.node() });
  const r = app.result;
  const quote = `${app.text.slice(0, SUBTITLE_CHARS)}${app.text.length > SUBTITLE_CHARS ? '…' : ''}`;
  return {
    title: t('export.title', { model: app.modelName, t: app.cursor && app.cursor.t !== null ? app.cursor.t : '—' }),
    subtitle: r ? `${t(`verdict.${verdictOf(r).kind === 'unknown' ? 'short.unknown' : verdictOf(r).kind}`)} · ${pct(r.probability)} · “${quote}”` : '',
    parts,
  };
}

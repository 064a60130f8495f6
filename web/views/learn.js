// The explanation panel: a few short sections, in the current language.
import { select } from 'd3-selection';

const SECTIONS = ['why', 'sharing', 'stacked', 'bidirectional', 'reading'];

export function createLearn(root) {
  return {
    data(app) {
      const t = app.t;
      const sel = select(root);
      sel.selectAll('*').remove();
      for (const id of SECTIONS) {
        const d = sel.append('details').attr('class', 'learn-item').property('open', true);
        d.append('summary').text(t(`learn.${id}.title`));
        for (const para of t(`learn.${id}.body`).split('\n\n')) d.append('p').text(para);
      }
    },
  };
}

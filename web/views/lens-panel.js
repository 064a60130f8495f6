// The page's memory lens: web/views/memory-lens.js fed from the app state (the latest result and
// its attribution, computed in the worker), under the unrolled diagram and on the same cursor.
import { createMemoryLens } from './memory-lens.js';
import { stepWord } from '../ui/format.js';
import { stepItems } from '../playback/timeline.js';

export function createLensPanel(root, { onSeek, onQuantity, t }) {
  let lens = null;
  let app = null;
  const lensData = () => ({
    // Only the lens of the result on screen: a newer run's lens replaces it when it arrives.
    attribution: app.lens && app.lens.result === app.result ? app.lens.value : null,
    info: app.info,
    stepWord: (s) => stepWord(app.result, s),
    quantity: app.lensQuantity,
    // The diagram's columns (padding as one block), made from the same result as the attribution.
    items: stepItems(app.result, app.expandPadding),
  });
  const step = () => (app.cursor && app.cursor.t !== null && app.cursor.t !== undefined ? app.cursor.t : null);
  return {
    node: () => (lens ? lens.node() : null),
    data(a) {
      app = a;
      if (!app.info || !app.result) return;
      if (!lens) lens = createMemoryLens(root, lensData(), { t, onSeek, onQuantity });
      else lens.update(lensData());
      lens.cursor(step());
    },
    cursor(a) {
      app = a;
      if (lens) lens.cursor(step());
    },
  };
}

// Redraws every view for the current result, in page order, a few views per task: a task stops
// after FRAME_BUDGET_MS, so a redraw never blocks typing for long (the heatmap alone can take
// 50 ms). A newer redraw cancels the rest of an older one and inherits its `done` callbacks.

const FRAME_BUDGET_MS = 20;

/**
 * @param {() => object[]} listViews the views, in page order (each may have data(app), cursor(app))
 * @returns {{ drawAll(app, done?), isStale(view) }} isStale: the view has not drawn the current
 *   result yet (placing a cursor on it would use the previous result).
 */
export function createRenderScheduler(listViews) {
  let stale = new Set();
  let seq = 0;
  let whenDrawn = []; // callbacks of redraws not finished yet

  function drawAll(app, done) {
    const mine = ++seq;
    if (done) whenDrawn.push(done);
    const queue = listViews().filter((v) => v.data);
    stale = new Set(queue);
    const work = () => {
      if (mine !== seq) return;
      const start = performance.now();
      do {
        const view = queue.shift();
        view.data(app);
        stale.delete(view);
      } while (queue.length && performance.now() - start < FRAME_BUDGET_MS);
      if (queue.length) {
        setTimeout(work, 0);
        return;
      }
      const callbacks = whenDrawn;
      whenDrawn = [];
      for (const callback of callbacks) callback();
    };
    work();
  }

  return { drawAll, isStale: (view) => stale.has(view) };
}

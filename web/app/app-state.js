// The page's state in one object, read by every view: the loaded model, the latest result, the
// cursor in time, the selected unit and the view options. main.js owns the changes.
import { DEFAULT_MODEL } from '../model/catalog.js';
import { EXAMPLES } from '../review/examples.js';
import { createEditHistory } from '../review/edits.js';

/** The starting state, from the URL fragment's values (web/app/url-state.js). */
export function createAppState(initial, t) {
  return {
    t,
    modelName: initial.model || DEFAULT_MODEL,
    info: null,       // the loaded model's info (the model itself lives in the worker)
    prior: null,      // its prior: the probability of the head on h = 0, from the core
    result: null,     // the latest run, with .text and .info of the model that answered
    timeline: null,   // position ↔ what the network does (web/playback/timeline.js)
    cursor: null,
    selection: { entry: initial.entry ?? 0, unit: initial.unit ?? 0 },
    quantity: initial.quantity || 'h',
    effectMode: initial.effect || 'loo', // word effects: leave-one-out, or 'step' (how far the running verdict moved)
    expandPadding: !!initial.padding,    // every padding step shown, instead of one block
    leaveOneOut: null,
    lens: null,          // the memory lens of the latest result (model.attribution, from the worker)
    lensQuantity: initial.lensQuantity || 'norm', // the lens's bars: 'norm' ‖∂logit/∂xₜ‖ or 'gti' gradient × input
    knockouts: initial.knockouts || [],  // [{entry, unit, mode: 'zero' | 'plus' | 'minus'}], every run uses them
    ranking: null,       // {entry, units: [{unit, logitChange, probabilityChange}]} for the latest result
    playing: false,
    speed: initial.speed || 4,
    text: initial.text ?? EXAMPLES[0].text,
    // Editing the review in place: the history (original, undo), the original's { result, map }
    // once it has run, and whether the heatmap shows the difference from it.
    edits: createEditHistory(typeof initial.original === 'string' && initial.original !== (initial.text ?? null) ? initial.original : null),
    original: null,
    showDifference: !!initial.difference,
    // Compare mode: the second model's name, info and latest result (its own worker, main.js).
    compare: { on: !!initial.compare, partner: initial.compare || null, info: null, result: null, loading: false, error: null },
  };
}

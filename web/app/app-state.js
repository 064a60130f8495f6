// The page's state in one object, read by every view: the loaded model, the latest result, the
// cursor in time, the selected unit and the view options. main.js owns the changes.
import { DEFAULT_MODEL } from '../model/catalog.js';
import { EXAMPLES } from '../review/examples.js';

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
    playing: false,
    speed: initial.speed || 4,
    text: initial.text ?? EXAMPLES[0].text,
  };
}

// Where the page's files are, as absolute URLs resolved against the page itself. The production
// build uses relative URLs (vite.config.js base './'), so dist/ can be served from any folder; a
// relative URL sent to the model worker would resolve against the worker's script (in assets/), so
// the page resolves it here, on the main thread, before sending it.

/** The folder of the page (dev: the server root; a build served at /unroll/: …/unroll/). */
export const pageBase = () => new URL(import.meta.env.BASE_URL, document.baseURI).href;

/** The folder with unroll-{simd,scalar}.{js,wasm}: the wasmBase option of loadModel. */
export const wasmBaseUrl = () => new URL('wasm/', pageBase()).href;

/** `url` (relative to the page) as an absolute URL. */
export const pageUrl = (url) => new URL(url, document.baseURI).href;

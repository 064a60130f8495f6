// Vite serves and bundles the page (index.html + web/). Two extra folders are not sources:
//   models/           → /models/<name>.safetensors   (served in dev, copied into dist/models/)
//   build/web-wasm/   → /wasm/unroll-{simd,scalar}.{js,wasm}  (the wasm build's output; idem → dist/wasm/)
// UNROLL_MOCK=1 swaps wasm/api/unroll.js for tests/browser/mock/unroll.js (dev and tests only;
// a production build refuses to run with it).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));
const MOUNTS = [
  { prefix: '/models/', dir: path.join(root, 'models'), dest: 'models', match: /\.safetensors$/ },
  { prefix: '/wasm/', dir: path.join(root, 'build', 'web-wasm'), dest: 'wasm', match: /^unroll-[\w-]+\.(js|wasm)$/ },
];
const TYPES = { '.wasm': 'application/wasm', '.js': 'text/javascript', '.safetensors': 'application/octet-stream' };

/** Serves MOUNTS in dev/preview and copies them into the build output. */
function staticMounts() {
  let outDir = path.join(root, 'dist');
  const middleware = (req, res, next) => {
    const url = decodeURIComponent((req.url || '').split('?')[0]);
    for (const m of MOUNTS) {
      if (!url.startsWith(m.prefix)) continue;
      const rel = url.slice(m.prefix.length);
      // Only flat file names we ship; anything else (e.g. /wasm/api/unroll.js, a source module) falls through.
      if (rel.includes('/') || !m.match.test(rel)) continue;
      const file = path.join(m.dir, rel);
      if (!fs.existsSync(file)) {
        res.statusCode = 404;
        res.end(`${rel}: not found`);
        return;
      }
      res.setHeader('Content-Type', TYPES[path.extname(file)] || 'application/octet-stream');
      res.setHeader('Cache-Control', 'no-cache');
      fs.createReadStream(file).pipe(res);
      return;
    }
    next();
  };
  return {
    name: 'unroll-static-mounts',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
    closeBundle() {
      for (const m of MOUNTS) {
        if (!fs.existsSync(m.dir)) {
          this.warn(`${path.relative(root, m.dir)}/ does not exist: nothing copied to ${m.dest}/`);
          continue;
        }
        const dest = path.join(outDir, m.dest);
        fs.mkdirSync(dest, { recursive: true });
        for (const f of fs.readdirSync(m.dir)) if (m.match.test(f)) fs.copyFileSync(path.join(m.dir, f), path.join(dest, f));
      }
    },
  };
}

// Content-Security-Policy (docs/security.md says what each directive is for). The production
// build carries it as a <meta> in dist/index.html, so any static host enforces it; `vite preview`
// and the dev server also send it as a header, which adds frame-ancestors (ignored in a <meta>).
// Dev differs in one way: Vite's dev client injects the CSS as <style> elements.
const CSP = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"], // WebAssembly compile; Embind is built without eval (-sDYNAMIC_EXECUTION=0)
  'style-src': ["'self'"], // d3's .style() uses the CSSOM, which CSP does not restrict
  'img-src': ["'self'", 'data:', 'blob:'], // PNG export: canvas.toDataURL() inside a blob: SVG
  'connect-src': ["'self'"], // the model files and the .wasm
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"], // header only
};
const DEV_CSP = { ...CSP, 'style-src': ["'self'", "'unsafe-inline'"] };

/** The policy as text; `meta` leaves out what a <meta> cannot carry. */
export function cspText(policy = CSP, { meta = false } = {}) {
  return Object.entries(policy)
    .filter(([name]) => !(meta && name === 'frame-ancestors'))
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** Adds the policy to index.html as a <meta> (dev: DEV_CSP). */
function csp() {
  return {
    name: 'unroll-csp',
    transformIndexHtml: {
      order: 'pre',
      handler(html, ctx) {
        const content = cspText(ctx.server ? DEV_CSP : CSP, { meta: true });
        return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content }, injectTo: 'head-prepend' }];
      },
    },
  };
}

/** UNROLL_MOCK=1: the page's import of wasm/api/unroll.js resolves to the test mock. */
function mockApi(enabled) {
  const mock = path.join(root, 'tests', 'browser', 'mock', 'unroll.js');
  return {
    name: 'unroll-mock-api',
    enforce: 'pre',
    config(_, env) {
      if (enabled && env.command === 'build') throw new Error('UNROLL_MOCK=1 is for dev and tests, not for builds');
    },
    resolveId(source, importer) {
      if (!enabled || !importer) return null;
      if (source.endsWith('wasm/api/unroll.js') && !importer.includes('/tests/browser/mock/')) return mock;
      return null;
    },
  };
}

export default defineConfig(() => {
  const mock = process.env.UNROLL_MOCK === '1';
  return {
    root,
    publicDir: false,
    define: { __UNROLL_MOCK__: JSON.stringify(mock) },
    plugins: [mockApi(mock), staticMounts(), csp()],
    server: { host: '127.0.0.1', fs: { strict: true }, headers: { 'Content-Security-Policy': cspText(DEV_CSP) } },
    preview: { host: '127.0.0.1', headers: { 'Content-Security-Policy': cspText(CSP) } },
    // The model worker (web/model/worker.js) imports the wasm glue dynamically: an ES module worker.
    worker: { format: 'es', plugins: () => [mockApi(mock)] },
    build: {
      outDir: 'dist',
      target: 'es2022',
      assetsInlineLimit: 0,
      sourcemap: true,
    },
  };
});

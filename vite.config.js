// Vite serves and bundles the page (index.html + web/). Two extra folders are not sources:
//   models/           → /models/<name>.safetensors   (served in dev, copied into dist/models/)
//   build/web-wasm/   → /wasm/unroll-{simd,scalar}.{js,wasm}  (the wasm build's output; idem → dist/wasm/)
//                       and /wasm/unroll-trainer-{simd,scalar}.{js,wasm} (the in-browser trainer's, web/train/)
//   build/training-data/ → /data/imdb-{full,subset}.bin  (scripts/make-training-data.sh; idem → dist/data/)
// UNROLL_MOCK=1 swaps wasm/api/unroll.js for tests/browser/mock/unroll.js (dev and tests only;
// a production build refuses to run with it).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { DEFAULT_MODEL } from './web/model/catalog.js';

const root = path.dirname(fileURLToPath(import.meta.url));
const MOUNTS = [
  { prefix: '/models/', dir: path.join(root, 'models'), dest: 'models', match: /\.safetensors$/ },
  { prefix: '/wasm/', dir: path.join(root, 'build', 'web-wasm'), dest: 'wasm', match: /^unroll-[\w-]+\.(js|wasm)$/ },
  { prefix: '/data/', dir: path.join(root, 'build', 'training-data'), dest: 'data', match: /^imdb-(full|subset)\.bin$/ },
  { prefix: '/icons/', dir: path.join(root, 'web', 'icons'), dest: 'icons', match: /^icon-\d+\.png$/ },
];
const TYPES = { '.wasm': 'application/wasm', '.js': 'text/javascript', '.safetensors': 'application/octet-stream', '.png': 'image/png', '.bin': 'application/octet-stream' };

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
      res.setHeader('Content-Length', String(fs.statSync(file).size)); // the training view's download progress
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
    // writeBundle, not closeBundle: the service worker's precache list (pwa() below, written at
    // closeBundle) must see these files.
    writeBundle() {
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

/**
 * web/shell/load-errors.js as a classic <script> right after the CSP <meta>, before the page's
 * module: it must run even when the module cannot load, to say which file failed. Copied into
 * dist/ as shell/load-errors.js (Vite bundles modules only).
 */
function loadErrorsScript() {
  const source = path.join(root, 'web', 'shell', 'load-errors.js');
  let build = false;
  return {
    name: 'unroll-load-errors',
    configResolved(config) {
      build = config.command === 'build';
    },
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const tag = `<script src="${build ? './shell/load-errors.js' : '/web/shell/load-errors.js'}"></script>`;
        const csp = /<meta http-equiv="Content-Security-Policy"[^>]*>/;
        if (!csp.test(html)) throw new Error('index.html: no CSP <meta> to put the load-errors script after');
        return html.replace(csp, (meta) => `${meta}\n    ${tag}`);
      },
    },
    generateBundle() {
      if (build) this.emitFile({ type: 'asset', fileName: 'shell/load-errors.js', source: fs.readFileSync(source, 'utf8') });
    },
  };
}

/**
 * Offline use and installing as an app (docs/deploy.md): a Workbox service worker generated by
 * vite-plugin-pwa. It precaches the page (HTML, JS, CSS, icons), both wasm builds (the browser
 * picks one; together 0.5 MB) and the default model; another model is cached the first time it is
 * used (network first, so a new deployment's file wins while online). The registration is an
 * external script (registerSW.js), which the CSP allows; dev and tests on the dev server run
 * without a service worker.
 */
function pwa() {
  return VitePWA({
    injectRegister: 'script',
    registerType: 'autoUpdate',
    manifest: {
      name: 'Unroll — watch a recurrent network read',
      short_name: 'Unroll',
      description: 'Type a movie review and step through a recurrent neural network as it reads it, word by word.',
      start_url: './',
      scope: './',
      display: 'standalone',
      background_color: '#1f2430',
      theme_color: '#1f2430',
      icons: [
        { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      ],
    },
    workbox: {
      // The explainer's wasm only: the trainer's modules and data (web/train/) load when training is opened.
    globPatterns: ['index.html', 'registerSW.js', 'assets/*.{js,css,svg}', 'shell/*.js', 'icons/*.png', 'wasm/unroll-{simd,scalar}.{js,wasm}',
        `models/${DEFAULT_MODEL}.safetensors`],
      maximumFileSizeToCacheInBytes: 8 * 1024 * 1024, // the default model is 2.1 MB (Workbox's default limit: 2 MiB)
      navigateFallback: 'index.html',
      cleanupOutdatedCaches: true,
      // Take over the page (and its model worker) on the first visit, so that a model used then is
      // cached too, and replace an older worker at once after a new deployment.
      clientsClaim: true,
      skipWaiting: true,
      runtimeCaching: [{
        urlPattern: /\/models\/[\w.-]+\.safetensors$/,
        handler: 'NetworkFirst',
        options: { cacheName: 'unroll-models', expiration: { maxEntries: 16 } },
      }],
    },
  });
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
    // Relative URLs in the build: dist/ works from any folder of any static host (/, /unroll/, …).
    // The page resolves the model and wasm URLs against its own address (web/shell/paths.js).
    base: './',
    publicDir: false,
    define: { __UNROLL_MOCK__: JSON.stringify(mock) },
    plugins: [mockApi(mock), staticMounts(), csp(), loadErrorsScript(), pwa()],
    server: { host: '127.0.0.1', fs: { strict: true }, headers: { 'Content-Security-Policy': cspText(DEV_CSP) } },
    preview: { host: '127.0.0.1', headers: { 'Content-Security-Policy': cspText(CSP) } },
    // The model worker (web/model/model-worker.js) imports the wasm glue dynamically: an ES module worker.
    worker: { format: 'es', plugins: () => [mockApi(mock)] },
    build: {
      outDir: 'dist',
      target: 'es2022',
      assetsInlineLimit: 0,
      sourcemap: true,
    },
  };
});

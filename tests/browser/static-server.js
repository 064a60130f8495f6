// A plain static file server, as a host that knows nothing about Unroll would be: files of one
// folder under one URL prefix (e.g. dist/ at /unroll/), the usual types (.wasm as
// application/wasm), no special headers, 404 for anything else. Used by deploy.test.js.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.webmanifest': 'application/manifest+json', '.png': 'image/png',
  '.wasm': 'application/wasm', '.map': 'application/json',
};

/** Serves `dir` at `prefix` ('/unroll/') on 127.0.0.1:<free port>; returns { url, requests, close }. */
export async function serveStatic(dir, prefix = '/') {
  const requests = [];
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push(pathname);
    if (pathname === prefix.slice(0, -1)) { // /unroll → /unroll/, as static hosts do
      res.writeHead(301, { Location: prefix }).end();
      return;
    }
    let rel = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : null;
    if (rel !== null && (rel === '' || rel.endsWith('/'))) rel += 'index.html';
    const file = rel === null ? null : path.join(dir, rel);
    if (!file || !file.startsWith(dir + path.sep) || !fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

/** `vite build` of the page into `outDir` (no source maps), as scripts/build-site.sh does. */
export async function buildDist(root, outDir) {
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.config.js'), root, logLevel: 'error', build: { outDir, emptyOutDir: true, sourcemap: false } });
  return outDir;
}

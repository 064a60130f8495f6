// The JS API as a package used outside this repository: `npm pack` (package.json "files": the API,
// its .d.ts and both wasm builds), installed from the tarball into a temporary folder, imported by
// its package name from a plain node script that classifies reviews with a shipped model on each
// build, and type-checked from a TypeScript file that imports it the same way.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ROOT, WASM_DIR } from './helpers.mjs';

const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const MODEL = path.join(ROOT, 'models', 'seed-rnn.safetensors');
const REQUIRE_REAL = process.env.CI === 'true' || process.env.UNROLL_REQUIRE_REAL === '1';
const missing = ['simd', 'scalar'].flatMap((v) => [`unroll-${v}.js`, `unroll-${v}.wasm`]).filter((f) => !fs.existsSync(path.join(WASM_DIR, f)));
if (!fs.existsSync(MODEL)) missing.push('models/seed-rnn.safetensors');
const skip = !REQUIRE_REAL && missing.length > 0 && `missing ${missing.join(', ')}`;

let dir;     // the temporary consumer project
let files;   // the tarball's file list
const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

before(() => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unroll-package-'));
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], ROOT));
  files = packed.files.map((f) => f.path);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  npm(['install', '--offline', path.join(dir, packed.filename)], dir);
});
after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('npm pack: the API, its types and both wasm builds, nothing else of the repository', { skip }, () => {
  for (const f of ['wasm/api/unroll.js', 'wasm/api/simd-detect.js', 'wasm/api/unroll.d.ts', 'package.json',
    'build/web-wasm/unroll-simd.js', 'build/web-wasm/unroll-simd.wasm', 'build/web-wasm/unroll-scalar.js', 'build/web-wasm/unroll-scalar.wasm']) {
    assert.ok(files.includes(f), `${f} is in the package`);
  }
  assert.deepEqual(files.filter((f) => /^(web|core|tests|models|tools|bench|scripts)\//.test(f)), [], 'no page, core sources, tests or models');
});

test('installed from the tarball elsewhere: a node script classifies reviews with a shipped model, on both builds', { skip }, () => {
  fs.writeFileSync(path.join(dir, 'classify.mjs'), `
    import { loadModel, detectSimd } from '${PKG.name}';
    const [file, simd] = process.argv.slice(2);
    const model = await loadModel(file, { simd: simd === 'true' });
    try {
      const good = model.run('A wonderful, moving film. The acting is superb and I loved every minute of it.');
      const bad = model.run('A dull, boring mess. The plot is stupid and the acting is awful. A waste of time.');
      console.log(JSON.stringify({ build: model.info.build, good: good.label, bad: bad.label, p: good.probability, simd: await detectSimd() }));
    } finally {
      model.dispose();
    }
  `);
  const env = { ...process.env };
  delete env.UNROLL_WASM_DIR; // the package's own wasm builds, not the repository's
  for (const simd of [true, false]) {
    const out = JSON.parse(execFileSync(process.execPath, ['classify.mjs', MODEL, String(simd)], { cwd: dir, env, encoding: 'utf8' }));
    assert.equal(out.build, simd ? 'simd' : 'scalar');
    assert.equal(out.good, 'positive');
    assert.equal(out.bad, 'negative');
    assert.ok(out.p > 0.5 && out.p <= 1);
  }
  assert.ok(fs.existsSync(path.join(dir, 'node_modules', PKG.name, 'build', 'web-wasm', 'unroll-simd.wasm')));
});

test('installed from the tarball: a TypeScript file importing it by name type-checks (tsc --noEmit)', { skip }, () => {
  fs.writeFileSync(path.join(dir, 'use.ts'), `
    import { loadModel, type Model, type RunResult } from '${PKG.name}';
    export async function verdict(bytes: Uint8Array): Promise<RunResult['label']> {
      const model: Model = await loadModel(bytes, { simd: 'auto' });
      try { return model.run('fine').label; } finally { model.dispose(); }
    }
    // @ts-expect-error: the API has no such export
    import { nothing } from '${PKG.name}';
  `);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022', 'dom'], types: [], strict: true, noEmit: true },
    files: ['use.ts'],
  }));
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir, '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
});

// wasm/api/unroll.d.ts against its users, with the TypeScript compiler (npm dev dependency):
// - tests/types/usage.ts uses every documented function and result field (docs/js-api.md) under
//   `strict`; its @ts-expect-error lines (a number for a text, a third label, writing to info)
//   must stay errors;
// - the JS tests (tests/js/*.test.mjs, checkJs): every API member and result field they use must
//   exist in the declarations with a compatible arity. Their deliberate misuse (topWords(0,
//   'sideways'), loadModel(42), predictBatch('w0')) and loosely typed test code give other
//   errors, which are printed, not failed on.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

import { ROOT } from './helpers.mjs';

const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** Runs tsc on a project; returns its error lines (empty when it passes). */
function tsc(project) {
  try {
    execFileSync(process.execPath, [TSC, '-p', path.join(ROOT, project), '--pretty', 'false'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    return [];
  } catch (error) {
    if (!error.stdout) throw error;
    return error.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
  }
}

test('tsc --noEmit: the typed usage example of every documented function and field compiles under strict', () => {
  assert.deepEqual(tsc('tests/types/tsconfig.json'), []);
});

test('tsc --noEmit: every API member and field the JS tests use is declared', (t) => {
  const errors = tsc('tests/types/tsconfig.tests.json');
  // TS2339/TS2551: no such property; TS2554/TS2555: wrong number of arguments; TS2305/TS2614: no
  // such export. On anything but the API's own types ('unknown' catch values) they are test code.
  const missing = errors.filter((e) => /error TS(2339|2551|2554|2555|2305|2614):/.test(e) && !/on type 'unknown'/.test(e));
  for (const e of errors) if (!missing.includes(e)) t.diagnostic(`ignored: ${e}`);
  assert.deepEqual(missing, []);
});

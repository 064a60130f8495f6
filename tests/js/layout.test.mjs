// The trace layout crosses from wasm/bindings.cpp to wasm/api/unroll.js as int32 words: both sides
// must name the same fields in the same order. These tests fail when one side changes without
// the other: in the sources (before anything is built), and in the built modules.
// Run: scripts/build-wasm.sh && node --test tests/js/

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { LAYOUT, checkLayout, loadModel } from '../../wasm/api/unroll.js';
import { BUILDS, ROOT, fixturePath } from './helpers.mjs';

/** The layout as wasm/bindings.cpp declares it (namespace layout): version and field names. */
function bindingsLayout() {
  const source = fs.readFileSync(path.join(ROOT, 'wasm', 'bindings.cpp'), 'utf8');
  const names = (array) => {
    const match = source.match(new RegExp(`${array}\\[[^\\]]*\\]\\s*=\\s*\\{([^}]*)\\}`));
    assert.ok(match, `bindings.cpp declares ${array}`);
    return [...match[1].matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  };
  const version = source.match(/kVersionNumber\s*=\s*(\d+)/);
  assert.ok(version, 'bindings.cpp declares kVersionNumber');
  return { version: Number(version[1]), fields: names('kFieldNames'), layerFields: names('kLayerFieldNames') };
}

test('bindings.cpp and unroll.js declare the same trace layout', () => {
  const cpp = bindingsLayout();
  assert.equal(cpp.version, LAYOUT.version);
  assert.deepEqual(cpp.fields, [...LAYOUT.fields]);
  assert.deepEqual(cpp.layerFields, [...LAYOUT.layerFields]);
});

test('checkLayout refuses another version, a missing, renamed or moved field', () => {
  const same = { version: LAYOUT.version, fields: [...LAYOUT.fields], layerFields: [...LAYOUT.layerFields] };
  checkLayout(same);
  const variants = [
    { ...same, version: LAYOUT.version + 1 },
    { ...same, fields: same.fields.slice(1) },
    { ...same, fields: same.fields.map((f) => (f === 'steps' ? 'stepCount' : f)) },
    { ...same, fields: [same.fields[0], same.fields[2], same.fields[1], ...same.fields.slice(3)] },
    { ...same, layerFields: [...same.layerFields, 'extra'] },
    null,
  ];
  for (const layout of variants) {
    assert.throws(() => checkLayout(layout), /trace layout .* is not the one unroll\.js reads/);
  }
});

for (const build of BUILDS) {
  describe(`build ${build.name}`, () => {
    test('the module reports the layout unroll.js reads (it loads) and every header carries its version', async () => {
      const model = await loadModel(fixturePath('gru_stacked_bi.safetensors'), build.options);
      try {
        const result = model.run('w1 w2 w3');
        assert.equal(result.layers.length, 4);
        assert.equal(model.tokenize('w1').tokens.length, 1);
      } finally {
        model.dispose();
      }
    });
  });
}

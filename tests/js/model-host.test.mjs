// web/model/model-host.js under node, on the real wasm build: a model file with a pooled head
// (tests/fixtures/*_max, *_mean) is refused before the swap, with a message naming the pooling,
// and the model loaded before it keeps answering.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';

import { createModelHost } from '../../web/model/model-host.js';
import { WASM_DIR, fixturePath } from './helpers.mjs';

const bytesOf = (name) => new Uint8Array(fs.readFileSync(fixturePath(`${name}.safetensors`)));

test('a pooled head is refused and the previous model stays', async () => {
  const host = createModelHost();
  const info = await host.call('load', { bytes: bytesOf('lstm_stacked_bi_masked'), name: 'previous.safetensors', wasmBase: WASM_DIR });
  assert.equal(info.pooling, 'last');
  const before = await host.call('run', { text: 'w1 w2 w3' });
  for (const [fixture, pooling] of [['lstm_stacked_bi_masked_max', 'max'], ['gru_stacked_bi_masked_mean', 'mean']]) {
    await assert.rejects(host.call('load', { bytes: bytesOf(fixture), name: `${fixture}.safetensors`, wasmBase: WASM_DIR }),
      new RegExp(`${fixture}\\.safetensors: its head reads the ${pooling} of every step's state \\(config pooling "${pooling}"\\)`));
  }
  const after = await host.call('run', { text: 'w1 w2 w3' });
  assert.equal(after.probability, before.probability, 'the previous model answers as before');
});

// web/shell/load-advice.js: which advice a load failure gets, and how it joins the page's message.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadAdvice, withLoadAdvice } from '../../web/shell/load-advice.js';

test('each kind of load failure gets its own advice, in English and Chinese', () => {
  const cases = [
    ['seed-rnn.safetensors: HTTP 404 Not Found', /publish models\//, /模型文件/],
    ['unroll-simd: Aborted(failed to load wasm binary file at \'…/unroll-simd.wasm\')', /WebAssembly engine/, /WebAssembly 引擎/],
    ['Failed to fetch dynamically imported module: http://h/unroll/assets/model-host-x.js', /publish all of dist\//, /全部文件/],
    ['best.safetensors: Failed to fetch', /check the connection/, /检查连接/],
    ['mine.safetensors: its head reads the max of every step\'s state (config pooling "max"), not the final states', /final hidden states/, /最终隐藏状态/],
  ];
  for (const [message, en, zh] of cases) {
    assert.match(loadAdvice(new Error(message), 'en'), en, message);
    assert.match(loadAdvice(message, 'zh'), zh, message);
  }
  assert.equal(loadAdvice(new Error("x.safetensors: tensor 'embedding' has shape [10,8], expected [12,8]")), '', 'a bad file: its own message says it all');
});

test('the advice follows the message after a full stop of the language', () => {
  const error = new Error('seed-rnn.safetensors: HTTP 404 Not Found');
  assert.match(withLoadAdvice('Could not load the model: seed-rnn.safetensors: HTTP 404 Not Found', error, 'en'), /Not Found\. The model file is not on the server/);
  assert.match(withLoadAdvice('无法加载模型：seed-rnn.safetensors: HTTP 404 Not Found', error, 'zh'), /Not Found。服务器上没有这个模型文件/);
  assert.equal(withLoadAdvice('Could not load the model: bad.', new Error('bad'), 'en'), 'Could not load the model: bad.');
});

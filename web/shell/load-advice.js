// What to do when the model or the wasm engine does not load: a sentence added to the page's
// "Could not load the model: …" message, in the page's language. The message itself (from the JS
// API) already names the file; this says what the reader, or whoever hosts the page, can do.
const ADVICE = {
  en: {
    model: 'The model file is not on the server: whoever hosts this page should publish models/ from dist/ with it (docs/deploy.md). Meanwhile, choose another model.',
    wasm: 'The WebAssembly engine is not on the server or not served as application/wasm: whoever hosts this page should publish wasm/ from dist/ with it (docs/deploy.md).',
    network: 'The network failed: check the connection and reload the page.',
    page: 'A file of the page is missing: reload the page; whoever hosts it should publish all of dist/ (docs/deploy.md).',
    pooled: 'This page explains models whose head reads the final hidden states; a pooled head runs in tools/evaluate and the JS API (docs/model-format.md). Your previous model is still here.',
  },
  zh: {
    model: '服务器上没有这个模型文件：部署本页面的人应把 dist/ 中的 models/ 一并发布（见 docs/deploy.md）。您可以先选择其他模型。',
    wasm: '服务器上没有 WebAssembly 引擎，或其类型不是 application/wasm：部署本页面的人应把 dist/ 中的 wasm/ 一并发布（见 docs/deploy.md）。',
    network: '网络出错：请检查连接后刷新页面。',
    page: '页面缺少一个文件：请刷新页面；部署本页面的人应发布 dist/ 中的全部文件（见 docs/deploy.md）。',
    pooled: '本页面讲解的是输出层读取最终隐藏状态的模型；池化输出层的模型可用 tools/evaluate 和 JS API 运行（见 docs/model-format.md）。之前的模型仍在使用。',
  },
};

/** The advice for a load failure (an Error or its message) in `lang` ('en' | 'zh'), or ''. */
export function loadAdvice(error, lang = 'en') {
  const message = String((error && error.message) || error || '');
  const text = ADVICE[lang] || ADVICE.en;
  if (/config pooling "(mean|max)"/.test(message)) return text.pooled;
  if (/unroll-(simd|scalar)|wasm binary|WebAssembly\.instantiate/i.test(message)) return text.wasm;
  if (/dynamically imported module|importing a module script failed/i.test(message)) return text.page;
  if (/\.safetensors/i.test(message) && /HTTP 40[34]/.test(message)) return text.model;
  if (/Failed to fetch|NetworkError|network/i.test(message)) return text.network;
  return '';
}

/** `message` (the page's "Could not load the model: …") followed by the advice for `error`, punctuated. */
export function withLoadAdvice(message, error, lang = 'en') {
  const advice = loadAdvice(error, lang);
  if (!advice) return message;
  const zh = lang === 'zh';
  const end = /[.。!！?？]$/.test(message) ? '' : zh ? '。' : '.';
  return `${message}${end}${zh ? '' : ' '}${advice}`;
}

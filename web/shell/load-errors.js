// The page's last line of defence against a blank screen: a classic script (not a module, so it
// runs even when the page's own module cannot load) that vite.config.js puts before the page's
// script. If a file of the page itself fails to load (the main script, a chunk, the style sheet,
// the icon), or the page has not started after a while, it says which file and what to do, in
// English and Chinese, in the page's error banner (#error, role="alert").
// The model and the wasm engine are loaded later, by the page; web/shell/load-advice.js adds the
// "what to do" to those messages.
(function () {
  'use strict';
  var START_LIMIT_MS = 20000; // the page sets <html data-state> within a second or two when it works
  var TEXT = {
    en: {
      file: 'The page could not load {file}.',
      start: 'The page did not start.',
      sep: ' ',
      todo: 'Reload the page. If it happens again and you host this copy, check that every file of dist/ was published, in the same folders (docs/deploy.md).',
    },
    zh: {
      file: '页面无法加载 {file}。',
      start: '页面没有启动。',
      sep: '',
      todo: '请刷新页面。如果问题仍然存在，且这是您部署的副本，请检查 dist/ 中的所有文件是否都已按原有目录结构发布（见 docs/deploy.md）。',
    },
  };
  var failed = [];

  function lang() {
    var l = document.documentElement.getAttribute('lang') || '';
    var m = /[#&]lang=(en|zh)\b/.exec(location.hash);
    if (m) return m[1];
    if (/^zh/i.test(l)) return 'zh';
    var nav = (navigator.languages && navigator.languages[0]) || navigator.language || '';
    return /^zh/i.test(nav) ? 'zh' : 'en';
  }

  /** The file's path relative to the page, as a reader would find it in dist/. */
  function shortName(url) {
    try {
      var u = new URL(url, document.baseURI);
      var base = new URL('.', document.baseURI);
      return u.origin === base.origin && u.pathname.indexOf(base.pathname) === 0 ? u.pathname.slice(base.pathname.length) : u.href;
    } catch (e) {
      return String(url);
    }
  }

  function show() {
    var text = TEXT[lang()];
    var message = (failed.length ? text.file.replace('{file}', failed.join(', ')) : text.start) + text.sep + text.todo;
    var el = document.getElementById('error');
    if (!el) {
      if (!document.body) return;
      el = document.createElement('p');
      el.id = 'error';
      el.setAttribute('role', 'alert');
      document.body.insertBefore(el, document.body.firstChild);
    }
    el.textContent = message;
    el.hidden = false;
    document.documentElement.setAttribute('data-load-error', failed.join(' ') || 'start');
    if (!document.documentElement.dataset.state) document.documentElement.dataset.state = 'error';
  }

  function fail(url) {
    var name = shortName(url);
    if (failed.indexOf(name) < 0) failed.push(name);
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', show, { once: true });
    else show();
  }

  // A <script>, <link> or <img> that fails fires a non-bubbling 'error' on itself; the capture
  // phase still passes through window.
  window.addEventListener('error', function (event) {
    var el = event.target;
    if (!el || el === window || !el.tagName) return;
    var url = el.src || el.href;
    if (url && /^(SCRIPT|LINK|IMG)$/.test(el.tagName)) fail(url);
  }, true);
  // A dynamic import() of a chunk that is not there.
  window.addEventListener('unhandledrejection', function (event) {
    var m = /dynamically imported module: (\S+)/.exec(String(event.reason && event.reason.message));
    if (m) fail(m[1]);
  });
  // Vite's preload helper reports a chunk it could not preload.
  window.addEventListener('vite:preloadError', function (event) {
    var m = /(\S+\.(?:js|css))/.exec(String(event.payload && event.payload.message));
    fail(m ? m[1] : 'a part of the page');
  });
  setTimeout(function () {
    if (!document.documentElement.dataset.state) show();
  }, START_LIMIT_MS);
})();

// The page's language: t(key, params) looks a text up in en.js or zh.js and fills {name} slots.
// Elements with data-i18n="key" get textContent; data-i18n-aria / data-i18n-placeholder likewise.

import { en } from './en.js';
import { zh } from './zh.js';

const DICTS = { en, zh };
let lang = 'en';

export const languages = () => Object.keys(DICTS);
export const getLang = () => lang;

export function setLang(next) {
  lang = Object.hasOwn(DICTS, next) ? next : 'en';
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

/** Text for key in the current language (English as fallback), with {name} filled from params; params.count picks a singular. */
export function t(key, params = {}) {
  const own = (dict, k = key) => (Object.hasOwn(dict, k) ? dict[k] : undefined);
  // Plurals: with params.count === 1, a language that has a 'key.one' text uses it ("1 word").
  const one = Object.hasOwn(params, 'count') && params.count === 1 ? own(DICTS[lang], `${key}.one`) : undefined;
  const s = one ?? own(DICTS[lang]) ?? own(en) ?? key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (Object.hasOwn(params, k) ? String(params[k]) : m));
}

/** Applies data-i18n, data-i18n-aria and data-i18n-placeholder under root. */
export function applyStatic(root = document) {
  if (root === document) document.title = t('page.title');
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.setAttribute('placeholder', t(el.dataset.i18nPlaceholder));
}

/** Default language: the browser's, if Chinese. */
export function preferredLang() {
  const l = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
  return /^zh/i.test(l) ? 'zh' : 'en';
}

// The page's language: English or 简体中文. The texts come from Rust's catalogs (src/i18n/*.json,
// through wasm `messages(lang)`), keyed by the English text they replace (`page.<English>`), plus
// named templates (`page.t.*`) for sentences the page assembles. This file only looks them up.
//
// The language follows, in order: the link's `lang` (an author's choice), `?lang=` in the URL,
// the choice made on this page (localStorage `gradlab-lang`), `navigator.languages`.
import { messages, set_plot_language, say_text } from './pkg/gradlab.js';

const STORE = 'gradlab-lang';
let lang = 'en';
let table = {};
/** Original English of translated text nodes and attributes, to switch back. */
const originalText = new WeakMap();
const originalAttr = new WeakMap();
const ATTRS = ['aria-label', 'title', 'placeholder'];
const SKIP = new Set(['SCRIPT', 'STYLE', 'CODE', 'PRE', 'CANVAS', 'svg']);
/** Elements whose attributes are translated (a placeholder, a label) but never their content. */
const NO_CONTENT = new Set(['TEXTAREA', 'INPUT']);
const listeners = [];

export function current() {
  return lang;
}

/** The language this browser asks for: `zh-CN` for any Chinese, else `en`. */
function preferred() {
  const url = new URLSearchParams(location.search).get('lang');
  if (url) return normalize(url);
  try {
    const saved = localStorage.getItem(STORE);
    if (saved) return normalize(saved);
  } catch { /* storage blocked */ }
  for (const l of navigator.languages || [navigator.language || 'en']) {
    if (/^zh\b/i.test(l)) return 'zh-CN';
    if (/^en\b/i.test(l)) return 'en';
  }
  return 'en';
}

export function normalize(tag) {
  return /^zh\b/i.test(String(tag || '')) ? 'zh-CN' : 'en';
}

/** A template of the page (`page.t.<key>`) with `{name}` arguments, in the current language. */
export function t(key, args = {}, english = '') {
  const template = table[`page.t.${key}`] ?? english ?? key;
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (m, n) => (n in args ? String(args[n]) : m));
}

/** A sentence or name Rust wrote in English (a solver's name, a stop reason…), in the current
 * language (Rust's `say`: the catalogs' `say.*` templates), or the text itself. */
export function say(text) {
  if (lang === 'en' || text == null) return text;
  try { return say_text(lang, String(text)); } catch { return text; }
}

/** The translation of an English label, or the label itself. */
export function tr(english) {
  return table[`page.${english}`] ?? english;
}

function translateNode(node) {
  if (node.nodeType === Node.TEXT_NODE) {
    const orig = originalText.get(node) ?? node.data;
    const key = orig.replace(/\s+/g, ' ').trim();
    if (!key || !/[A-Za-z]/.test(key)) return;
    let to = lang === 'en' ? key : table[`page.${key}`];
    if (to === undefined && key.length < 240) {
      // A sentence or name Rust wrote (a solver's display name, a stop reason with its numbers…).
      try {
        const said = say_text(lang, key);
        if (said !== key) to = said;
      } catch { /* an old build */ }
    }
    if (to === undefined) return;
    if (!originalText.has(node)) originalText.set(node, orig);
    const lead = orig.match(/^\s*/)[0];
    const trail = orig.match(/\s*$/)[0];
    const next = lang === 'en' ? orig : `${lead}${to}${trail}`;
    if (node.data !== next) node.data = next;
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE || SKIP.has(node.nodeName) || node.closest?.('[data-no-i18n], .explain, .lens-box, .coach, .teach-lines')) return;
  let saved = originalAttr.get(node);
  for (const a of ATTRS) {
    if (!node.hasAttribute(a)) continue;
    const orig = saved?.[a] ?? node.getAttribute(a);
    const to = lang === 'en' ? orig : table[`page.${orig.trim()}`];
    if (to === undefined) continue;
    if (!saved) { saved = {}; originalAttr.set(node, saved); }
    saved[a] = orig;
    if (node.getAttribute(a) !== to) node.setAttribute(a, to);
  }
  if (!NO_CONTENT.has(node.nodeName)) for (const c of node.childNodes) translateNode(c);
}

/** Translates everything under `root` into the current language. */
export function translate(root = document.body) {
  translateNode(root);
}

/** Calls `fn(lang)` after every language change. */
export function onChange(fn) {
  listeners.push(fn);
}

/** Sets the language (`remember`: the reader chose it on this page). */
export function setLang(tag, { remember = false } = {}) {
  lang = normalize(tag);
  try {
    table = lang === 'en' ? {} : messages(lang);
  } catch {
    table = {};
  }
  document.documentElement.lang = lang;
  try { set_plot_language(lang); } catch { /* an old build */ }
  if (remember) {
    try { localStorage.setItem(STORE, lang); } catch { /* storage blocked */ }
  }
  const select = document.getElementById('lang-select');
  // Its options are each in their own language (data-no-i18n); its name is in the page's.
  if (select) { select.value = lang; select.setAttribute('aria-label', tr('language')); }
  translate(document.body);
  document.title = lang === 'en' ? (originalTitle ?? document.title) : (table[`page.${originalTitle}`] ?? document.title);
  for (const fn of listeners) fn(lang);
}

let originalTitle = null;

/** Starts: the preferred language, a switcher, and translation of whatever the page adds later. */
export function initI18n(linkLang) {
  originalTitle = document.title;
  const select = document.getElementById('lang-select');
  select?.addEventListener('change', () => setLang(select.value, { remember: true }));
  // Text the page adds or replaces (tables, messages) is translated as it arrives.
  new MutationObserver((records) => {
    if (lang === 'en') return;
    for (const r of records) for (const n of r.addedNodes) translateNode(n);
  }).observe(document.body, { childList: true, subtree: true });
  setLang(linkLang || preferred());
}

// Light or dark: the page's colours (CSS custom properties, www/style.css) and the plots' (Rust,
// `set_plot_theme` → crate::plot::Theme). The theme follows, in order: `?theme=` in the URL (an
// embed's author: `?embed&theme=dark`), the reader's choice in the header (localStorage
// `gradlab-theme`: `auto`, `light` or `dark`), the system's `prefers-color-scheme`.
// <html data-theme="light|dark"> carries the resolved theme; before this script runs the CSS
// follows `prefers-color-scheme` by itself.

const STORE = 'gradlab-theme';
const CHOICES = ['auto', 'light', 'dark'];
const listeners = [];
const system = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
let choice = 'auto';
let resolved = 'light';
let plotTheme = null;

function normalize(v) {
  const s = String(v ?? '').trim().toLowerCase();
  return CHOICES.includes(s) ? s : null;
}

/** The URL's `theme`, if any (it wins over the stored choice and is not remembered). */
function urlChoice() {
  return normalize(new URLSearchParams(location.search).get('theme'));
}

function storedChoice() {
  try { return normalize(localStorage.getItem(STORE)); } catch { return null; }
}

/** `light` or `dark`: what the page shows now. */
export function current() {
  return resolved;
}

/** `auto`, `light` or `dark`: what was chosen. */
export function choiceOf() {
  return choice;
}

/** Calls `fn(theme)` after every change of the resolved theme. */
export function onChange(fn) {
  listeners.push(fn);
}

function apply() {
  const next = choice === 'auto' ? (system?.matches ? 'dark' : 'light') : choice;
  const changed = next !== resolved;
  resolved = next;
  document.documentElement.dataset.theme = resolved;
  const select = document.getElementById('theme-select');
  if (select && select.value !== choice) select.value = choice;
  if (plotTheme) {
    try { plotTheme(resolved); } catch { /* an old build */ }
  }
  if (changed) for (const fn of listeners) fn(resolved);
}

/** Chooses `auto`, `light` or `dark` (`remember`: the reader chose it on this page). */
export function setTheme(value, { remember = false } = {}) {
  choice = normalize(value) ?? 'auto';
  if (remember) {
    try { localStorage.setItem(STORE, choice); } catch { /* storage blocked */ }
  }
  apply();
}

// At once (before the wasm module loads): the page's colours without a flash of the other theme;
// then the system's changes and another tab's choice are followed (also on the tutorial, which
// loads only this module).
choice = urlChoice() ?? storedChoice() ?? 'auto';
resolved = choice === 'auto' ? (system?.matches ? 'dark' : 'light') : choice;
document.documentElement.dataset.theme = resolved;
system?.addEventListener?.('change', () => { if (choice === 'auto') apply(); });
window.addEventListener('storage', (e) => {
  if (e.key === STORE && !urlChoice()) setTheme(e.newValue ?? 'auto');
});

/** Starts on the page: `setPlotTheme` is wasm's `set_plot_theme`; the header's switch. */
export function initTheme(setPlotTheme) {
  plotTheme = setPlotTheme;
  const select = document.getElementById('theme-select');
  select?.addEventListener('change', () => setTheme(select.value, { remember: true }));
  apply();
}

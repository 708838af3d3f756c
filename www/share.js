// Share, embed and export UI of the page shell (wired by app.js). Glue only: links are encoded,
// decoded and validated in Rust (src/link.rs via src/web/share.rs); traces are exported by Rust.
// Everything shown to the user goes through textContent / value, never innerHTML.
import { $, el } from './ui.js';

/** Shows a dismissible message under the header (`kind`: 'error' or 'info'). */
export function showMessage(text, kind = 'info') {
  const box = $('share-msg');
  box.querySelector('.text').textContent = text;
  box.dataset.kind = kind;
  box.hidden = false;
}

export function clearMessage() {
  $('share-msg').hidden = true;
}

/** Saves `data` (string or Blob) as a file named `name`. */
export function download(name, data, type = 'text/plain') {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The full-page URL (no `?embed`) holding link `link`. */
export function pageUrl(link) {
  const u = new URL(location.href);
  u.search = '';
  u.hash = link;
  return u.href;
}

/** The embed URL (`?embed`) holding link `link`. */
export function embedUrl(link) {
  const u = new URL(location.href);
  u.search = '?embed';
  u.hash = link;
  return u.href;
}

/** The iframe snippet for link `link` (640×480: the embed layout works from 600×400 up). */
export function embedSnippet(link) {
  return `<iframe src="${embedUrl(link).replaceAll('"', '%22')}" width="640" height="480" ` +
    'style="border:1px solid #dde1e8;border-radius:8px;max-width:100%" loading="lazy" ' +
    'title="gradlab experiment" allow="clipboard-write"></iframe>';
}

let dialog = null;
/** A modal with a read-only text box and a Copy button (built once, text only). */
export function showCopyDialog(title, text, note = '') {
  if (!dialog) {
    const area = el('textarea', { readOnly: true, rows: 5, spellcheck: false, className: 'copy-text' });
    const status = el('span', { className: 'copy-status', role: 'status' });
    const noteEl = el('p', { className: 'copy-note' });
    const copy = el('button', { type: 'button', textContent: 'Copy' });
    const close = el('button', { type: 'button', textContent: 'Close' });
    dialog = el('dialog', { id: 'share-dialog', className: 'share-dialog' },
      el('h3', { className: 'dialog-title' }), noteEl, area, el('div', { className: 'dialog-buttons' }, copy, close, status));
    copy.addEventListener('click', async () => {
      status.textContent = (await copyText(area.value, area)) ? 'copied' : 'select the text and copy it';
    });
    close.addEventListener('click', () => dialog.close());
    document.body.append(dialog);
  }
  dialog.querySelector('.dialog-title').textContent = title;
  dialog.querySelector('.copy-note').textContent = note;
  dialog.querySelector('.copy-note').hidden = !note;
  dialog.querySelector('.copy-status').textContent = '';
  const area = dialog.querySelector('textarea');
  area.value = text;
  if (!dialog.open) dialog.showModal();
  area.focus();
  area.select();
  return dialog;
}

/** Copies text to the clipboard; falls back to selecting it in `area`. */
export async function copyText(text, area) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (area) { area.focus(); area.select(); }
    try { return document.execCommand('copy'); } catch { return false; }
  }
}

/** Saves every visible canvas of `root` as a PNG (the backing store is at devicePixelRatio). */
export function exportPngs(root, prefix) {
  const canvases = [...root.querySelectorAll('canvas')].filter((c) => c.offsetParent !== null && c.width > 0);
  for (const c of canvases) {
    c.toBlob((blob) => { if (blob) download(`${prefix}-${c.id}.png`, blob); }, 'image/png');
  }
  return canvases.length;
}

/** Reads a dropped or picked file as text (at most 2 MB); resolves to text or throws a message. */
export function readFileText(file) {
  if (file.size > 2 * 1024 * 1024) return Promise.reject(new Error(`${file.name} is larger than 2 MB`));
  return file.text();
}

/**
 * Applies a state's embed options to the page in embed mode: which plots (canvas ids), which
 * controls (element ids in the lab's control panel) and whether the readout shows.
 */
export function applyEmbedOptions(root, options) {
  const opts = options || {};
  const plots = opts.plots || [];
  for (const c of root.querySelectorAll('canvas')) {
    const section = c.closest('section') || c;
    section.classList.toggle('embed-off', plots.length > 0 && !plots.includes(c.id));
  }
  const controls = root.querySelector('.controls') || root.querySelector('form')?.closest('section');
  if (controls) {
    controls.classList.toggle('embed-off', opts.show_controls === false);
    const wanted = opts.controls || [];
    for (const f of controls.querySelectorAll('.field, fieldset, details')) {
      const keep = wanted.length === 0 || wanted.some((id) => f.id === id || f.querySelector(`#${CSS.escape(id)}`));
      f.classList.toggle('embed-off', !keep);
    }
  }
  for (const r of root.querySelectorAll('.result, .fit-results')) r.classList.toggle('embed-off', opts.show_readout === false);
  setToggle('controls', !!controls && opts.show_controls !== false);
  setToggle('results', opts.show_readout !== false);
  layoutEmbed(root);
}

/**
 * Sizes the embed grid of `root` to its visible plots (a plot section not switched off by the
 * embed options, not hidden by the lab, with a canvas shown): 1 → one cell, 2 → side by side,
 * 3 → the first plot tall on the left, 4 → 2×2, more → three columns. Only classes and two CSS
 * variables change; www/embed.css does the rest.
 */
export function layoutEmbed(root) {
  const sections = [...root.querySelectorAll(':scope > section.plot')];
  const shown = [];
  for (const s of sections) {
    const canvas = s.querySelector('canvas');
    const empty = !canvas || canvas.hidden;
    s.classList.toggle('embed-empty', empty);
    s.classList.remove('embed-tall');
    if (!empty && !s.hidden && !s.classList.contains('embed-off')) shown.push(s);
  }
  const n = shown.length;
  const cols = n <= 1 ? 1 : n <= 4 ? 2 : 3;
  const rows = Math.max(1, Math.ceil(n / cols));
  if (cols === 2 && n % 2 === 1) shown[0].classList.add('embed-tall');
  root.style.setProperty('--embed-cols', String(cols));
  root.style.setProperty('--embed-rows', String(rows));
}

/** Shows or hides the bar's toggle for a drawer ('controls' or 'results'); a hidden one is closed. */
function setToggle(which, available) {
  const b = document.getElementById(`embed-toggle-${which}`);
  if (!b) return;
  b.hidden = !available;
  if (!available) openDrawer(which, false);
}

function openDrawer(which, open) {
  document.documentElement.classList.toggle(`embed-show-${which}`, open);
  document.getElementById(`embed-toggle-${which}`)?.setAttribute('aria-expanded', String(open));
}

/** Covers the lab's plots with a "Run" button until clicked (embed option autoplay: false). */
export function showRunCover(root, onRun) {
  root.classList.add('awaiting-run');
  let cover = document.getElementById('run-cover');
  if (!cover) {
    const button = el('button', { type: 'button', className: 'run-button', textContent: '▶ Run' });
    cover = el('div', { id: 'run-cover', className: 'run-cover' }, button);
    button.addEventListener('click', () => onRun());
    document.body.append(cover);
  }
  cover.hidden = false;
}

export function hideRunCover() {
  for (const r of document.querySelectorAll('.awaiting-run')) r.classList.remove('awaiting-run');
  const cover = document.getElementById('run-cover');
  if (cover) cover.hidden = true;
}

/**
 * The bar an embed shows instead of the page chrome: the brand, toggles for the controls and
 * results drawers (Escape closes them), and "Open in gradlab". Returns the link.
 */
export function buildEmbedBar() {
  const open = el('a', { className: 'open-full', target: '_blank', rel: 'noopener', textContent: 'Open in gradlab ↗' });
  const toggle = (which, label, title) => {
    const b = el('button', { type: 'button', id: `embed-toggle-${which}`, className: 'embed-toggle', textContent: label, title });
    b.setAttribute('aria-expanded', 'false');
    b.addEventListener('click', () => {
      const opening = b.getAttribute('aria-expanded') !== 'true';
      openDrawer(which, opening);
    });
    return b;
  };
  const toggles = el('span', { className: 'embed-toggles' },
    toggle('controls', '⚙ Controls', 'Show or hide the controls'),
    toggle('results', 'Results', 'Show or hide the results table'));
  const bar = el('div', { className: 'embed-bar' }, el('span', { className: 'embed-brand', textContent: 'gradlab' }), toggles, open);
  document.body.prepend(bar);
  document.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape') return;
    openDrawer('controls', false);
    openDrawer('results', false);
  });
  return open;
}

// Share, embed and export UI of the page shell (wired by app.js). Glue only: links are encoded,
// decoded and validated in Rust (src/link.rs via src/web/share.rs); traces are exported by Rust.
// Everything shown to the user goes through textContent / value, never innerHTML.
import { $, el } from './ui.js';
import { encode_link as encodeLink } from './pkg/gradlab.js';

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

/** Friendly plot names per lab (the `<gradlab-embed plots="…">` attribute) → canvas ids. */
export const PLOT_NAMES = {
  surfaces: { contour: 'contour', map: 'contour', surface: 'surface3d', '3d': 'surface3d', convergence: 'convergence' },
  regression: { data: 'rg-data', fit: 'rg-data', 'loss-map': 'rg-contour', map: 'rg-contour', 'loss-surface': 'rg-surface', surface: 'rg-surface', loss: 'rg-loss', predicted: 'rg-predicted', residuals: 'rg-residuals' },
  fit: { curve: 'fit-curve-canvas', data: 'fit-curve-canvas', residuals: 'fit-residuals', convergence: 'fit-convergence', landscape: 'fit-landscape', map: 'fit-landscape' },
};

/** The builder's plot choices per lab: [name, label], in the lab's order. */
const BUILDER_PLOTS = {
  surfaces: [['contour', 'contour map'], ['surface', '3-D surface'], ['convergence', 'convergence']],
  regression: [['data', 'data and fit'], ['loss-map', 'loss map'], ['loss-surface', 'loss surface'], ['loss', 'loss per epoch'], ['predicted', 'predicted vs actual'], ['residuals', 'residuals']],
  fit: [['curve', 'data and fit'], ['residuals', 'residuals'], ['convergence', 'convergence'], ['landscape', 'SSR landscape']],
};

/** Text for an HTML attribute value in a snippet the author pastes (shown in a textarea only). */
function attr(text) {
  return String(text).replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The URL parameters of a builder choice (only those that differ from the defaults). */
function embedParams(choice) {
  const p = [];
  if (choice.plots.length && choice.plots.length < choice.allPlots) p.push(['plots', choice.plots.join(',')]);
  if (!choice.controls) p.push(['controls', '0']);
  if (!choice.results) p.push(['results', '0']);
  if (!choice.autoplay) p.push(['autoplay', '0']);
  if (choice.hasLesson && !choice.lesson) p.push(['lesson', '0']);
  if (choice.aspect !== '4/3') p.push(['aspect', choice.aspect]);
  if (Number.isInteger(choice.step)) p.push(['step', String(choice.step)]);
  return p;
}

/**
 * The `<gradlab-embed>` snippet (with its script tag) for a builder choice. Inside the element, a
 * link to the full page: an article whose copy of embed.js does not load (blocked, offline, no
 * CORS) shows it instead of nothing; when the element works its shadow root (no slot) hides it.
 */
export function elementSnippet(link, choice) {
  const script = new URL('embed.js', pageUrl('')).href.replace(/#$/, '');
  const attrs = [`link="${attr(link)}"`];
  for (const [k, v] of embedParams(choice)) attrs.push(`${k}="${attr(v)}"`);
  attrs.push(`description="${attr(choice.description)}"`);
  const fallback = `<a href="${attr(pageUrl(link))}">${attr(choice.description || 'A gradlab experiment')} — open the experiment in gradlab ↗</a>`;
  return `<script type="module" src="${attr(script)}"></script>\n<gradlab-embed ${attrs.join('\n               ')}>\n  ${fallback}\n</gradlab-embed>`;
}

/** The plain iframe snippet for a builder choice (fixed height; works without the script). */
export function iframeSnippet(link, choice, width = 640) {
  const u = new URL(embedUrl(link));
  u.search = `?embed${embedParams(choice).map(([k, v]) => `&${k}=${encodeURIComponent(v)}`).join('')}`;
  const [a, b] = choice.aspect.split('/').map(Number);
  const height = Math.round(width / (b ? a / b : a)) + 40;
  return `<iframe src="${attr(u.href)}" width="${width}" height="${height}" ` +
    'style="border:1px solid #dde1e8;border-radius:8px;max-width:100%" loading="lazy" ' +
    `title="${attr(choice.description || 'gradlab experiment')}" allow="clipboard-write"></iframe>`;
}

let builder = null;
/** The link of `state` opening at the end of the run (no `step`), or null if it cannot be made. */
function linkAtEnd(state) {
  try {
    const { step, ...rest } = state;
    return encodeLink(rest)?.link ?? null;
  } catch {
    return null;
  }
}

/**
 * The embed builder: choose plots, controls, results, autoplay, the lesson, the aspect, where the
 * run starts (its end, or the iteration now shown) and a description (required: Copy stays off
 * without one); the snippets and Copy buttons first, then a live preview at phone, small or
 * article width. `state` is the page state ({lab, lesson?, step?}), `link` its permalink (which
 * holds `step` when the page shows an iteration before the end).
 */
export function showEmbedBuilder(link, state, notice = '') {
  builder?.remove();
  const lab = state.lab;
  const shownStep = Number.isInteger(state.step) ? state.step : null;
  const endLink = shownStep === null ? link : linkAtEnd(state);
  const plots = BUILDER_PLOTS[lab] || [];
  const check = (name, label, on) => {
    const box = el('input', { type: 'checkbox', checked: on, name });
    return el('label', { className: 'eb-check' }, box, ` ${label}`);
  };
  const plotBoxes = plots.map(([n, label]) => check(`plot-${n}`, label, true));
  const controls = check('controls', 'controls (⚙ drawer)', true);
  const results = check('results', 'results table', true);
  const autoplay = check('autoplay', 'run on load (else a Run button)', true);
  const lessonBox = check('lesson', 'the lesson text', true);
  lessonBox.hidden = !state.lesson;
  const aspect = el('select', { name: 'aspect' },
    ...[['16/9', 'wide 16:9'], ['4/3', '4:3'], ['1/1', 'square'], ['3/4', 'tall 3:4']].map(([v, t]) => el('option', { value: v, textContent: t, selected: v === '4/3' })));
  // Where the embed opens: the end of the run, or the iteration the page shows now.
  const startAt = el('select', { name: 'step' },
    el('option', { value: 'now', textContent: `the iteration now shown (${shownStep})`, selected: true }),
    el('option', { value: 'end', textContent: 'the end of the run' }));
  const startLabel = el('label', {}, 'start at ', startAt);
  startLabel.hidden = shownStep === null || endLink === null;
  // Empty at first: the author says what the reader will see (a lesson's title is only an example).
  const example = state.lesson?.title ? `e.g. “${state.lesson.title}”` : 'e.g. “Adam overshoots on Rosenbrock, gradient descent crawls”';
  const description = el('input', { type: 'text', name: 'description', value: '', placeholder: `What the reader will see, ${example}`, spellcheck: true });
  const descMsg = el('span', { className: 'msg', role: 'alert' });
  const width = el('select', { name: 'width', ariaLabel: 'preview width' },
    ...[['390', 'phone (390 px)'], ['600', 'small (600 px)'], ['720', 'article (720 px)']].map(([v, t]) => el('option', { value: v, textContent: t, selected: v === (innerWidth < 700 ? '390' : '600') })));
  const frame = el('iframe', { className: 'eb-preview', title: 'preview of the embed' });
  const frameBox = el('div', { className: 'eb-frame-box' }, frame);
  const elText = el('textarea', { readOnly: true, rows: 4, spellcheck: false, className: 'copy-text', ariaLabel: 'gradlab-embed snippet' });
  const ifText = el('textarea', { readOnly: true, rows: 3, spellcheck: false, className: 'copy-text', ariaLabel: 'iframe snippet' });
  const status = el('span', { className: 'copy-status', role: 'status' });
  const copyButtons = [];
  const copyBtn = (area, label) => {
    const b = el('button', { type: 'button', textContent: label, className: 'copy-button' });
    copyButtons.push(b);
    b.addEventListener('click', async () => { status.textContent = (await copyText(area.value, area)) ? 'copied' : 'select the text and copy it'; });
    return b;
  };
  const close = el('button', { type: 'button', textContent: 'Close' });
  builder = el('dialog', { id: 'embed-builder', className: 'share-dialog embed-builder' },
    el('h3', { className: 'dialog-title', textContent: 'Embed this experiment' }),
    notice ? el('p', { className: 'copy-note', textContent: notice }) : '',
    el('div', { className: 'eb-grid' },
      el('fieldset', {}, el('legend', { textContent: 'plots' }), ...plotBoxes),
      el('fieldset', {}, el('legend', { textContent: 'show' }), controls, results, autoplay, lessonBox),
      el('div', { className: 'eb-fields' },
        el('label', {}, 'shape ', aspect),
        startLabel)),
    el('label', { className: 'eb-desc' }, 'description (required: the accessible name and what shows before it loads)', description, descMsg),
    el('p', { className: 'copy-note', textContent: '<gradlab-embed> (recommended: loads when scrolled near, sizes itself to the column — best on phones — never traps the scroll):' }),
    elText,
    el('div', { className: 'dialog-buttons' }, copyBtn(elText, 'Copy <gradlab-embed>')),
    el('p', { className: 'copy-note', textContent: 'or a plain iframe (a fixed height: on a phone it may be too tall or cut off; <gradlab-embed> adapts):' }),
    ifText,
    el('div', { className: 'dialog-buttons' }, copyBtn(ifText, 'Copy iframe'), close, status),
    el('div', { className: 'eb-preview-head' }, el('b', { textContent: 'Preview' }), ' ', width),
    frameBox);
  close.addEventListener('click', () => builder.close());
  builder.addEventListener('close', () => builder.remove());
  const value = (label) => label.querySelector('input').checked;
  let timer = 0;
  let lastSrc = '';
  const update = () => {
    const choice = {
      plots: plots.filter((_, i) => value(plotBoxes[i])).map(([n]) => n),
      allPlots: plots.length,
      controls: value(controls), results: value(results), autoplay: value(autoplay),
      lesson: value(lessonBox), hasLesson: !!state.lesson,
      aspect: aspect.value, description: description.value.trim(),
      step: !startLabel.hidden && startAt.value === 'now' ? shownStep : null,
    };
    const chosen = startLabel.hidden || startAt.value === 'now' ? link : endLink;
    descMsg.textContent = choice.description ? '' : 'Add a description to copy a snippet: screen readers announce it, and readers see it before the embed loads.';
    description.setAttribute('aria-invalid', String(!choice.description));
    for (const b of copyButtons) b.disabled = !choice.description;
    if (!choice.description) status.textContent = '';
    elText.value = elementSnippet(chosen, choice);
    ifText.value = iframeSnippet(chosen, choice);
    const w = Number(width.value);
    const [a, b] = choice.aspect.split('/').map(Number);
    frame.style.width = `${w}px`;
    if (!frame.dataset.sized) frame.style.height = `${Math.round(w / (a / b)) + 40}px`;
    const u = new URL(embedUrl(chosen));
    u.search = `?embed${embedParams(choice).map(([k, v]) => `&${k}=${encodeURIComponent(v)}`).join('')}`;
    if (u.href !== lastSrc) {
      lastSrc = u.href;
      clearTimeout(timer);
      timer = setTimeout(() => { delete frame.dataset.sized; frame.src = u.href; }, 250);
    }
  };
  // The preview follows the embed's own height message, as <gradlab-embed> does.
  const onMessage = (ev) => {
    if (ev.source !== frame.contentWindow || ev.data?.type !== 'gradlab:resize') return;
    const h = Number(ev.data.height);
    if (Number.isFinite(h)) { frame.style.height = `${Math.max(200, Math.min(3000, h))}px`; frame.dataset.sized = '1'; }
  };
  window.addEventListener('message', onMessage);
  builder.addEventListener('close', () => window.removeEventListener('message', onMessage));
  builder.addEventListener('input', update);
  builder.addEventListener('change', update);
  document.body.append(builder);
  update();
  builder.showModal();
  description.focus();
  return builder;
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
  const narrow = document.documentElement.classList.contains('embed-narrow');
  const current = shown.find((x) => x.dataset.embedCurrent === 'true') || shown[0];
  for (const x of sections) x.classList.toggle('embed-away', narrow && shown.length > 1 && x !== current);
  buildSwitcher(root, narrow ? shown : [], current);
  const n = narrow ? Math.min(1, shown.length) : shown.length;
  const cols = n <= 1 ? 1 : n <= 4 ? 2 : 3;
  const rows = Math.max(1, Math.ceil(n / cols));
  if (cols === 2 && n % 2 === 1) shown[0].classList.add('embed-tall');
  root.style.setProperty('--embed-cols', String(cols));
  root.style.setProperty('--embed-rows', String(rows));
}

/** A plot's short name for the switcher: its heading's own text ("Contour map", "Surface"…). */
function plotName(section) {
  const h = section.querySelector('h3');
  const own = h ? [...h.childNodes].filter((c) => c.nodeType === Node.TEXT_NODE).map((c) => c.textContent).join('').trim() : '';
  return own || section.getAttribute('aria-label') || 'plot';
}

/**
 * On a narrow embed (a phone), one plot shows at a time: a row of buttons in the bar switches
 * between the shown plots (WAI-ARIA tabs: click, or ←/→ on a focused button).
 */
function buildSwitcher(root, shown, current) {
  let bar = document.getElementById('embed-switcher');
  if (!bar) {
    const host = document.querySelector('.embed-bar');
    if (!host) return;
    bar = el('div', { id: 'embed-switcher', className: 'embed-switcher', role: 'tablist', ariaLabel: 'Plots' });
    host.after(bar);
  }
  bar.hidden = shown.length < 2;
  const buttons = shown.map((sec) => {
    const b = el('button', { type: 'button', role: 'tab', textContent: plotName(sec) });
    const on = sec === current;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
    b.addEventListener('click', () => {
      for (const x of shown) delete x.dataset.embedCurrent;
      sec.dataset.embedCurrent = 'true';
      layoutEmbed(root);
      document.querySelector('#embed-switcher [aria-selected=true]')?.focus();
    });
    return b;
  });
  buttons.forEach((b, i) => b.addEventListener('keydown', (e) => {
    const j = { ArrowLeft: i - 1, ArrowRight: i + 1 }[e.key];
    if (j === undefined) return;
    e.preventDefault();
    buttons[(j + buttons.length) % buttons.length].click();
  }));
  bar.replaceChildren(...buttons);
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
  // A banner landmark with the page's one h1 (the full page's header is hidden in an embed).
  const bar = el('header', { className: 'embed-bar' }, el('h1', { className: 'embed-brand', textContent: 'gradlab' }), toggles, open);
  document.body.prepend(bar);
  document.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape') return;
    openDrawer('controls', false);
    openDrawer('results', false);
  });
  return open;
}

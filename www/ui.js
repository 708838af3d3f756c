// Small DOM helpers shared by the labs. Text goes in through textContent only.

export const $ = (id) => document.getElementById(id);

/** Edits typed but not applied yet: a field applies `ms` after the last key. */
const soon = new Map();

/** Calls `fn` `ms` after the last call for the same `fn` (a form applied while the reader types). */
export function applyAfter(fn, ms) {
  clearTimeout(soon.get(fn));
  soon.set(fn, setTimeout(() => { soon.delete(fn); fn(); }, ms));
}

/** Drops the waiting call of `fn`, if any (a text that became invalid must not apply). */
export function cancelApply(fn) {
  clearTimeout(soon.get(fn));
  soon.delete(fn);
}

/** Applies at once every edit still waiting for its delay (`gradlab.settled()` starts with this,
 * so a script that types and then waits sees its edit applied). */
export function flushEdits() {
  for (const [fn, t] of [...soon]) { clearTimeout(t); soon.delete(fn); fn(); }
}

/** Creates an element with properties (and `dataset`) and children. */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  const { dataset, ...rest } = props;
  Object.assign(e, rest);
  if (dataset) Object.assign(e.dataset, dataset);
  e.append(...children);
  return e;
}

/** A number for a readout: fixed digits, exponent form when very small or large. */
export function fmt(v, digits = 6) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(3);
  return v.toFixed(digits).replace(/0+$/, '').replace(/\.$/, '');
}

/** A table from headers and rows (cells are strings or nodes); `minor` columns hide on small screens. */
export function table(headers, rows, minor = []) {
  const t = el('table');
  const th = (h, i) => {
    const c = el('th', { textContent: h, className: minor.includes(i) ? 'minor' : '' });
    c.setAttribute('scope', 'col');
    return c;
  };
  t.append(el('thead', {}, el('tr', {}, ...headers.map(th))));
  const body = el('tbody');
  for (const r of rows) {
    const tr = el('tr');
    r.forEach((c, i) => {
      const td = c instanceof Node ? el('td', {}, c) : el('td', { textContent: c });
      if (minor.includes(i)) td.classList.add('minor');
      tr.append(td);
    });
    body.append(tr);
  }
  t.append(body);
  return t;
}

/**
 * Playback keys for a lab (space = play/pause, ←/→ = step, Home/End = first/last), active while
 * `root` is shown, wherever the focus is except in a form field, on a tab or in a dialog; a
 * focused plot keeps ←/→ for itself; on a button or link Space/Enter keep their own meaning (so
 * after clicking « or ▶, → still steps). The keys never scroll the page (or an embed's host).
 */
export function playbackKeys(root, { toggle, step, first, last }) {
  document.addEventListener('keydown', (e) => {
    if (root.hidden || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target instanceof Element ? e.target : null;
    if (t?.closest('input, textarea, select, [role=tab], dialog, [contenteditable]')) return;
    // A focused plot keeps its own arrows (pan/rotate); Space, Home and End still drive playback.
    if (t?.closest('.gesture-plot') && e.key.startsWith('Arrow')) return;
    if (t?.closest('button, summary, a') && (e.key === ' ' || e.key === 'Enter')) return;
    const keys = { ' ': toggle, ArrowLeft: () => step(-1), ArrowRight: () => step(1), Home: first, End: last };
    if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
  });
}

/** A speed select (steps per second) for a playback bar. */
export function speedSelect(id, values, selected) {
  const s = el('select', { id, title: 'playback speed (steps per second)', ariaLabel: 'playback speed' });
  for (const v of values) s.append(el('option', { value: String(v), textContent: `${v}/s`, selected: v === selected }));
  return s;
}

const MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent || '');

/** A short text over a plot for a moment (gesture hints); text only, never markup. */
export function flashHint(canvas, text, ms = 1400) {
  const host = canvas.parentElement;
  let hint = host.querySelector(':scope > .gesture-hint');
  if (!hint) {
    hint = el('div', { className: 'gesture-hint', role: 'status' });
    host.append(hint);
  }
  hint.textContent = text;
  hint.style.top = `${canvas.offsetTop + canvas.offsetHeight / 2}px`;
  hint.classList.add('on');
  clearTimeout(hint.timer);
  hint.timer = setTimeout(() => hint.classList.remove('on'), ms);
}

/**
 * Gestures on a plot that respect the page around it (maps' "cooperative" convention):
 * - mouse: drag → `drag(dx, dy)` (CSS px), a click that did not move → `tap(x, y)`;
 * - wheel: scrolls the page; Ctrl/⌘ + wheel (a trackpad pinch arrives as one) → `zoom(factor, x, y)`
 *   (factor > 1 zooms out), a plain wheel shows a brief "Ctrl + scroll to zoom" hint when zoomable;
 * - touch: one finger scrolls the page (`touch-action: pan-x pan-y`, the browser keeps the scroll),
 *   a tap → `tap`; two fingers → `drag` by the midpoint's movement and `zoom` by the pinch;
 * - keyboard (the canvas is focusable): arrows → `drag` by `keyStep` px (as if the content were
 *   dragged the other way: → moves the view right), +/− → `zoom` about the centre, 0 → `reset`.
 * `hover(x, y)` / `leave()` follow a mouse. Every callback is optional. All handlers are passive
 * except Ctrl+wheel and two-finger touch moves, which the plot consumes.
 */
export function plotGestures(canvas, { drag, zoom, tap, reset, hover, leave, keyStep = 40, label, key } = {}) {
  canvas.tabIndex = 0;
  canvas.classList.add('gesture-plot');
  if (label && !canvas.getAttribute('aria-label')?.includes('arrow')) {
    canvas.setAttribute('aria-label', `${canvas.getAttribute('aria-label') || ''}. ${label}`.replace(/^\. /, ''));
  }
  let down = null; // the mouse/pen drag or the touch tap in progress
  let multi = false; // a two-finger gesture happened since the last touch began
  canvas.addEventListener('pointerdown', (e) => {
    if (e.pointerType === 'touch') {
      if (!e.isPrimary) return;
      multi = false;
      down = { x: e.offsetX, y: e.offsetY, moved: false, touch: true };
      return;
    }
    if (e.button !== 0) return;
    down = { x: e.offsetX, y: e.offsetY, moved: false, touch: false };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (down && !down.touch) {
      if (down.moved || Math.hypot(e.offsetX - down.x, e.offsetY - down.y) > 4) {
        down.moved = true;
        canvas.classList.add('dragging');
        drag?.(e.offsetX - down.x, e.offsetY - down.y);
        down.x = e.offsetX; down.y = e.offsetY;
      }
      return;
    }
    if (down?.touch) {
      if (Math.hypot(e.offsetX - down.x, e.offsetY - down.y) > 8) down.moved = true;
      return;
    }
    if (e.pointerType !== 'touch') hover?.(e.offsetX, e.offsetY);
  });
  const end = (e, cancelled) => {
    const was = down;
    down = null;
    canvas.classList.remove('dragging');
    if (!was || cancelled || was.moved || (was.touch && multi)) return;
    tap?.(e.offsetX, e.offsetY);
  };
  canvas.addEventListener('pointerup', (e) => end(e, false));
  canvas.addEventListener('pointercancel', (e) => end(e, true));
  canvas.addEventListener('pointerleave', (e) => { if (e.pointerType !== 'touch') leave?.(); });

  canvas.addEventListener('wheel', (e) => {
    if (!zoom) return;
    if (!(e.ctrlKey || e.metaKey)) {
      flashHint(canvas, `${MAC ? '⌘' : 'Ctrl'} + scroll to zoom`);
      return; // the page scrolls
    }
    e.preventDefault();
    const factor = Math.exp(Math.max(-1, Math.min(1, e.deltaY / (e.deltaMode === 1 ? 3 : 100))) * Math.log(1.25));
    zoom(factor, e.offsetX, e.offsetY);
  }, { passive: false });

  // Two fingers: pan (or rotate) with the midpoint, pinch to zoom. One finger is left to the page.
  let pinch = null;
  const local = (t) => {
    const r = canvas.getBoundingClientRect();
    return [t.clientX - r.left - canvas.clientLeft, t.clientY - r.top - canvas.clientTop];
  };
  const twoFinger = (e) => {
    const [a, b] = [local(e.touches[0]), local(e.touches[1])];
    return { mx: (a[0] + b[0]) / 2, my: (a[1] + b[1]) / 2, d: Math.hypot(a[0] - b[0], a[1] - b[1]) };
  };
  canvas.addEventListener('touchstart', (e) => {
    if (e.touches.length >= 2) { multi = true; pinch = twoFinger(e); }
  }, { passive: true });
  canvas.addEventListener('touchmove', (e) => {
    if (e.touches.length < 2) return;
    if (e.cancelable) e.preventDefault();
    multi = true;
    const now = twoFinger(e);
    if (pinch) {
      if (drag && (now.mx !== pinch.mx || now.my !== pinch.my)) drag(now.mx - pinch.mx, now.my - pinch.my);
      if (zoom && pinch.d > 0 && now.d > 0 && Math.abs(now.d / pinch.d - 1) > 1e-3) zoom(pinch.d / now.d, now.mx, now.my);
    }
    pinch = now;
  }, { passive: false });
  canvas.addEventListener('touchend', (e) => { if (e.touches.length < 2) pinch = null; }, { passive: true });
  canvas.addEventListener('touchcancel', () => { pinch = null; }, { passive: true });

  canvas.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    // The plot's own keys first (the contour map's start cursor): `key(e)` is true when it took it.
    if (key?.(e)) { e.preventDefault(); e.stopPropagation(); return; }
    const s = e.shiftKey ? keyStep * 4 : keyStep;
    const w = canvas.clientWidth / 2;
    const h = canvas.clientHeight / 2;
    const keys = {
      ArrowLeft: drag && (() => drag(s, 0)),
      ArrowRight: drag && (() => drag(-s, 0)),
      ArrowUp: drag && (() => drag(0, s)),
      ArrowDown: drag && (() => drag(0, -s)),
      '+': zoom && (() => zoom(0.8, w, h)),
      '=': zoom && (() => zoom(0.8, w, h)),
      '-': zoom && (() => zoom(1.25, w, h)),
      _: zoom && (() => zoom(1.25, w, h)),
      0: reset,
    };
    const act = keys[e.key];
    if (act) { e.preventDefault(); e.stopPropagation(); act(); }
  });
}

/**
 * The coach's verdicts (Rust teach::coach): one line per run — a swatch in the run's colour, the
 * headline (green for a good ending, orange otherwise) and the advice under it.
 */
export function renderCoach(box, verdicts, colors = []) {
  box.replaceChildren(...verdicts.map((v, i) => el('div', { className: `coach-item ${SUCCESS.has(v.ending) ? 'good' : 'bad'}` },
    el('p', { className: 'coach-head' },
      Object.assign(el('span', { className: 'swatch' }), colors[i] ? { style: `background:${colors[i]}` } : {}),
      el('b', { textContent: ` ${v.solver}: ` }),
      el('span', { textContent: v.headline })),
    ...(v.advice.length ? [el('ul', {}, ...v.advice.map((a) => el('li', { textContent: a })))] : []))));
  box.hidden = verdicts.length === 0;
}
const SUCCESS = new Set(['global_minimum', 'local_minimum', 'converged']);

/** Scrolls a one-line caret drawing (`pre`: the formula, then `^` under `column`, 1-based)
 *  sideways so the `^` is in view, then brings the drawing itself into view: on a phone the box
 *  is narrower than the formula. Monospace: one column is scrollWidth / characters of the line. */
export function showCaret(pre, column) {
  const line = pre.textContent.split('\n')[0];
  const cols = Math.max(line.length, column);
  const w = pre.scrollWidth / Math.max(cols, 1);
  pre.scrollLeft = Math.max(0, (column - 0.5) * w - pre.clientWidth / 2);
  pre.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

/** Dims the plots of lab `root` and labels each "showing the last valid formula" (`on`), or
 *  undoes it. The labels are made once, one per plot panel, just before its canvas (style.css
 *  lays them on the canvas's top edge, taking no room). */
export function staleFormula(root, on) {
  root.classList.toggle('stale', on);
  for (const panel of root.querySelectorAll('.panel.plot')) {
    let label = panel.querySelector(':scope > .stale-label');
    if (!label && !on) continue;
    if (!label) {
      label = el('p', { className: 'stale-label', textContent: 'showing the last valid formula' });
      const canvas = panel.querySelector(':scope > canvas');
      if (canvas) canvas.before(label); else panel.querySelector('h3').after(label);
    }
    label.hidden = !on;
  }
}

/**
 * A plot's text description (written by Rust, src/lab/describe.rs): the canvas becomes an image
 * described by a text element after it — visually hidden until its plot's "describe" button (added
 * to the plot's heading) shows it. Text only, never markup.
 */
export function describePlot(canvas, text) {
  if (!canvas) return;
  const id = `${canvas.id}-desc`;
  let box = document.getElementById(id);
  if (!box) {
    box = el('p', { id, className: 'plot-desc visually-hidden' });
    canvas.after(box);
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-describedby', id);
    const h = canvas.closest('section')?.querySelector('h3');
    if (h) {
      const b = el('button', { type: 'button', className: 'desc-btn', textContent: 'describe', title: 'Show this plot as text' });
      b.setAttribute('aria-expanded', 'false');
      b.setAttribute('aria-controls', id);
      b.dataset.describes = canvas.id;
      b.addEventListener('click', () => {
        const on = box.classList.toggle('visually-hidden') === false;
        b.setAttribute('aria-expanded', String(on));
      });
      h.append(b);
    }
  }
  if (box.textContent !== text) box.textContent = text;
}

/** Says `text` once in the page's polite live region (#a11y-live), e.g. when a run finished. */
export function announce(text) {
  const r = document.getElementById('a11y-live');
  if (!r || !text) return;
  // The same sentence twice in a row is still read: empty the region first.
  if (r.textContent === text) r.textContent = '';
  requestAnimationFrame(() => { r.textContent = text; });
}

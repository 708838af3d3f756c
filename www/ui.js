// Small DOM helpers shared by the labs. Text goes in through textContent only.

export const $ = (id) => document.getElementById(id);

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
  t.append(el('tr', {}, ...headers.map((h, i) => el('th', { textContent: h, className: minor.includes(i) ? 'minor' : '' }))));
  for (const r of rows) {
    const tr = el('tr');
    r.forEach((c, i) => {
      const td = c instanceof Node ? el('td', {}, c) : el('td', { textContent: c });
      if (minor.includes(i)) td.classList.add('minor');
      tr.append(td);
    });
    t.append(tr);
  }
  return t;
}

/**
 * Playback keys for a lab (space = play/pause, ←/→ = step, Home/End = first/last), active while
 * `root` is shown and the focus is not in a form field.
 */
export function playbackKeys(root, { toggle, step, first, last }) {
  document.addEventListener('keydown', (e) => {
    if (root.hidden || e.target.closest?.('input, textarea, select, button') || e.altKey || e.ctrlKey || e.metaKey) return;
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

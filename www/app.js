// gradlab page glue: wires DOM events to the Rust `App` (www/pkg, built by `cargo xtask build`).
// No numerics here: the form's text goes to Rust as typed; Rust validates, solves and draws.
import init, { App } from './pkg/gradlab.js';

const $ = (id) => document.getElementById(id);
const FIELDS = ['learning_rate', 'max_iterations', 'tolerance', 'start_x', 'start_y'];
const canvases = { contour: $('contour'), surface: $('surface'), convergence: $('convergence') };

let app = null;
let readyResolve, readyReject;

// The scripting API (documented in README.md).
window.gradlab = {
  /** Resolves with the first run's summary once it is drawn. */
  ready: new Promise((res, rej) => { readyResolve = res; readyReject = rej; }),
  /** The latest run: per solver, final x, f, gradient norm, iterations, stop reason. */
  lastRun: () => (app ? app.summary() : null),
};

function showFatal(message) {
  const el = $('fatal');
  el.textContent = message;
  el.hidden = false;
}

function fillForm(values) {
  for (const f of FIELDS) $(f).value = values[f];
  syncSlider();
}

function readForm() {
  const v = {};
  for (const f of FIELDS) v[f] = $(f).value;
  return v;
}

function showErrors(errors) {
  for (const el of document.querySelectorAll('.msg')) el.textContent = '';
  for (const f of FIELDS) $(f).removeAttribute('aria-invalid');
  for (const { field, message } of errors) {
    const msg = document.querySelector(`.msg[data-for="${field}"]`) || document.querySelector('.msg[data-for="form"]');
    msg.textContent = message;
    if (FIELDS.includes(field)) $(field).setAttribute('aria-invalid', 'true');
  }
}

function cell(row, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  row.append(td);
}

function fmt(v, digits = 6) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return Math.abs(v) !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5) ? v.toExponential(3) : v.toFixed(digits).replace(/0+$/, '').replace(/\.$/, '');
}

function showReadout(summary) {
  const box = $('readout');
  box.replaceChildren();
  for (const s of summary.solvers) {
    const table = document.createElement('table');
    const rows = [
      ['solver', s.solver],
      ['final x', `(${fmt(s.x[0])}, ${fmt(s.x[1])})`],
      ['f(x)', fmt(s.f)],
      ['‖∇f(x)‖', fmt(s.grad_norm)],
      ['iterations', String(s.iterations)],
      ['evaluations', `${s.f_evals} f, ${s.g_evals} ∇f`],
      ['stopped', s.stop_label],
    ];
    for (const [k, v] of rows) {
      const tr = document.createElement('tr');
      if (!['final x', 'f(x)', 'iterations', 'stopped'].includes(k)) tr.className = 'minor';
      const th = document.createElement('th');
      th.textContent = k;
      tr.append(th);
      cell(tr, v, k === 'stopped' ? (s.converged ? 'stop-ok' : 'stop-bad') : '');
      table.append(tr);
    }
    table.dataset.stop = s.stop;
    box.append(table);
  }
}

function guard(what, fn) {
  try {
    return fn();
  } catch (e) {
    showErrors([{ field: 'form', message: `${what} failed: ${e}` }]);
    return undefined;
  }
}

function drawAll() {
  guard('drawing the contour map', () => app.draw_contour(canvases.contour));
  guard('drawing the surface', () => app.draw_surface(canvases.surface));
  guard('drawing the convergence plot', () => app.draw_convergence(canvases.convergence));
}

let surfaceFrame = 0;
function drawSurfaceSoon() {
  if (surfaceFrame) return;
  surfaceFrame = requestAnimationFrame(() => {
    surfaceFrame = 0;
    guard('drawing the surface', () => app.draw_surface(canvases.surface));
  });
}

function apply() {
  const result = guard('running', () => app.apply_controls(readForm()));
  if (!result) return;
  showErrors(result.errors);
  if (result.ok) {
    showReadout(result.summary);
    drawAll();
  }
}

// Learning rate: a log-scale slider paired with the text field.
function syncSlider() {
  const v = Number($('learning_rate').value);
  if (v > 0) $('lr-slider').value = String(Math.log10(v));
}

let timer = 0;
function applySoon() {
  clearTimeout(timer);
  timer = setTimeout(apply, 120);
}

function wire() {
  for (const f of FIELDS) $(f).addEventListener('input', () => { if (f === 'learning_rate') syncSlider(); applySoon(); });
  $('controls').addEventListener('submit', (e) => { e.preventDefault(); apply(); });
  $('lr-slider').addEventListener('input', (e) => {
    $('learning_rate').value = String(Number((10 ** Number(e.target.value)).toPrecision(2)));
    applySoon();
  });

  const c = canvases.contour;
  c.addEventListener('click', (e) => {
    if (guard('running', () => app.click_contour(c, e.offsetX, e.offsetY))) {
      fillForm(app.controls());
      showErrors([]);
      showReadout(app.summary());
      drawAll();
    }
  });
  c.addEventListener('mousemove', (e) => {
    const p = app.contour_point(c, e.offsetX, e.offsetY);
    $('hover').textContent = p ? `x = ${fmt(p[0], 3)}, y = ${fmt(p[1], 3)}, f = ${fmt(p[2], 4)}` : '';
  });
  c.addEventListener('mouseleave', () => { $('hover').textContent = ''; });

  const s = canvases.surface;
  let last = null;
  s.addEventListener('pointerdown', (e) => { last = [e.clientX, e.clientY]; s.setPointerCapture(e.pointerId); s.classList.add('dragging'); });
  s.addEventListener('pointermove', (e) => {
    if (!last) return;
    app.rotate(e.clientX - last[0], e.clientY - last[1]);
    last = [e.clientX, e.clientY];
    drawSurfaceSoon();
  });
  const end = () => { last = null; s.classList.remove('dragging'); };
  s.addEventListener('pointerup', end);
  s.addEventListener('pointercancel', end);

  let resizeFrame = 0;
  new ResizeObserver(() => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(drawAll);
  }).observe(document.querySelector('.lab'));
}

async function main() {
  try {
    await init();
  } catch (e) {
    showFatal(`Could not load gradlab's WebAssembly module (${e}). Build it with \`cargo xtask build\`.`);
    readyReject(e);
    return;
  }
  app = new App();
  $('formula').textContent = `f(x, y) = ${app.formula()}`;
  fillForm(app.controls());
  const first = app.summary();
  showReadout(first);
  drawAll();
  wire();
  readyResolve(first);
}

main();

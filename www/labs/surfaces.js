// The surfaces lab: wires DOM events to the Rust `SurfaceLab` (www/pkg, built by `cargo xtask build`).
// No numerics here: the form's text goes to Rust as typed; Rust validates, solves and draws.
// User text only ever reaches the page through textContent / value, never innerHTML.
import { SurfaceLab } from '../pkg/gradlab.js';
import { $, el, fmt, table, playbackKeys, plotGestures, showCaret, staleFormula, describePlot, announce, applyAfter, cancelApply } from '../ui.js';
import * as engine from '../engine.js';
import { player } from '../playback.js';
import * as i18n from '../i18n.js';
import { t } from '../i18n.js';

const TEXT_FIELDS = ['schedule_a', 'schedule_b', 'quadratic_condition', 'max_iterations', 'tolerance', 'start_x', 'start_y', 'x_min', 'x_max', 'y_min', 'y_max'];
const canvases = { contour: $('contour'), surface: $('surface3d'), convergence: $('convergence') };

let app = null;
let catalog = null;
const root = $('lab-surfaces');

const paramId = (method, name) => `${method}-${name}`;

// ---------- building the controls from the Rust catalog ----------

function buildControls() {
  for (const s of catalog.surfaces) $('surface').append(el('option', { value: s.id, textContent: s.name }));
  $('surface').append(el('option', { value: 'formula', textContent: 'your formula…' }));
  for (const [name, text] of app.formula_examples()) $('formula-example').append(el('option', { value: text, textContent: name }));
  const list = $('solver-list');
  for (const info of catalog.solvers) {
    const box = el('input', { type: 'checkbox', id: `use-${info.method}` });
    box.dataset.method = info.method;
    const params = el('div', { className: 'params' });
    for (const p of info.params) {
      const id = paramId(info.method, p.name);
      const input = el('input', { id, inputMode: 'decimal', spellcheck: false, value: String(p.default), title: p.help });
      input.dataset.param = p.name;
      params.append(el('div', { className: 'field' },
        el('label', { htmlFor: id, textContent: p.name.replaceAll('_', ' '), title: p.help }),
        input,
        el('span', { className: 'msg', role: 'alert', dataset: { for: `${info.method}.${p.name}` } })));
      input.addEventListener('input', applySoon);
    }
    const row = el('div', { className: 'solver' },
      el('label', { htmlFor: box.id }, box, el('span', { className: 'swatch' }), info.name),
      el('p', { className: 'help', textContent: info.help }),
      params,
      el('span', { className: 'msg', role: 'alert', dataset: { for: info.method } }));
    row.dataset.method = info.method;
    list.append(row);
    box.addEventListener('change', () => { row.classList.toggle('on', box.checked); apply(); });
  }
}

function fillForm(form) {
  $('surface').value = form.surface;
  $('schedule').value = form.schedule;
  labelSchedule();
  $('gradient').value = form.gradient;
  for (const f of TEXT_FIELDS) $(f).value = form[f];
  $('kappa-field').hidden = form.surface !== 'quadratic';
  $('formula-field').hidden = form.surface !== 'formula';
  $('formula-input').value = form.formula;
  // The box now holds the formula the plots show.
  if (form.surface === 'formula') checkFormula(); else echoFormula(null);
  staleFormula(root, false);
  // A method raced twice shows its first run's settings (the form edits that one; the others
  // are kept as they are — see merge_solvers in Rust).
  const chosen = new Map();
  for (const s of form.solvers) if (!chosen.has(s.method)) chosen.set(s.method, s.params);
  for (const row of root.querySelectorAll('.solver')) {
    const params = chosen.get(row.dataset.method);
    row.querySelector('input[type=checkbox]').checked = !!params;
    row.classList.toggle('on', !!params);
    if (params) for (const [k, v] of Object.entries(params)) $(paramId(row.dataset.method, k)).value = v;
  }
  const info = catalog.surfaces.find((s) => s.id === form.surface);
  $('formula').textContent = info ? `f(x, y) = ${info.formula}` : '';
  $('formula').hidden = !info;
}

/** Shows the Rust check of the formula box: the parse read back ("read as: f(x, y) = …"), or the
 *  caret under the error's column (scrolled into view). Returns the check. */
function checkFormula() {
  const check = app.check_formula($('formula-input').value);
  echoFormula(check);
  return check;
}

function echoFormula(check) {
  const caret = $('formula-caret');
  caret.textContent = check && !check.ok ? check.caret : '';
  $('formula-echo').textContent = check?.ok ? check.read_as : '';
  if (check && !check.ok) showCaret(caret, check.column);
}

function readForm() {
  const form = { surface: $('surface').value, gradient: $('gradient').value, formula: $('formula-input').value, schedule: $('schedule').value, solvers: [] };
  for (const f of TEXT_FIELDS) form[f] = $(f).value;
  for (const row of root.querySelectorAll('.solver')) {
    if (!row.querySelector('input[type=checkbox]').checked) continue;
    const params = {};
    for (const input of row.querySelectorAll('input[data-param]')) params[input.dataset.param] = input.value;
    form.solvers.push({ method: row.dataset.method, params });
  }
  return form;
}

function showErrors(errors) {
  for (const m of root.querySelectorAll('.msg')) m.textContent = '';
  for (const i of root.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
  for (const { field, message } of errors) {
    const msg = root.querySelector(`.msg[data-for="${CSS.escape(field)}"]`) || root.querySelector('.msg[data-for="form"]');
    msg.textContent = message;
    const input = $(field) || $(field.replace('.', '-')) || $(`${field}-input`);
    if (input) input.setAttribute('aria-invalid', 'true');
  }
}

// What the schedule's two numbers mean depends on its kind.
const SCHEDULE_FIELDS = {
  constant: [null, null],
  step_decay: ['γ per drop', 'every (iterations)'],
  exponential: ['γ per iteration', null],
  inverse_time: ['rate r', null],
  cosine: ['final fraction m', 'period T'],
};

function labelSchedule() {
  const [a, b] = SCHEDULE_FIELDS[$('schedule').value] ?? [null, null];
  $('schedule-a-field').hidden = !a;
  $('schedule-b-field').hidden = !b;
  if (a) $('schedule-a-label').textContent = a;
  if (b) $('schedule-b-label').textContent = b;
}

function drawSchedule() {
  const formula = app.schedule_formula();
  const on = formula !== 'αₖ = α';
  $('schedule-plot').hidden = !on; // shown before drawing, so the canvas has its size
  $('schedule-formula').textContent = on ? formula : '';
  if (on) guard('drawing the schedule', () => app.draw_schedule($('schedule-plot')));
}

// ---------- readouts ----------

function showReadout(summary) {
  stopPlaying();
  basinSync();
  showBasin();
  showStep();
  const rows = summary.solvers.map((s) => {
    const name = el('span', {}, Object.assign(el('span', { className: 'swatch' }), { style: `background:${s.color}` }), ` ${s.solver}`);
    const warn = s.converged && s.outside_view;
    const stop = el('span', {
      className: warn ? 'stop-warn' : s.converged ? 'stop-ok' : 'stop-bad',
      textContent: warn ? `${s.stop_label} — but outside the view: a flat region, not necessarily a minimum` : s.stop_label,
    });
    stop.dataset.stop = s.stop;
    return [name, `(${fmt(s.x[0])}, ${fmt(s.x[1])})`, fmt(s.f), fmt(s.grad_norm), String(s.iterations),
      String(s.f_evals), String(s.g_evals), String(s.h_evals), stop];
  });
  $('readout').replaceChildren(table(['solver', 'final x', 'f(x)', '‖∇f(x)‖', 'iterations', 'f evals', '∇f evals', '∇²f evals', 'stopped'], rows, [5, 6, 7]));
  // Colour swatches in the solver list match the plots.
  // Runs are in the config's order (a guided experiment may list Newton before GD); a method run
  // twice shows its first run's colour.
  const methods = (app.get_state().solvers ?? []).map((c) => c.method);
  const colors = new Map();
  summary.solvers.forEach((s, i) => { if (methods[i] && !colors.has(methods[i])) colors.set(methods[i], s.color); });
  for (const row of root.querySelectorAll('.solver')) {
    const sw = row.querySelector('.swatch');
    const c = colors.get(row.dataset.method);
    if (c) sw.style.background = c; else sw.removeAttribute('style');
  }
  const gc = app.gradient_check();
  const vec = (g) => (g ? `(${fmt(g[0], 8)}, ${fmt(g[1], 8)})` : i18n.tr('not written'));
  const ok = gc.max_rel_error < 1e-6;
  $('gradcheck').replaceChildren(
    table(['source', '∇f at start'], [['analytic', vec(gc.analytic)], ['automatic (dual numbers)', vec(gc.automatic)], ['central differences', vec(gc.finite_difference)]]),
    el('p', { className: ok ? 'stop-ok' : 'stop-bad', textContent: ok
      ? i18n.t('gc_ok', { e: gc.max_rel_error.toExponential(1) }, 'largest relative disagreement: {e} ✓ consistent')
      : i18n.t('gc_bad', { e: gc.max_rel_error.toExponential(1) }, 'largest relative disagreement: {e} ✗ check the derivatives') }));
}

// ---------- drawing ----------

function guard(what, fn) {
  try {
    return fn();
  } catch (e) {
    showErrors([{ field: 'form', message: `${what} failed: ${e}` }]);
    return undefined;
  }
}

// ---------- playback: replays the trace, never re-runs ----------

const play = player({
  get: () => app.step(),
  set: (k) => setStep(k),
  last: () => app.iterations(),
  speed: () => Number($('pb-speed').value),
  changed: (on) => {
    $('pb-play').textContent = on ? '❚❚' : '▶';
    $('pb-play').setAttribute('aria-label', on ? 'pause' : 'play');
  },
});

function showStep() {
  const K = app.iterations();
  const k = app.step();
  $('pb-scrub').max = String(K);
  $('pb-scrub').value = String(k);
  $('pb-k').textContent = `k = ${k} / ${K}`;
  const box = $('explain');
  showLens();
  box.replaceChildren(...app.explain().map((e) => el('div', { className: 'rule' },
    el('b', {}, el('span', { className: 'swatch', style: `background:${e.color}` }), ` ${i18n.t('explain_head', { solver: i18n.say(e.solver), k: e.k }, '{solver}, iteration {k}')}`),
    ...e.lines.map((l) => el('code', { textContent: l })))));
}

/** The curvature lens's text at the shown iterate (Rust teach::lens), when the lens is on. */
let lensOn = false;
function showLens() {
  const box = $('lens-box');
  const lens = lensOn ? app.lens() : null;
  box.hidden = !lensOn;
  if (!lensOn) return;
  if (!lens) { box.replaceChildren(el('p', { textContent: i18n.tr('No lens here: f or its Hessian is not finite at this point.') })); return; }
  const key = (color) => Object.assign(el('span', { className: 'key' }), { style: `background:${color}` });
  box.replaceChildren(
    el('p', {}, el('b', { textContent: i18n.t('lens_head', { solver: i18n.say(lens.solver), k: lens.k }, 'Curvature lens — {solver}, iteration {k}') })),
    ...lens.lines.map((l) => el('p', { textContent: l })),
    el('p', { className: 'sub' }, key('#00c8be'), `${i18n.tr('flat direction v₁ ·')} `, key('#ff961e'), `${i18n.tr('steep direction v₂ ·')} `, key('#fff'),
      i18n.tr(lens.ellipse ? 'level set of the quadratic model through xₖ; dashed: the Newton step' : 'dashed: the Newton step')));
}

function toggleLens() {
  lensOn = !lensOn;
  app.set_lens(lensOn);
  $('lens-btn').setAttribute('aria-pressed', String(lensOn));
  showLens();
  drawSoon('contour');
}

function setStep(k) {
  app.set_step(Math.max(0, k));
  showStep();
  describeAll();
  drawSoon('contour', 'surface', 'convergence');
}

const stopPlaying = () => play.stop();
const togglePlay = () => play.toggle();

// ---------- listen to the run (issue 16): Rust writes the notes, Web Audio plays them ----------

let audio = null; // created on the first click only: the page never makes a sound by itself
let listening = null; // {oscillators, timer} while a melody plays

function stopListening() {
  if (!listening) return;
  clearTimeout(listening.timer);
  for (const o of listening.oscillators) { try { o.stop(); } catch { /* already stopped */ } }
  listening = null;
  $('pb-listen').setAttribute('aria-pressed', 'false');
}

function listen() {
  if (listening) { stopListening(); return; }
  const m = app.melody(0, 3);
  if (!m) return;
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) { announce(t('no_audio', {}, 'This browser cannot play sound.')); return; }
  audio = audio || new Ctx();
  audio.resume?.();
  const t0 = audio.currentTime + 0.05;
  const oscillators = m.notes.map((n) => {
    const o = audio.createOscillator();
    const g = audio.createGain();
    o.frequency.value = n.freq;
    // A short attack and release: no clicks between notes.
    g.gain.setValueAtTime(0, t0 + n.start);
    g.gain.linearRampToValueAtTime(n.gain, t0 + n.start + 0.01);
    g.gain.setValueAtTime(n.gain, t0 + n.start + Math.max(0.01, n.duration - 0.03));
    g.gain.linearRampToValueAtTime(0, t0 + n.start + n.duration);
    o.connect(g).connect(audio.destination);
    o.start(t0 + n.start);
    o.stop(t0 + n.start + n.duration + 0.02);
    return o;
  });
  $('pb-listen').setAttribute('aria-pressed', 'true');
  listening = { oscillators, timer: setTimeout(stopListening, (m.seconds + 0.1) * 1000) };
}

function wirePlayer() {
  $('pb-play').addEventListener('click', togglePlay);
  $('pb-listen').addEventListener('click', listen);
  $('basin-btn').addEventListener('click', toggleBasin);
  $('lens-btn').addEventListener('click', toggleLens);
  $('pb-first').addEventListener('click', () => { stopPlaying(); setStep(0); });
  $('pb-last').addEventListener('click', () => { stopPlaying(); setStep(app.iterations()); });
  $('pb-back').addEventListener('click', () => { stopPlaying(); setStep(app.step() - 1); });
  $('pb-fwd').addEventListener('click', () => { stopPlaying(); setStep(app.step() + 1); });
  $('pb-scrub').addEventListener('input', (e) => { stopPlaying(); setStep(Number(e.target.value)); });
  playbackKeys(root, {
    toggle: togglePlay,
    step: (d) => { stopPlaying(); setStep(app.step() + d); },
    first: () => { stopPlaying(); setStep(0); },
    last: () => { stopPlaying(); setStep(app.iterations()); },
  });
}

// ---------- basin map: thousands of runs in the worker, drawn as its rows arrive ----------

let basinRunning = false;

function showBasin() {
  const info = app.basin_info();
  $('basin-btn').textContent = info && info.progress < 1 ? 'cancel' : info ? 'clear basins' : 'basin map';
  $('basin-status').textContent = info ? (info.progress < 1 ? `${Math.round(info.progress * 100)}%` : `${info.n}×${info.n} starts`) : '';
  const entries = info ? info.minima.map((m) => el('span', {},
    el('span', { className: 'swatch', style: `background:${m.color}` }),
    ` (${fmt(m.x[0], 3)}, ${fmt(m.x[1], 3)}) f = ${fmt(m.f, 4)}: ${m.count} starts`)) : [];
  if (info) {
    const done = Math.round(info.progress * info.n * info.n);
    const none = done - info.minima.reduce((a, m) => a + m.count, 0);
    if (none > 0) entries.push(el('span', {}, el('span', { className: 'swatch', style: 'background:#787878' }), ` no minimum (diverged or out of iterations): ${none} starts`));
  }
  $('basin-legend').replaceChildren(...entries);
}

/** Installs basin rows from the worker (stale ones are refused by Rust) and shows them. */
function basinRows(bytes) {
  if (guard('basin map', () => app.basin_accept(bytes))) {
    showBasin();
    drawSoon('contour');
  }
}

/** Stops a basin map whose run or view changed under it (Rust dropped it). */
function basinSync() {
  if (basinRunning && !app.basin_info()) {
    basinRunning = false;
    engine.cancel('basin');
  }
}

function toggleBasin() {
  if (app.basin_info()) {
    app.basin_clear();
    if (basinRunning) { basinRunning = false; engine.cancel('basin'); }
  } else {
    const request = guard('basin map', () => app.basin_request(80));
    if (request) {
      basinRunning = true;
      // In the background: any other run stops it (that run changes the map anyway).
      engine.run('basin', request, { background: true, progress: (_, bytes) => { if (bytes) basinRows(bytes); } })
        .then((bytes) => { basinRunning = false; basinRows(bytes); })
        .catch((e) => {
          basinRunning = false;
          app.basin_clear();
          showBasin();
          drawSoon('contour');
          if (e?.message) showErrors([{ field: 'form', message: `basin map: ${e.message}` }]);
        });
    }
  }
  showBasin();
  drawSoon('contour');
}

function drawAll() {
  drawSchedule();
  guard('drawing the contour map', () => app.draw_contour(canvases.contour));
  guard('drawing the surface', () => app.draw_surface(canvases.surface));
  guard('drawing the convergence plot', () => app.draw_convergence(canvases.convergence));
  describeAll();
}

/** The plots as text (Rust describe.rs), for screen readers and the "describe" buttons. */
function describeAll() {
  for (const c of Object.values(canvases)) describePlot(c, app.describe(c.id));
}

let frame = 0;
let pending = new Set();
function drawSoon(...which) {
  which.forEach((w) => pending.add(w));
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    const todo = pending;
    pending = new Set();
    if (todo.has('contour')) guard('drawing the contour map', () => app.draw_contour(canvases.contour));
    if (todo.has('surface')) guard('drawing the surface', () => app.draw_surface(canvases.surface));
    if (todo.has('convergence')) {
      guard('drawing the convergence plot', () => app.draw_convergence(canvases.convergence));
      drawSchedule();
    }
    if (todo.has('contour')) describeAll(); // the view box may have moved
  });
}

/** Shows the installed run: readout and plots. */
function show() {
  showErrors([]);
  showReadout(app.summary());
  drawAll();
  announce(app.announce());
}

/**
 * Runs what Rust left pending in the worker (www/engine.js), then shows it; resolves to null or
 * the reason it was not run (the previous run then stays on screen, marked).
 */
function settle() {
  return engine.settle(app, 'surfaces', show, (message) => {
    fillForm(app.form());
    if (message) showErrors([{ field: 'form', message }]);
  });
}

/** After Rust changed the experiment itself (click, zoom, surface switch): show it all. */
function refresh() {
  fillForm(app.form());
  showErrors([]);
  return settle();
}

function apply() {
  const result = guard('running', () => app.apply_form(readForm()));
  if (!result) return;
  showErrors(result.errors);
  if (result.ok) {
    staleFormula(root, false); // the plots now show what the box says
    $('kappa-field').hidden = $('surface').value !== 'quadratic';
    settle();
  }
}

function applySoon() {
  applyAfter(apply, 150);
}

// ---------- events ----------

/** Back to the surface's default view box (the map's ⟲ button, the 0 key, the form's button). */
function resetView() {
  if (app.reset_view()) refresh();
}

function wire() {
  for (const f of TEXT_FIELDS) $(f).addEventListener('input', applySoon);
  $('gradient').addEventListener('change', apply);
  $('schedule').addEventListener('change', () => { labelSchedule(); apply(); });
  // The formula box validates as you type (Rust parses it; nothing is evaluated as JavaScript).
  // While the text is invalid, the plots still show the last valid formula: dimmed and labelled.
  $('formula-input').addEventListener('input', () => {
    const check = checkFormula();
    if (check.ok) applySoon();
    else {
      cancelApply(apply); // a valid text typed just before must not apply over the label
      staleFormula(root, true);
      showErrors([{ field: 'formula', message: check.message }]);
    }
  });
  $('formula-example').addEventListener('change', (e) => {
    if (!e.target.value) return;
    $('formula-input').value = e.target.value;
    e.target.value = '';
    checkFormula();
    apply();
  });
  $('surface').addEventListener('change', (e) => {
    if (guard('switching surface', () => { app.select_surface(e.target.value); return true; })) refresh();
  });
  $('controls').addEventListener('submit', (e) => { e.preventDefault(); apply(); });
  $('reset-view').addEventListener('click', resetView);

  // Contour map: click/tap = start here, drag or two fingers = pan, Ctrl+wheel or pinch = zoom;
  // a plain wheel and a one-finger swipe scroll the page (ui.js plotGestures).
  const c = canvases.contour;
  let viewTimer = 0;
  // While a gesture moves the view, both plots are drawn from coarser grids (Rust set_draft);
  // when it pauses, once more at full resolution.
  const viewChanged = () => {
    basinSync(); // a basin map belongs to its view
    showBasin();
    app.set_draft(true);
    drawSoon('contour', 'surface');
    clearTimeout(viewTimer);
    viewTimer = setTimeout(() => {
      // Full resolution again, one plot per frame so neither frame runs long.
      if (app.set_draft(false)) { drawSoon('contour'); requestAnimationFrame(() => drawSoon('surface')); }
      fillForm(app.form());
    }, 150);
  };
  // Keyboard start point: S (or Enter) shows a crosshair at the start, arrows move it (Shift:
  // further), Enter starts there, Escape cancels. Rust keeps the cursor and says where it is.
  let choosing = false;
  const say = (text) => { $('hover').textContent = text; announce(text); };
  const stopChoosing = () => { choosing = false; app.cursor_cancel(); drawSoon('contour'); };
  const chooseKey = (e) => {
    if (!choosing) {
      if (e.key !== 's' && e.key !== 'S' && e.key !== 'Enter') return false;
      choosing = true;
      say(app.cursor_begin());
      drawSoon('contour');
      return true;
    }
    const n = e.shiftKey ? 5 : 1;
    const moves = { ArrowLeft: [-n, 0], ArrowRight: [n, 0], ArrowUp: [0, n], ArrowDown: [0, -n] };
    if (moves[e.key]) { say(app.cursor_move(...moves[e.key])); drawSoon('contour'); return true; }
    if (e.key === 'Enter') {
      choosing = false;
      $('hover').textContent = '';
      if (guard('running', () => app.cursor_commit())) refresh(); else drawSoon('contour');
      return true;
    }
    if (e.key === 'Escape') { stopChoosing(); say('Start point not changed'); return true; }
    return false;
  };
  c.addEventListener('blur', () => { if (choosing) { stopChoosing(); $('hover').textContent = ''; } });
  plotGestures(c, {
    key: chooseKey,
    label: 'Arrow keys pan, + and − zoom, 0 resets the view; S chooses a start point with the arrow keys and Enter',
    drag: (dx, dy) => { if (app.pan(c, dx, dy)) viewChanged(); },
    zoom: (factor, x, y) => { if (app.zoom(c, x, y, factor)) viewChanged(); },
    reset: resetView,
    tap: (x, y) => { if (guard('running', () => app.click_contour(c, x, y))) refresh(); },
    hover: (x, y) => {
      const p = app.contour_point(c, x, y);
      $('hover').textContent = p ? `x = ${fmt(p[0], 3)}, y = ${fmt(p[1], 3)}, f = ${fmt(p[2], 4)}` : '';
    },
    leave: () => { $('hover').textContent = ''; },
  });
  $('map-reset').addEventListener('click', resetView);

  // Surface: drag (two fingers on touch, arrows on the keyboard) rotates it.
  const s = canvases.surface;
  plotGestures(s, {
    label: 'Arrow keys rotate',
    keyStep: 15,
    drag: (dx, dy) => { app.rotate(dx, dy); drawSoon('surface'); },
  });

  let resizeFrame = 0;
  new ResizeObserver(() => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(drawAll);
  }).observe(root);
}

/** Builds the lab in the page (the wasm module is already initialised); returns its API. */
export function mount() {
  app = new SurfaceLab();
  app.set_deferred(true); // runs go to the worker (or, without one, engine.js runs them here)
  catalog = app.catalog();
  buildControls();
  fillForm(app.form());
  showReadout(app.summary());
  drawAll();
  wire();
  wirePlayer();
  return {
    /** The lab's Rust object (teach.js reads the coach, lesson outcomes and challenge verdicts from it). */
    rust: app,
    summary: () => app.summary(),
    /** Where the last drawing of canvas `id` put its text, plot area and legend (CSS px; Rust layout()). */
    layout: (id) => app.layout(id),
    /** Playback: the shown iteration, and how each solver got there. */
    step: () => app.step(),
    setStep: (k) => { stopPlaying(); setStep(k); return app.step(); },
    /** For links: the shown iteration, or null at the end of the run. */
    viewStep: () => (app.step() < app.iterations() ? app.step() : null),
    setViewStep: (k) => { stopPlaying(); setStep(Math.min(k, app.iterations())); },
    explain: () => app.explain(),
    /** Turns the curvature lens on or off (as its button does). */
    setLens: (on) => { if (on !== lensOn) toggleLens(); },
    /** Starts the basin map (as the basin-map button does). */
    startBasin: () => { if (!app.basin_info()) toggleBasin(); },
    redraw: () => { drawAll(); showStep(); }, // also on a language change: the texts Rust writes
    /** The experiment config as JSON. */
    getState: () => app.get_state(),
    /** Changes whenever the experiment getState() returns may have changed (cheap). */
    revision: () => app.revision(),
    /** Validates and applies a config, re-runs (in the worker) and redraws; resolves to an error message or null. */
    setState: (config) => {
      try {
        app.set_state(config);
      } catch (e) {
        return Promise.resolve(String(e));
      }
      return refresh();
    },
  };
}

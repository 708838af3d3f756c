// The linear-regression lab: wires DOM events to the Rust `RegressionLab` (www/pkg).
// No numerics here: the form's text goes to Rust as typed; Rust parses the CSV, validates, trains,
// solves exactly and draws. User text only reaches the page through textContent / value.
import { RegressionLab } from '../pkg/gradlab.js';
import { csvBox } from '../csvbox.js';
import { $, el, fmt, table, playbackKeys, speedSelect, plotGestures, describePlot, announce, applyAfter } from '../ui.js';
import * as engine from '../engine.js';
import { player } from '../playback.js';
import * as i18n from '../i18n.js';
import { t } from '../i18n.js';

const TEXT = ['n', 'slope', 'true_intercept', 'noise', 'x_min', 'x_max', 'data_seed', 'degree',
  'delimiter', 'decimal', 'header', 'target', 'learning_rate', 'batch_size', 'epochs', 'seed',
  'shuffle', 'optimizer', 'beta', 'decay', 'decay_value', 'decay_every', 'source'];
const CHECKS = ['fit_intercept', 'standardize', 'compare_gd'];
const CSV_OPTIONS = ['delimiter', 'decimal', 'header', 'target'];
/** Largest file read as text (a 10⁶-row CSV is ≈ 25 MB; the lab's 10⁶-row limit comes next). */
const MAX_FILE_BYTES = 200e6;
const CANVASES = {
  data: 'rg-data', contour: 'rg-contour', surface: 'rg-surface', loss: 'rg-loss',
  predicted: 'rg-predicted', residuals: 'rg-residuals',
};
const DRAW = {
  data: 'draw_data', contour: 'draw_contour', surface: 'draw_surface', loss: 'draw_loss',
  predicted: 'draw_predicted', residuals: 'draw_residuals',
};

/** Shown when CSV is chosen with an empty text box: curve-shaped, so degree 2 is worth a try. */
const SAMPLE_CSV = 'x,y\n0,1.2\n0.5,1.4\n1,2.3\n1.5,3.1\n2,4.8\n2.5,6.6\n3,9.4\n3.5,12.1\n4,15.8\n4.5,19.9\n5,24.6\n';

let app = null;
let root = null;
let summary = null;
/** The CSV text Rust last accepted (the textarea may hold an edit not yet applied). */
let csvApplied = '';
const f = (name) => $(`rg-${name}`);

/** The CSV box: large data as a summary, the row limit named before any work (www/csvbox.js). */
let csv = null;
const csvNow = () => csv.now();
const csvOptions = () => ({ delimiter: f('delimiter').value, decimal: f('decimal').value, header: f('header').value });

function fillForm(form) {
  for (const k of TEXT) f(k).value = form[k];
  for (const k of CHECKS) f(k).checked = !!form[k];
  if (form.csv_text !== csvNow()) csv.show(form.csv_text);
  csvApplied = form.csv_text;
  f('source').querySelector('option[value=nist]').hidden = form.source !== 'nist';
  showSourceFields();
}

/**
 * New CSV data (pasted, uploaded or typed): the row limit is named first ("use the first N rows"
 * or "cancel"), then the data are shown (a summary when large) and run. The run reads them in the
 * worker with progress and Cancel; the previous data stay on screen until the new ones are
 * accepted.
 */
function loadCsv(text, name = '') {
  csv.load(text, name, runCsv);
}

function runCsv(text, previous) {
  f('source').value = 'csv';
  showSourceFields();
  apply(text, (errors) => {
    // The data refused (a bad row, no such target column…): the previous data come back into
    // view with the previous run. Refused for a setting (e.g. epochs × rows too much work), the
    // new data stay in view to be used again once the setting is fixed.
    const data = errors.some((e) => e.field === 'csv_text' || e.field === 'target');
    if (data && csv.isBig() && csv.now() === text) csv.show(previous);
  });
}

function readForm(csvText) {
  const form = {};
  for (const k of TEXT) form[k] = f(k).value;
  for (const k of CHECKS) form[k] = f(k).checked;
  form.csv_text = csvText ?? csvApplied;
  return form;
}

function showSourceFields() {
  const src = f('source').value;
  $('rg-gen').hidden = src !== 'generated';
  $('rg-csv').hidden = src !== 'csv';
  $('rg-beta-field').hidden = f('optimizer').value === 'plain';
  const decay = f('decay').value;
  $('rg-decay-field').hidden = decay === 'none';
  $('rg-decay-every-field').hidden = decay !== 'step_decay' && decay !== 'cosine';
  $('rg-decay-label').textContent = { inverse_time: 'rate r', exponential: 'γ per epoch', step_decay: 'γ per drop', cosine: 'final fraction m' }[decay] ?? 'r or γ';
  $('rg-decay-every-label').textContent = decay === 'cosine' ? 'period T (epochs)' : 'every s epochs';
}

function showErrors(errors) {
  for (const m of root.querySelectorAll('.msg')) m.textContent = '';
  for (const i of root.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
  for (const { field, message } of errors) {
    const msg = root.querySelector(`.msg[data-for="${CSS.escape(field)}"]`) || root.querySelector('.msg[data-for="form"]');
    msg.textContent = message;
    const input = f(field);
    if (input) input.setAttribute('aria-invalid', 'true');
  }
}

// ---------- readouts ----------

function swatch(color) {
  return Object.assign(el('span', { className: 'swatch' }), { style: `background:${color}` });
}

function showReadout(s) {
  summary = s;
  const vec = (v) => `(${v.map((x) => fmt(x)).join(', ')})`;
  const atEnd = s.epoch >= s.max_epoch;
  const params = `(${s.parameters.join(', ')})`;
  const rows = s.runs.map((r) => {
    const stop = r.warning
      ? el('span', { className: 'stop-bad', textContent: r.warning, title: `stop: ${r.stop_label}` })
      : el('span', { className: r.stop === 'diverged' ? 'stop-bad' : 'stop-ok', textContent: r.stop_label });
    stop.dataset.stop = r.stop;
    if (r.warning) stop.dataset.warning = 'true';
    const at = r.shown;
    return [el('span', {}, swatch(r.color), ` ${r.name}`), vec(at.theta), fmt(at.loss),
      at.distance_to_exact === null || at.distance_to_exact === undefined ? '—' : fmt(at.distance_to_exact),
      String(at.epoch), String(at.updates), atEnd ? stop : i18n.t('rg_ends', { stop: i18n.say(r.stop_label) }, '… (ends: {stop})')];
  });
  $('rg-readout').replaceChildren(table(
    ['run', atEnd ? i18n.t('rg_final', { params }, 'final {params}') : i18n.t('rg_after', { params, e: s.epoch }, '{params} after epoch {e}'), 'loss (MSE)', `‖${params} − QR‖`, 'epoch', 'updates', 'stopped'], rows, [5]));

  const ex = s.exact;
  const coefRows = s.parameters.map((name, j) => [
    name,
    ex ? fmt(ex.theta[j], 8) : '—',
    ex ? fmt(ex.sd[j], 4) : '—',
    ...s.runs.map((r) => fmt(r.shown.theta[j], 8)),
  ]);
  $('rg-coefs').replaceChildren(table(
    ['parameter', 'exact (QR)', 'std. error', ...s.runs.map((r) => (atEnd ? r.name : i18n.t('rg_name_epoch', { name: i18n.say(r.name), e: r.shown.epoch }, '{name} · epoch {e}')))], coefRows));
  $('rg-stats').textContent = ex
    ? i18n.t(s.intercept ? 'rg_stats' : 'rg_stats_nob', { n: s.n, r2: fmt(ex.r2, 6), se: fmt(ex.resid_sd, 6), dof: ex.dof },
      s.intercept ? 'n = {n} · R² = {r2} · residual SE = {se} · {dof} degrees of freedom' : 'n = {n} · R² (uncentred: no intercept, 1 − RSS/Σy²) = {r2} · residual SE = {se} · {dof} degrees of freedom')
    : i18n.t('rg_no_exact', { e: i18n.say(s.exact_error) }, 'no exact answer: {e}');
  $('rg-formula').textContent = i18n.t('rg_formula', { f: i18n.say(s.formula) }, 'Loss and gradient used: {f}');

  const multi = s.mode !== 'line';
  for (const p of root.querySelectorAll('.rg-line')) p.hidden = multi;
  for (const p of root.querySelectorAll('.rg-multi')) p.hidden = !multi;
  root.querySelector('.rg-fit').hidden = !s.data_fit;
  root.classList.toggle('rg-mode-multi', multi);
  root.classList.toggle('rg-no-fit', !s.data_fit);
  $('rg-map-note').hidden = !s.standardize;
  const slider = f('epoch');
  slider.max = String(s.max_epoch);
  slider.value = String(s.epoch);
  $('rg-epoch-out').textContent = `${s.epoch} / ${s.max_epoch}`;
  showLesson();
}

/** The first run's update at the shown epoch, written out by Rust, and the fan's caption. */
function showLesson() {
  const l = guard('writing the update', () => app.worked_update());
  const box = $('rg-update');
  root.querySelector('.rg-step').hidden = !l;
  if (!l) return;
  if (l.note) { $('rg-step-run').textContent = i18n.t('worked_epoch', { e: l.epoch }, 'epoch {e}'); box.replaceChildren(el('p', { textContent: l.note })); $('rg-fan-caption').textContent = ''; return; }
  $('rg-step-run').textContent = i18n.t('worked_head', { run: l.run, e: l.epoch }, '{run}, epoch {e}');
  box.replaceChildren(...l.lines.map((t) => el('p', { textContent: t })));
  $('rg-fan-caption').textContent = l.caption;
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

function visible(name) {
  const c = $(CANVASES[name]);
  return c && !c.closest('section').hidden;
}

function draw(...names) {
  for (const n of names) {
    if (!visible(n)) continue;
    guard(`drawing ${n}`, () => app[DRAW[n]]($(CANVASES[n])));
    describePlot($(CANVASES[n]), app.describe(CANVASES[n])); // the plot as text (Rust describe.rs)
  }
  if (names.includes('loss')) drawSchedule();
}

/** The small α_e plot, shown only with a decay (unhidden before drawing so it has its size). */
function drawSchedule() {
  const c = $('rg-schedule-plot');
  c.hidden = f('decay').value === 'none';
  if (!c.hidden && !guard('drawing the schedule', () => app.draw_schedule(c))) c.hidden = true;
}

const drawAll = () => draw(...Object.keys(CANVASES));

let frame = 0;
let pending = new Set();
function drawSoon(...names) {
  names.forEach((n) => pending.add(n));
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    const todo = [...pending];
    pending = new Set();
    draw(...todo);
  });
}

/**
 * Runs what Rust left pending in the worker (www/engine.js), then shows it (`then()` first);
 * resolves to null or the reason it was not run (the previous run then stays on screen, marked).
 */
function settle(then = () => {}, refused = () => {}) {
  return engine.settle(app, 'regression', () => {
    then();
    showErrors([]);
    showReadout(app.summary());
    drawAll();
    announce(app.announce());
  }, (message) => {
    refused(message ? [{ field: errorField(message), message }] : []);
    fillForm(app.form());
    if (message) showErrors([{ field: errorField(message), message }]);
  });
}

/** Which field a message from a run names (large CSV data are checked by the run itself). */
function errorField(message) {
  if (message.includes('polynomial')) return 'degree';
  if (/no column named|target column/.test(message)) return 'target';
  if (/^row \d|CSV|the input is empty|no data rows|only one data row|single column|constant/.test(message)) return 'csv_text';
  if (message.includes('epochs')) return 'epochs';
  return 'form';
}

function refresh() {
  fillForm(app.form());
  showErrors([]);
  return settle();
}

function apply(csvText, refused = () => {}) {
  stopPlay();
  const result = guard('running', () => app.apply_form(readForm(csvText)));
  if (!result) { refused([]); return; }
  showErrors(result.errors);
  if (result.ok) settle(() => { if (csvText !== undefined) csvApplied = csvText; }, refused);
  else refused(result.errors);
}

function applySoon() {
  applyAfter(apply, 200);
}

/** The CSV options re-read the text as it is in the box now, not the last text applied. */
function applyCsvOptions() {
  apply(f('source').value === 'csv' ? csvNow() : undefined);
}

// ---------- playback ----------

const play = player({
  get: () => Number(f('epoch').value),
  set: (e) => setEpoch(e),
  last: () => summary.max_epoch,
  speed: () => Number($('rg-speed').value),
  changed: (on) => { $('rg-playbtn').textContent = on ? '❚❚' : '▶'; },
});
function setEpoch(e) {
  const shown = app.set_epoch(e);
  showReadout(app.summary());
  drawSoon('data', 'contour', 'surface', 'loss', 'predicted', 'residuals');
  return shown;
}
const stopPlay = () => play.stop();
const togglePlay = () => play.toggle();

// ---------- events ----------

function wire() {
  for (const k of TEXT) {
    const input = f(k);
    if (k === 'source') {
      input.addEventListener('change', () => {
        showSourceFields();
        if (input.value === 'csv' && !csvNow().trim()) f('csv_text').value = SAMPLE_CSV;
        apply(input.value === 'csv' ? csvNow() : undefined);
      });
    } else if (CSV_OPTIONS.includes(k)) {
      // The CSV options re-read the text as it is in the box now, not the last text applied.
      const now = () => (f('source').value === 'csv' ? csvNow() : undefined);
      if (input.tagName === 'SELECT') input.addEventListener('change', () => apply(now()));
      else input.addEventListener('input', () => applyAfter(applyCsvOptions, 200));
    } else if (input.tagName === 'SELECT') input.addEventListener('change', () => { showSourceFields(); apply(); });
    else input.addEventListener('input', applySoon);
  }
  for (const k of CHECKS) f(k).addEventListener('change', () => apply());
  $('rg-form').addEventListener('submit', (e) => { e.preventDefault(); apply(); });
  $('rg-load').addEventListener('click', () => loadCsv(csvNow()));
  $('rg-csv-big-clear').addEventListener('click', () => {
    csv.show('');
    f('csv_text').focus();
  });
  $('rg-file').addEventListener('change', (e) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    // Named before the file is read: a file the tab cannot hold as text.
    if (file.size > MAX_FILE_BYTES) {
      showErrors([{ field: 'csv_text', message: t('file_too_large', { name: file.name, mb: (file.size / 1e6).toFixed(0), max: MAX_FILE_BYTES / 1e6 }, `${file.name} is ${(file.size / 1e6).toFixed(0)} MB; the page reads files of at most ${MAX_FILE_BYTES / 1e6} MB`) }]);
      return;
    }
    const reader = new FileReader();
    showErrors([]);
    reader.onload = () => loadCsv(String(reader.result), file.name);
    reader.onerror = () => showErrors([{ field: 'csv_text', message: t('file_unreadable', { name: file.name }, `could not read ${file.name}`) }]);
    reader.readAsText(file);
  });
  f('epoch').addEventListener('input', (e) => { stopPlay(); setEpoch(Number(e.target.value)); });
  $('rg-playbtn').addEventListener('click', togglePlay);
  $('rg-playbtn').after(speedSelect('rg-speed', [2, 5, 10, 20, 60], 10));
  playbackKeys($('lab-regression'), {
    toggle: togglePlay,
    step: (d) => { stopPlay(); setEpoch(Math.max(0, Math.min(summary.max_epoch, Number(f('epoch').value) + d))); },
    first: () => { stopPlay(); setEpoch(0); },
    last: () => { stopPlay(); setEpoch(summary.max_epoch); },
  });
  $('rg-fan').addEventListener('change', (e) => {
    app.set_fan(e.target.checked);
    showLesson();
    drawSoon('contour');
  });
  $('rg-reset-start').addEventListener('click', () => { if (guard('running', () => app.reset_start())) refresh(); });

  // Loss map: click/tap = start there; the page keeps the wheel and one-finger swipes.
  const c = $('rg-contour');
  plotGestures(c, {
    tap: (x, y) => {
      stopPlay();
      if (guard('running', () => app.click_contour(c, x, y))) settle();
    },
    hover: (x, y) => {
      const p = app.contour_point(c, x, y);
      $('rg-hover').textContent = p ? `w = ${fmt(p[0], 4)}, b = ${fmt(p[1], 4)}, loss = ${fmt(p[2], 4)}` : '';
    },
    leave: () => { $('rg-hover').textContent = ''; },
  });

  // Loss surface: drag (two fingers on touch, arrows on the keyboard) rotates it.
  const s = $('rg-surface');
  plotGestures(s, { label: 'Arrow keys rotate', keyStep: 15, drag: (dx, dy) => { app.rotate(dx, dy); drawSoon('surface'); } });

  let resizeFrame = 0;
  new ResizeObserver(() => {
    if (root.hidden) return;
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(drawAll);
  }).observe(root);
}

/** Builds the lab in the page (the wasm module is already initialised); returns its API. */
export function mount() {
  root = $('lab-regression');
  app = new RegressionLab();
  app.set_deferred(true); // runs go to the worker (or, without one, engine.js runs them here)
  csv = csvBox('regression', {
    text: 'rg-csv_text', big: 'rg-csv-big', bigText: 'rg-csv-big-text', bigLines: 'rg-csv-big-lines',
    limit: 'rg-csv-limit', limitText: 'rg-csv-limit-text', use: 'rg-csv-limit-use', cancel: 'rg-csv-limit-cancel',
  }, csvOptions);
  csv.onPaste = runCsv;
  fillForm(app.form());
  showReadout(app.summary());
  drawAll();
  wire();
  return {
    /** The lab's Rust object (teach.js reads the coach, lesson outcomes and challenge verdicts from it). */
    rust: app,
    summary: () => app.summary(),
    /** Where the last drawing of canvas `id` put its text, plot area and legend (CSS px; Rust layout()). */
    layout: (id) => app.layout(id),
    redraw: () => { const s = app.summary(); if (s) showReadout(s); drawAll(); showLesson(); }, // also on a language change: the texts Rust and i18n.t write
    /** For links: the shown epoch, or null at the end of the run. */
    viewStep: () => {
      const e = Number(f('epoch').value);
      return summary && e < summary.max_epoch ? e : null;
    },
    setViewStep: (e) => { stopPlay(); setEpoch(e); },
    /** The experiment config (RegressionExperiment) as JSON. */
    getState: () => app.get_state(),
    /** The link of the page state `shell` (no config) with this lab's experiment, encoded in Rust. */
    encodeLink: (shell) => app.encode_link(shell),
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

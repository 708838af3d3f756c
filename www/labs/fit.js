// The curve-fitting lab: wires DOM events to the Rust `FitLab` (www/pkg). No numerics here: the
// form's text goes to Rust as typed; Rust validates, fits, draws and writes the CSV export.
// User text only reaches the page through textContent / value, never innerHTML.
import { FitLab } from '../pkg/gradlab.js';
import { csvBox } from '../csvbox.js';
import { $, el, fmt, table, playbackKeys, speedSelect, showCaret, staleFormula, describePlot, announce, applyAfter } from '../ui.js';
import * as engine from '../engine.js';
import { player } from '../playback.js';
import * as i18n from '../i18n.js';
import { t } from '../i18n.js';

const root = $('lab-fit');
const canvases = {
  curve: $('fit-curve-canvas'),
  residuals: $('fit-residuals'),
  convergence: $('fit-convergence'),
  landscape: $('fit-landscape'),
};
/** Where `cargo xtask build` puts the NIST StRD files and their index.json (names). */
const NIST_DIR = 'pkg/nist/';
const GEN_FIELDS = ['n', 'noise', 'seed', 'x_min', 'x_max'];

let app = null;
let catalog = null;
let nistAvailable = false;
let paramNames = [];

// ---------- building the controls ----------

function buildControls() {
  for (const m of catalog.models) $('fit-builtin').append(el('option', { value: m.id, textContent: m.name }));
  for (const n of catalog.nist) $('fit-nist').append(el('option', { value: n, textContent: n }));
  const list = $('fit-solver-list');
  for (const info of catalog.solvers) {
    const box = el('input', { type: 'checkbox', id: `fit-use-${info.method}` });
    const params = el('div', { className: 'params' });
    for (const p of info.params) {
      const id = `fit-${info.method}-${p.name}`;
      let input;
      if (p.switch) {
        input = el('input', { type: 'checkbox', id, checked: p.default === 'true', title: p.help });
        input.addEventListener('change', apply);
        params.append(el('label', { className: 'fit-switch', htmlFor: id, title: p.help }, input, ` ${p.name.replaceAll('_', ' ')}`));
      } else if (p.choices?.length) {
        input = el('select', { id, title: p.help }, ...p.choices.map((c) => el('option', { value: c, textContent: c.replaceAll('_', ' ') })));
        input.value = p.default;
        input.addEventListener('change', apply);
        params.append(el('div', { className: 'field' },
          el('label', { htmlFor: id, textContent: p.name.replaceAll('_', ' '), title: p.help }),
          input,
          el('span', { className: 'msg', role: 'alert', dataset: { for: `${info.method}.${p.name}` } })));
      } else {
        input = el('input', { id, inputMode: 'decimal', spellcheck: false, value: p.default, title: p.help });
        input.addEventListener('input', applySoon);
        params.append(el('div', { className: 'field' },
          el('label', { htmlFor: id, textContent: p.name.replaceAll('_', ' '), title: p.help }),
          input,
          el('span', { className: 'msg', role: 'alert', dataset: { for: `${info.method}.${p.name}` } })));
      }
      input.dataset.param = p.name;
      input.dataset.switch = p.switch ? '1' : '';
    }
    const row = el('div', { className: 'solver' },
      el('label', { htmlFor: box.id }, box, el('span', { className: 'swatch' }), info.name),
      el('p', { className: 'help', textContent: info.help }),
      el('details', {}, el('summary', { textContent: 'settings' }), params),
      el('span', { className: 'msg', role: 'alert', dataset: { for: info.method } }));
    row.dataset.method = info.method;
    list.append(row);
    box.addEventListener('change', () => { row.classList.toggle('on', box.checked); apply(); });
  }
}

/** Inputs, one per parameter, in `box`; keeps existing inputs when the names are unchanged. */
function paramInputs(box, names, values, prefix) {
  const same = box.children.length === names.length
    && [...box.children].every((c, i) => c.dataset.name === names[i]);
  if (!same) {
    box.replaceChildren(...names.map((name, i) => {
      const id = `${prefix}-${i}`;
      const input = el('input', { id, inputMode: 'decimal', spellcheck: false });
      input.addEventListener('input', () => {
        if (prefix === 'fit-start') $('fit-start-kind').value = 'values';
        applySoon();
      });
      const wrap = el('div', { className: 'field', dataset: { name } },
        el('label', { htmlFor: id, textContent: name }), input,
        el('span', { className: 'msg', role: 'alert', dataset: { for: `${prefix === 'fit-start' ? 'start_values' : 'true_params'}.${i}` } }));
      return wrap;
    }));
  }
  [...box.querySelectorAll('input')].forEach((input, i) => {
    if (document.activeElement !== input && values[i] !== undefined) input.value = values[i];
  });
}

function modelInfo(id) {
  return catalog.models.find((m) => m.id === id);
}

/** Shows the parts of the form that belong to the chosen model and data source. */
function showParts() {
  const kind = $('fit-model').value;
  const nist = kind === 'nist';
  $('fit-builtin-field').hidden = kind !== 'builtin';
  $('fit-formula-field').hidden = kind !== 'formula';
  $('fit-nist-field').hidden = !nist;
  $('fit-data-field').hidden = nist;
  const gen = !nist && $('fit-data').value === 'generated';
  $('fit-gen').hidden = !gen;
  $('fit-true-field').hidden = !gen;
  $('fit-csv-field').hidden = nist || $('fit-data').value !== 'csv';
  for (const v of ['nist1', 'nist2']) root.querySelector(`#fit-start-kind option[value=${v}]`).hidden = !nist;
  if (kind === 'builtin') {
    const m = modelInfo($('fit-builtin').value);
    $('fit-shown').textContent = m ? m.formula : '';
  } else if (!nist) {
    $('fit-shown').textContent = '';
  }
}

/** The CSV box: large data as a summary, the row limit named before any work (www/csvbox.js). */
let csv = null;
const csvNow = () => csv.now();
const csvOptions = () => ({ delimiter: $('fit-csv_delimiter').value, decimal: $('fit-csv_decimal').value });

function fillForm(form, summary) {
  $('fit-model').value = form.model;
  $('fit-builtin').value = form.builtin;
  $('fit-formula').value = form.formula;
  $('fit-nist').value = form.nist;
  $('fit-data').value = form.data === 'nist' ? 'generated' : form.data;
  for (const f of GEN_FIELDS) $(`fit-${f}`).value = form[f];
  if (form.csv !== csvNow()) csv.show(form.csv);
  $('fit-csv_delimiter').value = form.csv_delimiter || 'auto';
  $('fit-csv_decimal').value = form.csv_decimal || 'point';
  $('fit-start-kind').value = form.start;
  $('fit-jacobian').value = form.jacobian;
  $('fit-frozen').checked = form.frozen_jacobian;
  // A method raced twice shows its first run's settings (the form edits that one; the others
  // are kept as they are — see merge_solvers in Rust).
  const chosen = new Map();
  for (const s of form.solvers) if (!chosen.has(s.method)) chosen.set(s.method, s.params);
  for (const row of root.querySelectorAll('.solver')) {
    const params = chosen.get(row.dataset.method);
    row.querySelector(':scope > label input').checked = !!params;
    row.classList.toggle('on', !!params);
    if (!params) continue;
    for (const input of row.querySelectorAll('[data-param]')) {
      const v = params[input.dataset.param];
      if (v === undefined) continue;
      if (input.dataset.switch) input.checked = v === 'true'; else input.value = v;
    }
  }
  setParams(summary.param_names, form);
  checkFormula();
  showParts();
  if (form.model === 'nist') $('fit-shown').textContent = summary.formula;
}

/** Rebuilds the per-parameter inputs (true values and start) for `names`. */
function setParams(names, form) {
  paramNames = names;
  let truth = form?.true_params ?? [];
  if (!truth.length) {
    const m = $('fit-model').value === 'builtin' ? modelInfo($('fit-builtin').value) : null;
    truth = m ? m.true_params.map(String) : names.map(() => '1');
  }
  paramInputs($('fit-true'), names, truth, 'fit-true');
  paramInputs($('fit-start'), names, form?.start_values ?? [], 'fit-start');
}

function readForm() {
  const kind = $('fit-model').value;
  const form = {
    model: kind,
    builtin: $('fit-builtin').value,
    formula: $('fit-formula').value,
    nist: $('fit-nist').value,
    data: kind === 'nist' ? 'nist' : $('fit-data').value,
    csv: csvNow(),
    csv_delimiter: $('fit-csv_delimiter').value,
    csv_decimal: $('fit-csv_decimal').value,
    true_params: [...$('fit-true').querySelectorAll('input')].map((i) => i.value),
    start: $('fit-start-kind').value,
    start_values: [...$('fit-start').querySelectorAll('input')].map((i) => i.value),
    jacobian: $('fit-jacobian').value,
    frozen_jacobian: $('fit-frozen').checked,
    solvers: [],
  };
  for (const f of GEN_FIELDS) form[f] = $(`fit-${f}`).value;
  for (const row of root.querySelectorAll('.solver')) {
    if (!row.querySelector(':scope > label input').checked) continue;
    const params = {};
    for (const input of row.querySelectorAll('[data-param]')) {
      params[input.dataset.param] = input.dataset.switch ? String(input.checked) : input.value;
    }
    form.solvers.push({ method: row.dataset.method, params });
  }
  return form;
}

function showErrors(errors) {
  for (const m of root.querySelectorAll('.msg')) if (m.dataset.for !== 'formula') m.textContent = '';
  for (const i of root.querySelectorAll('[aria-invalid]')) if (i.id !== 'fit-formula') i.removeAttribute('aria-invalid');
  for (const { field, message } of errors) {
    const msg = root.querySelector(`.msg[data-for="${CSS.escape(field)}"]`) || root.querySelector('.msg[data-for="form"]');
    msg.textContent = message;
    const input = $(`fit-${field}`) || $(`fit-${field.replace('.', '-')}`)
      || (field.startsWith('start_values.') && $(`fit-start-${field.split('.')[1]}`))
      || (field.startsWith('true_params.') && $(`fit-true-${field.split('.')[1]}`));
    if (input) input.setAttribute('aria-invalid', 'true');
  }
}

/** Live validation of the typed model: message and caret, or the parameter list. */
function checkFormula() {
  const note = $('fit-formula-note');
  if ($('fit-model').value !== 'formula') {
    note.hidden = true;
    $('fit-formula-echo').textContent = '';
    return true;
  }
  const r = app.check_formula($('fit-formula').value);
  const msg = root.querySelector('.msg[data-for="formula"]');
  const caret = $('fit-caret');
  note.textContent = r.notes.join(' ');
  note.hidden = r.notes.length === 0;
  $('fit-formula-echo').textContent = r.ok ? r.read_as : '';
  if (r.ok) {
    msg.textContent = '';
    caret.hidden = true;
    $('fit-formula').removeAttribute('aria-invalid');
    $('fit-shown').textContent = `parameters: ${r.params.join(', ')}`;
    if (r.params.join('\u0000') !== paramNames.join('\u0000')) {
      setParams(r.params, null);
      $('fit-start-kind').value = 'default';
    }
    return true;
  }
  // The form is re-validated: messages of an earlier run (e.g. a failed fit) are stale now.
  showErrors([]);
  msg.textContent = `${r.message} (column ${r.column})`;
  caret.textContent = r.caret;
  caret.hidden = false;
  showCaret(caret, r.column);
  $('fit-formula').setAttribute('aria-invalid', 'true');
  $('fit-shown').textContent = '';
  // The plots still show the last valid model: dimmed and labelled until a valid one is applied.
  staleFormula(root, true);
  return false;
}

// ---------- readouts ----------

/** A number with `sig` significant digits, without trailing zeros (display only). */
function sig(v, digits) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  return String(Number(v.toPrecision(digits)));
}

function swatch(color) {
  return Object.assign(el('span', { className: 'swatch' }), { style: `background:${color}` });
}

function showReadout(s) {
  const solvers = s.solvers;
  const truthLabel = s.certified ? 'certified' : ($('fit-data').value === 'generated' && s.model.kind !== 'nist' ? 'true' : null);
  const truth = s.certified ?? (truthLabel ? [...$('fit-true').querySelectorAll('input')].map((i) => i.value) : null);
  const headers = ['parameter', 'start', ...solvers.map((r) => r.solver), ...(truthLabel ? [truthLabel] : [])];
  const rows = s.param_names.map((name, i) => [
    name, sig(s.start[i], 6),
    ...solvers.map((r) => `${sig(r.params[i], 8)} ± ${sig(r.std_errors[i], 2)}`),
    ...(truthLabel ? [typeof truth[i] === 'number' ? sig(truth[i], 11) : String(truth[i] ?? '')] : []),
  ]);
  const params = table(headers, rows);
  params.classList.add('fit-params-table');
  const stats = table(['solver', 'SSR', 'R²', 'records', 'nfev', 'njev', '‖Jᵀr‖', 'stopped'], solvers.map((r) => {
    const stop = el('span', { className: r.converged ? 'stop-ok' : 'stop-bad', textContent: r.stop_label });
    stop.dataset.stop = r.stop;
    return [el('span', {}, swatch(r.color), ` ${r.solver}`), sig(r.ssr, 8), r.r_squared === null ? '—' : sig(r.r_squared, 6),
      String(r.iterations), String(r.nfev), String(r.njev), fmt(r.grad_norm, 3), stop];
  }), [5, 6]);
  // Caveats on the standard errors, one line per note with the solvers it concerns.
  const bySolver = new Map();
  for (const r of solvers) for (const t of r.notes) bySolver.set(t, [...(bySolver.get(t) ?? []), r.solver]);
  const notes = [...bySolver].map(([t, who]) => el('p', { className: 'fit-warn', textContent: `${who.map((w) => i18n.say(w)).join(i18n.t('and', {}, ' and '))}: ${i18n.say(t)}` }));
  $('fit-readout').replaceChildren(params, stats, ...notes,
    el('p', { className: 'hint', textContent: i18n.t('fit_points', { n: s.points }, '{n} data points · ± is one standard error, s²(JᵀJ)⁻¹ at the solution') }));
  // A method run twice (e.g. LM with the right and a frozen Jacobian) shows its first run's colour.
  const colors = new Map();
  for (const r of solvers) if (!colors.has(r.method)) colors.set(r.method, r.color);
  for (const row of root.querySelectorAll('.solver')) {
    const sw = row.querySelector('.swatch');
    const c = colors.get(row.dataset.method);
    if (c) sw.style.background = c; else sw.removeAttribute('style');
  }
}

function showStep() {
  const k = app.step();
  const max = app.max_step();
  const slider = $('fit-step');
  slider.max = String(max);
  slider.value = String(k);
  const info = app.step_info();
  const parts = info.map((s) => `${i18n.tr(s.solver.split(' ')[0])}: SSR ${fmt(s.ssr, 4)}${s.lambda_text != null ? `, λ ${s.lambda_text}` : ''}`);
  $('fit-step-label').textContent = k >= max
    ? i18n.t('fit_final', { max }, 'final fit (record {max}) · drag the slider to step through')
    : i18n.t('fit_record', { k, max, parts: parts.join(' · ') }, 'record {k} of {max} · {parts}');
  // Each solver's step written out with the trace's numbers (λ, ρ, accepted; or the line search).
  $('fit-explain').replaceChildren(...info.map((s) => el('div', { className: 'rule' },
    el('b', { textContent: i18n.t('record_head', { solver: i18n.say(s.solver), k: s.k }, '{solver}, record {k}') }),
    ...s.lines.map((l) => el('code', { textContent: l })))));
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

function drawLandscape() {
  const has = app.has_landscape();
  canvases.landscape.hidden = !has;
  $('fit-land-none').hidden = has;
  const names = app.summary().param_names;
  $('fit-land-axes').textContent = has ? i18n.t('fit_axes', { a: names[0], b: names[1] }, 'horizontal {a}, vertical {b} · paths from ○ to ●') : '';
  if (has) guard('drawing the SSR landscape', () => app.draw_landscape(canvases.landscape));
}

function drawAll() {
  if (root.hidden) return;
  guard('drawing the fit', () => app.draw_fit(canvases.curve));
  guard('drawing the residuals', () => app.draw_residuals(canvases.residuals));
  guard('drawing the convergence plot', () => app.draw_convergence(canvases.convergence));
  drawLandscape();
  showStep();
  // The plots as text (Rust describe.rs).
  for (const c of Object.values(canvases)) if (!c.hidden) describePlot(c, app.describe(c.id));
}

let frame = 0;
function drawSoon() {
  if (frame) return;
  frame = requestAnimationFrame(() => { frame = 0; drawAll(); });
}

/**
 * Runs the fit Rust left pending in the worker (www/engine.js), then `then()` and shows it;
 * resolves to null or the reason it was not run (the previous fit then stays on screen, marked).
 */
function settle(then = () => {}, { typed = false } = {}) {
  return engine.settle(app, 'fit', () => {
    then();
    showErrors([]);
    showReadout(app.summary());
    drawAll();
    announce(app.announce());
  }, (message) => {
    // What the reader typed stays in the form, with the reason beside the field it concerns
    // (the plots keep the previous fit); an experiment set from outside is shown as it stands.
    if (!typed) fillForm(app.form(), app.summary());
    if (message) showErrors([{ field: typed ? refusedField(message) : 'form', message }]);
  }, 'fit');
}

/** The field a fit the worker refused is about (generating the data: the model and its true values). */
function refusedField(message) {
  if (/cannot generate data/.test(message)) return $('fit-model').value === 'formula' ? 'formula' : 'true_params';
  return 'form';
}

/** After Rust changed the experiment itself (setState, NIST loaded): show it all. */
function refresh() {
  showErrors([]);
  return settle(() => fillForm(app.form(), app.summary()));
}

function apply() {
  stopPlay();
  showParts();
  if (!checkFormula()) return;
  const form = readForm();
  if (form.model === 'nist' && !app.has_nist(form.nist)) {
    loadNist(form.nist).then((ok) => { if (ok) apply(); });
    return;
  }
  const result = guard('fitting', () => app.apply_form(form));
  if (!result) return;
  showErrors(result.errors);
  if (result.ok) {
    staleFormula(root, false);
    settle(() => {
      const summary = app.summary();
      const f = app.form();
      if (summary.param_names.join('\u0000') !== paramNames.join('\u0000') || form.start === 'default') {
        setParams(summary.param_names, { ...f, true_params: form.true_params.length === summary.param_names.length ? form.true_params : [] });
      }
      if (form.model === 'nist') $('fit-shown').textContent = summary.formula;
    }, { typed: true });
  }
}

function applySoon() {
  applyAfter(apply, 200);
}

/** Fetches www/pkg/nist/NAME.dat into the lab; false (with a message) when it is not there. */
async function loadNist(name) {
  try {
    const r = await fetch(`${NIST_DIR}${encodeURIComponent(name)}.dat`);
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    app.add_nist(await r.text());
    return true;
  } catch (e) {
    showErrors([{ field: 'nist', message: `could not load the NIST data for ${name} (${e})` }]);
    return false;
  }
}

// ---------- stepping ----------

/** A record to show once a NIST file that a link names has loaded (see setViewStep). */
let pendingStep = null;

function setStep(k) {
  app.set_step(Math.max(0, k));
  drawSoon();
}

const play = player({
  get: () => app.step(),
  set: (k) => setStep(k),
  last: () => app.max_step(),
  speed: () => Number($('fit-speed').value),
  changed: (on) => { $('fit-play').textContent = on ? 'pause' : 'play'; },
});
const stopPlay = () => play.stop();
const togglePlay = () => play.toggle();

// ---------- events ----------

function wire() {
  $('fit-form').addEventListener('submit', (e) => { e.preventDefault(); apply(); });
  $('fit-model').addEventListener('change', () => { $('fit-start-kind').value = 'default'; for (const i of $('fit-true').querySelectorAll('input')) i.value = ''; apply(); });
  $('fit-builtin').addEventListener('change', () => {
    $('fit-start-kind').value = 'default';
    $('fit-x_min').value = ''; $('fit-x_max').value = '';
    const m = modelInfo($('fit-builtin').value);
    setParams(m.params, { true_params: m.true_params.map(String), start_values: m.start.map(String) });
    apply();
  });
  $('fit-nist').addEventListener('change', () => { $('fit-start-kind').value = 'default'; apply(); });
  $('fit-data').addEventListener('change', () => {
    // An empty CSV box starts with the data shown (as CSV text to edit), not with an error.
    if ($('fit-data').value === 'csv' && !csvNow().trim()) csv.show(app.data_csv());
    apply();
  });
  $('fit-csv_delimiter').addEventListener('change', apply);
  $('fit-csv_decimal').addEventListener('change', apply);
  $('fit-start-kind').addEventListener('change', apply);
  $('fit-jacobian').addEventListener('change', apply);
  $('fit-frozen').addEventListener('change', apply);
  $('fit-formula').addEventListener('input', () => { if (checkFormula()) applySoon(); });
  $('fit-csv').addEventListener('input', applySoon);
  $('fit-csv-big-clear').addEventListener('click', () => { csv.show(''); $('fit-csv').focus(); });
  for (const f of GEN_FIELDS) $(`fit-${f}`).addEventListener('input', applySoon);

  $('fit-step').addEventListener('input', (e) => { stopPlay(); setStep(Number(e.target.value)); });
  $('fit-first').addEventListener('click', () => { stopPlay(); setStep(0); });
  $('fit-prev').addEventListener('click', () => { stopPlay(); setStep(app.step() - 1); });
  $('fit-next').addEventListener('click', () => { stopPlay(); setStep(app.step() + 1); });
  $('fit-last').addEventListener('click', () => { stopPlay(); setStep(app.max_step()); });
  $('fit-play').addEventListener('click', togglePlay);
  $('fit-play').after(speedSelect('fit-speed', [1, 2, 4, 10, 30], 4));
  playbackKeys($('lab-fit'), {
    toggle: togglePlay,
    step: (d) => { stopPlay(); setStep(app.step() + d); },
    first: () => { stopPlay(); setStep(0); },
    last: () => { stopPlay(); setStep(app.max_step()); },
  });

  $('fit-export').addEventListener('click', () => {
    const blob = new Blob([app.trace_csv()], { type: 'text/csv' });
    const a = el('a', { href: URL.createObjectURL(blob), download: 'gradlab-fit-trace.csv' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });

  let resizeFrame = 0;
  new ResizeObserver(() => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(drawAll);
  }).observe(root);
}

/** Offers the NIST problems only when www/pkg/nist/index.json lists them (copied at build time). */
async function probeNist() {
  let names = [];
  try {
    const r = await fetch(NIST_DIR + 'index.json');
    if (r.ok) names = await r.json();
  } catch {
    names = [];
  }
  nistAvailable = Array.isArray(names) && names.length > 0;
  if (nistAvailable) {
    const have = new Set(names);
    for (const o of $('fit-nist').options) o.hidden = !have.has(o.value);
  }
  $('fit-model-nist').hidden = !nistAvailable;
}

/** Builds the lab in the page (the wasm module is already initialised); returns its API. */
export function mount() {
  app = new FitLab();
  app.set_deferred(true); // fits go to the worker (or, without one, engine.js runs them here)
  csv = csvBox('fit', {
    text: 'fit-csv', big: 'fit-csv-big', bigText: 'fit-csv-big-text', bigLines: 'fit-csv-big-lines',
    limit: 'fit-csv-limit', limitText: 'fit-csv-limit-text', use: 'fit-csv-limit-use', cancel: 'fit-csv-limit-cancel',
  }, csvOptions);
  csv.onPaste = () => apply();
  catalog = app.catalog();
  buildControls();
  fillForm(app.form(), app.summary());
  showReadout(app.summary());
  drawAll();
  wire();
  probeNist();
  return {
    /** The lab's Rust object (teach.js reads the coach, lesson outcomes and challenge verdicts from it). */
    rust: app,
    summary: () => app.summary(),
    /** Where the last drawing of canvas `id` put its text, plot area and legend (CSS px; Rust layout()). */
    layout: (id) => app.layout(id),
    redraw: drawAll,
    /** For links: the shown record, or null at the end of the run. */
    viewStep: () => (app.step() < app.max_step() ? app.step() : null),
    /** Shows record k (kept until a NIST file that is still loading has arrived). */
    setViewStep: (k) => { stopPlay(); pendingStep = k; setStep(Math.min(k, app.max_step())); },
    /** The experiment config as JSON (see README: FitExperiment). */
    getState: () => app.get_state(),
    /** Changes whenever the experiment getState() returns may have changed (cheap). */
    revision: () => app.revision(),
    /** The loaded NIST file a config names (for exports and fingerprints), or undefined. */
    nistText: (config) => (config?.model?.kind === 'nist' ? app.nist_text(String(config.model.name)) : undefined),
    /**
     * Validates and applies a config, re-runs and redraws; returns an error message or null.
     * A NIST config whose file is not loaded yet is fetched first and applied when it arrives
     * (null is returned; a failure shows in the page).
     */
    setState: (config) => {
      pendingStep = null;
      const name = config?.model?.kind === 'nist' ? config.model.name : null;
      if (name && !app.has_nist(name)) {
        return loadNist(String(name)).then(async (ok) => {
          if (!ok) return `could not load the NIST data for ${name}`;
          try {
            app.set_state(config);
          } catch (e) {
            showErrors([{ field: 'form', message: String(e) }]);
            return String(e);
          }
          const err = await refresh();
          if (pendingStep !== null) { setStep(Math.min(pendingStep, app.max_step())); pendingStep = null; }
          return err;
        });
      }
      try {
        app.set_state(config);
      } catch (e) {
        return Promise.resolve(String(e));
      }
      return refresh();
    },
  };
}

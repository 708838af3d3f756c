// gradlab page shell: loads the wasm module, mounts the labs, switches tabs, keeps the URL fragment
// in sync with the experiment (permalinks), runs the embed mode (`?embed`), the share/export UI,
// and exposes the scripting API `window.gradlab` and its postMessage twin (documented in
// README.md). Each lab lives in its own module and exposes {summary, redraw, getState, setState}.
import init, * as wasm from './pkg/gradlab.js';
import { $, flushEdits } from './ui.js';
import * as surfaces from './labs/surfaces.js';
import * as regression from './labs/regression.js';
import * as fit from './labs/fit.js';
import * as teach from './teach.js';
import * as i18n from './i18n.js';
import * as theme from './theme.js';
import * as share from './share.js';
import * as engine from './engine.js';

const LABS = { surfaces, regression, fit };
const mounted = {};
let active = 'surfaces';
let embedOptions = {};
let lastLink = '';
let readyResolve, readyReject;
const PARAMS = new URLSearchParams(location.search);
const EMBED = PARAMS.has('embed');
let openFull = null;
/** The guided experiment's explanation on show: {title, text, changed, lab} or null. */
let lesson = null;
/** The config the lesson was written for (JSON without the view), or null when unknown. */
let lessonBase = null;
/** Set by a lesson's "restore" button: the config to go back to. */
let lessonConfig = null;
/** The language a link's author chose (`lang` in the state), or null: the reader's own then. */
let forcedLang = null;

window.gradlab = {
  /** Resolves with the first run's summary once it is drawn. */
  ready: new Promise((res, rej) => { readyResolve = res; readyReject = rej; }),
  /** The active lab's latest run as plain JSON. */
  lastRun: () => mounted[active]?.summary() ?? null,
  /** Which lab is shown. */
  lab: () => active,
  /** The shown lab's own API (surfaces: step(), setStep(k), explain(), getState(), …). */
  current: () => mounted[active] ?? null,
  /** The whole page state: {lab, config, embed} (config is the active lab's experiment). */
  getState: () => currentState(),
  /**
   * Validates and applies a page state {lab, config, embed?} or a bare config of the active lab,
   * re-runs (in the worker) and redraws. Resolves to null once drawn, else to an error message
   * (nothing changes). Since the worker: a Promise (it returned the value directly before).
   */
  setState: (state) => applyState(state),
  /** Re-runs the current experiment (and starts an embed waiting for "Run"); resolves to the summary. */
  run: () => run(),
  /** Applies any edit still waiting for its typing delay, then resolves when no run is pending
   * (every lab shows its latest state). */
  settled: () => { flushEdits(); return engine.idle(); },
  /** Why runs happen on the page thread, or null while the worker does them. */
  worker: () => (engine.fallback() ? { ok: false, reason: engine.fallback() } : { ok: true }),
  /** The current permalink (`v3.…`, without `#`). */
  link: () => encode(currentState())?.link ?? null,
  /** How many times the page has encoded a link (tests check that idle clicks do not). */
  encodeCount: () => encodeCount,
  /** The bit-exact fingerprints of the current experiment's traces (hex strings). */
  fingerprints: () => { const s = currentState(); return wasm.trace_fingerprints(s, nistText(s)); },
};

/** The NIST StRD file a fit state needs (loaded by the fit lab), or undefined. */
function nistText(state) {
  return mounted[state.lab]?.nistText?.(state.config);
}

function showFatal(message) {
  const box = $('fatal');
  box.textContent = message;
  box.hidden = false;
}

/** Shows lab `name`, mounting it the first time. */
export function showLab(name) {
  if (!LABS[name]) return false;
  for (const id of Object.keys(LABS)) {
    $(`lab-${id}`).hidden = id !== name;
    const tab = document.querySelector(`.tabs [data-lab="${id}"]`);
    if (tab) {
      tab.setAttribute('aria-selected', String(id === name));
      tab.tabIndex = id === name ? 0 : -1;
    }
  }
  active = name;
  if (!mounted[name]) {
    mounted[name] = LABS[name].mount();
    teach.showCoach(name, mounted[name].rust);
  } else mounted[name].redraw();
  if (EMBED) share.applyEmbedOptions($(`lab-${name}`), embedOptions);
  renderLesson();
  return true;
}

function currentState(withConfig = true) {
  const config = withConfig ? mounted[active]?.getState() ?? null : null;
  // The iteration/epoch on show, unless it is the end of the run (links then open at the end).
  const step = mounted[active]?.viewStep?.() ?? null;
  // A course lesson or challenge travels as its id (its texts come from the catalog); a free-text
  // lesson (an author's, or an old link's) as its text.
  const forced = forcedLang ? { lang: forcedLang } : {};
  const l = teach.isOpen() ? teach.stateFields(active)
    : lesson && lesson.lab === active ? { lesson: { title: lesson.title, text: lesson.text, ...(lessonChanged() ? { changed: true } : {}) } } : {};
  return { lab: active, config, embed: embedOptions, ...(Number.isInteger(step) ? { step } : {}), ...l, ...forced };
}

// ---------- a guided experiment's lesson travels with the state ----------

/** What a lesson's text depends on: the config without how the plots look (panning is fine). */
function lessonKey(config) {
  if (!config || typeof config !== 'object') return '';
  const { view, ...rest } = config;
  return JSON.stringify(rest);
}

function lessonChanged() {
  if (!lesson) return false;
  // A course lesson: against its own setup in the catalog (so a shared, edited link says so too).
  const courseId = teach.isOpen() ? teach.stateFields(lesson.lab).course : undefined;
  if (courseId) return wasm.lesson_setup_changed(courseId, mounted[lesson.lab]?.getState() ?? null);
  if (teach.isOpen()) return false; // a challenge is meant to be changed
  if (lesson.changed && lessonBase === null) return true;
  return lessonBase !== null && lessonKey(mounted[lesson.lab]?.getState()) !== lessonBase;
}

/** Shows (or hides) the lesson box; marks it when the setup no longer matches the text. */
function renderLesson() {
  const box = $('lesson');
  const show = !!lesson && lesson.lab === active && !(EMBED && embedOptions.show_lesson === false) && !lesson.dismissed;
  box.hidden = !show;
  box.classList.toggle('teaching', teach.isOpen());
  if (!lesson) { teach.renderTeach(false); return; }
  box.dataset.lab = lesson.lab;
  if (!teach.renderTeach(show)) {
    $('lesson-title').textContent = lesson.title;
    $('lesson-text').textContent = lesson.text;
  }
  const changed = lessonChanged();
  box.classList.toggle('changed', changed);
  $('lesson-changed').hidden = !changed;
  $('lesson-restore').hidden = !lessonConfig;
}

/** Sets the lesson of a state just applied (from a link, a preset or a script). */
function setLesson(l, lab, config) {
  if (!l) { lesson = null; lessonBase = null; lessonConfig = null; renderLesson(); return; }
  lesson = { title: l.title, text: l.text, changed: !!l.changed, lab, dismissed: false };
  lessonBase = l.changed ? null : lessonKey(config);
  lessonConfig = l.changed ? null : config;
  renderLesson();
}


let encodeCount = 0;
function encode(state) {
  encodeCount += 1;
  try {
    return wasm.encode_link(state);
  } catch {
    return null;
  }
}

/** encode() of `shell` with the lab's own experiment as its config (see the lab's encodeLink). */
function encodeWith(lab, shell) {
  encodeCount += 1;
  try {
    return lab.encodeLink(shell);
  } catch {
    return null;
  }
}

/** Normalises what a script or message passed: a page state, a bare config, or a link string. */
function toPageState(input) {
  if (typeof input === 'string') {
    const r = wasm.decode_link(input);
    return r.ok ? { state: r.state } : { error: r.message };
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { error: 'expected a config object' };
  if ('lab' in input && 'config' in input) return { state: { ...input, embed: input.embed ?? embedOptions } };
  return { state: { lab: active, config: input, embed: embedOptions }, bare: true };
}

let applyGeneration = 0;
/**
 * Validates and applies a page state; resolves to null once its run (in the worker) is drawn, or
 * to the reason it was not applied (the previous state stays). A newer call supersedes it.
 */
async function applyState(input) {
  const tooBig = payloadProblem(input);
  if (tooBig) return tooBig;
  const { state, error, bare } = toPageState(input);
  if (error) return error;
  let problem;
  try {
    problem = wasm.check_state(state);
  } catch (e) {
    problem = String(e);
  }
  if (problem) return problem;
  const generation = ++applyGeneration;
  const previous = active;
  showLab(state.lab);
  const err = await mounted[state.lab].setState(state.config);
  if (generation !== applyGeneration) return null;
  if (err) {
    if (previous !== state.lab) showLab(previous);
    return err;
  }
  embedOptions = state.embed || {};
  if (!bare) {
    forcedLang = state.lang ?? null;
    if (forcedLang && forcedLang !== i18n.current()) i18n.setLang(forcedLang);
  }
  if (EMBED) embedOptions = { ...embedOptions, ...urlOverrides(state.lab) };
  const step = EMBED && PARAMS.has('step') ? Number(PARAMS.get('step')) : state.step;
  if (Number.isInteger(step) && step >= 0) mounted[state.lab].setViewStep?.(step);
  // A bare config (a script changing the setup) keeps the lesson, which then shows as changed.
  if (bare) renderLesson();
  else {
    const taught = teach.setTeach(state);
    setLesson(taught ? { title: '', text: '' } : state.lesson, state.lab, mounted[state.lab].getState());
  }
  if (EMBED) {
    share.applyEmbedOptions($(`lab-${state.lab}`), embedOptions);
    if (embedOptions.autoplay === false) share.showRunCover($(`lab-${state.lab}`), run);
    else share.hideRunCover();
  }
  urlSoon();
  postHeightSoon();
  return null;
}

// ---------- embed options from the URL (`?embed&plots=contour,convergence&controls=0…`) ----------

/** The embed options the iframe's URL sets over the link's (only those given). */
function urlOverrides(lab) {
  const o = {};
  const flag = (name, key) => {
    if (!PARAMS.has(name)) return;
    const v = PARAMS.get(name).trim().toLowerCase();
    o[key] = !['0', 'false', 'no', 'off'].includes(v);
  };
  flag('controls', 'show_controls');
  flag('results', 'show_readout');
  flag('autoplay', 'autoplay');
  flag('lesson', 'show_lesson');
  if (PARAMS.has('plots')) {
    const names = PARAMS.get('plots').split(',').map((n) => n.trim().toLowerCase()).filter(Boolean);
    o.plots = names.map((n) => share.PLOT_NAMES[lab]?.[n] ?? n).filter((n) => /^[A-Za-z0-9_.-]{1,64}$/.test(n)).slice(0, 16);
  }
  return o;
}

// ---------- embed: tell the parent page the height this embed would like (resize handshake) ----------

/** `aspect=4/3` or `aspect=1.5` from the URL: the plots' width / height (default 4/3). */
function embedAspect() {
  const raw = PARAMS.get('aspect') || '';
  const [a, b] = raw.split(/[/:x]/).map(Number);
  const r = b ? a / b : a;
  return Number.isFinite(r) && r >= 0.3 && r <= 4 ? r : 4 / 3;
}

let lastHeight = 0;
let heightTimer = 0;
/**
 * The height the embed wants at its current width: its chrome (bar, lesson, messages) plus the
 * plots at the author's aspect — on a narrow screen, where one plot shows at a time, a plot about
 * as tall as it is wide.
 */
function preferredHeight() {
  const w = document.documentElement.clientWidth;
  let chrome = 0;
  for (const e of document.querySelectorAll('body > .embed-bar, body > .lesson, body > .share-msg, body > .fatal')) {
    if (!e.hidden && e.offsetParent !== null) {
      const cs = getComputedStyle(e);
      chrome += e.offsetHeight + parseFloat(cs.marginTop) + parseFloat(cs.marginBottom);
    }
  }
  const narrow = document.documentElement.classList.contains('embed-narrow');
  const lab = $(`lab-${active}`);
  let extra = 0;
  for (const e of lab.querySelectorAll(':scope > .rg-play')) if (e.offsetParent !== null) extra += e.offsetHeight + 4;
  const plots = narrow ? w * 0.95 + 60 : w / embedAspect();
  return Math.round(Math.min(3000, Math.max(240, chrome + extra + plots + 8)));
}

function postHeightSoon() {
  if (!EMBED || window.parent === window) return;
  clearTimeout(heightTimer);
  heightTimer = setTimeout(() => {
    const h = preferredHeight();
    if (Math.abs(h - lastHeight) < 2) return;
    lastHeight = h;
    window.parent.postMessage({ type: 'gradlab:resize', height: h }, '*');
  }, 60);
}

/** Re-runs the shown experiment; resolves to its summary once drawn, or {error}. */
async function run() {
  share.hideRunCover();
  const err = await mounted[active].setState(mounted[active].getState());
  if (err) return { error: err };
  mounted[active].redraw();
  return mounted[active].summary();
}

// ---------- the URL fragment follows the experiment ----------

let urlTimer = 0;
/** Debounced: after the labs' own 150 ms apply, one replaceState per burst of changes. */
function urlSoon() {
  clearTimeout(urlTimer);
  urlTimer = setTimeout(updateUrl, 350);
}

/**
 * What the link depends on, cheaply: the lab, its experiment's revision (Rust bumps it when the
 * experiment may have changed), the shown step, the embed options and the lesson. null when a lab
 * cannot say (then the link is always re-encoded).
 */
function linkKey() {
  const lab = mounted[active];
  const revision = lab?.revision?.();
  if (revision === undefined) return null;
  const l = teach.isOpen() ? teach.stateFields(active) : lesson;
  return JSON.stringify([active, revision, lab.viewStep?.() ?? null, embedOptions, l, teach.isOpen(), forcedLang]);
}

let encodedKey = null;
function updateUrl() {
  // A click or key press that changed nothing (the page title, a scroll) re-encodes nothing: with
  // large data loaded, encoding the link is the expensive part.
  const key = linkKey();
  if (key !== null && key === encodedKey) return;
  encodedKey = key;
  renderLesson();
  // A lab that encodes its own link (large data stay in Rust) gets the state without its config.
  const lab = mounted[active];
  const e = lab?.encodeLink ? encodeWith(lab, currentState(false)) : encode(currentState());
  if (!e) return;
  if (e.link !== lastLink) {
    lastLink = e.link;
    history.replaceState(history.state, '', `${location.pathname}${location.search}#${e.link}`);
  }
  if (openFull) openFull.href = share.pageUrl(e.link);
  if (e.notice) share.showMessage(e.notice, 'info');
}

function watchChanges() {
  for (const type of ['input', 'change', 'pointerup', 'wheel', 'click', 'keyup', 'drop']) {
    document.addEventListener(type, (ev) => {
      if (ev.target instanceof Element && ev.target.closest('.share-tools, #share-dialog, #share-msg')) return;
      urlSoon();
    }, { capture: true, passive: true });
  }
  // A link pasted into the address bar while the page is open.
  window.addEventListener('hashchange', () => {
    if (location.hash.slice(1) !== lastLink) openLink(location.hash);
  });
}

/** Opens the experiment in `hash`; a bad link opens the default experiment with a message. */
async function openLink(hash) {
  // The length first, before anything is decoded or copied into wasm.
  const tooLong = wasm.link_length_problem(hash.replace(/^#/, '').length);
  const r = tooLong ? { ok: false, message: tooLong } : wasm.decode_link(hash);
  if (r.ok) {
    const err = await applyState(r.state);
    if (!err) {
      lastLink = hash.replace(/^#/, '');
      share.clearMessage();
      return true;
    }
    share.showMessage(i18n.t('link_not_run', { why: i18n.say(err) }, 'This link\'s experiment could not be run ({why}). Showing the default experiment instead.'), 'error');
  } else {
    share.showMessage(i18n.t('link_not_opened', { why: i18n.say(r.message) }, 'This link could not be opened: {why}. Showing the default experiment instead.'), 'error');
  }
  await applyState(wasm.default_state('surfaces'));
  return false;
}

// ---------- share and export buttons ----------

function wireShareTools() {
  $('copy-link').addEventListener('click', async () => {
    const e = encode(currentState());
    if (!e) return;
    const url = share.pageUrl(e.link);
    const copied = await share.copyText(url);
    share.showCopyDialog(copied ? 'Link copied' : 'Link to this experiment', url,
      e.notice || (copied ? 'The link is on your clipboard; it reopens exactly this experiment.' : ''));
  });
  $('embed-snippet').addEventListener('click', () => {
    const e = encode(currentState());
    if (!e) return;
    share.showEmbedBuilder(e.link, currentState(), e.notice || '');
  });
  const menu = $('export-menu');
  for (const b of menu.querySelectorAll('[data-export]')) {
    b.addEventListener('click', () => { menu.open = false; exportWhat(b.dataset.export); });
  }
  $('import-file').addEventListener('change', (ev) => {
    const file = ev.target.files?.[0];
    ev.target.value = '';
    if (file) importFile(file);
  });
  // Drop a config JSON file anywhere on the page.
  document.addEventListener('dragover', (ev) => {
    if ([...(ev.dataTransfer?.types || [])].includes('Files')) ev.preventDefault();
  });
  document.addEventListener('drop', (ev) => {
    const file = ev.dataTransfer?.files?.[0];
    if (!file) return;
    ev.preventDefault();
    importFile(file);
  });
}

function exportWhat(what) {
  const state = currentState();
  const name = `gradlab-${state.lab}`;
  try {
    if (what === 'trace-csv') share.download(`${name}-trace.csv`, wasm.export_trace_csv(state, nistText(state)), 'text/csv');
    else if (what === 'trace-json') share.download(`${name}-trace.json`, wasm.export_trace_json(state, nistText(state)), 'application/json');
    else if (what === 'config') share.download(`${name}-config.json`, wasm.state_json(state), 'application/json');
    else if (what === 'png') share.exportPngs($(`lab-${state.lab}`), name);
    else if (what === 'import') $('import-file').click();
  } catch (e) {
    share.showMessage(`Export failed: ${e}`, 'error');
  }
}

async function importFile(file) {
  let text;
  try {
    text = await share.readFileText(file);
  } catch (e) {
    share.showMessage(`Could not read the file: ${e.message || e}`, 'error');
    return;
  }
  const parsed = wasm.parse_state_json(text);
  const err = parsed.ok ? await applyState(parsed.state) : parsed.message;
  if (err) share.showMessage(`${file.name} was not imported: ${err}`, 'error');
  else share.showMessage(`Imported ${file.name}.`, 'info');
}

// ---------- postMessage: the same API for a page that embeds gradlab in an iframe ----------

/**
 * Messages are plain objects `{type: 'gradlab:…', id?, …}`; replies go to event.source as
 * `{type: 'gradlab:reply', request, id, ok, …}`. Any origin may ask (the state is public: it is in
 * the URL); received values are only ever validated as data, never executed or shown as markup.
 */
/** Limits of a posted state, checked before anything else reads it. */
const MAX_PAYLOAD = 1 << 20;
const MAX_DEPTH = 32;

/**
 * Why a posted state is refused before it is looked at (too large, too deeply nested, not plain
 * data), or null. Walks it with an explicit stack, so hostile nesting cannot overflow ours.
 */
function payloadProblem(value) {
  let size = 0;
  const stack = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop();
    if (depth > MAX_DEPTH) return `the state is nested more than ${MAX_DEPTH} levels deep`;
    if (typeof v === 'string') size += v.length + 2;
    else if (v === null || typeof v === 'number' || typeof v === 'boolean') size += 8;
    else if (typeof v === 'object') {
      if (!Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) {
        return 'the state must be plain JSON data (objects, arrays, strings, numbers)';
      }
      for (const [k, x] of Object.entries(v)) {
        size += k.length + 4;
        stack.push([x, depth + 1]);
      }
    } else return `the state holds a ${typeof v}; only JSON data can be sent`;
    if (size > MAX_PAYLOAD) return 'the state is larger than 1 MB (the limit for a posted state)';
  }
  return null;
}

function onMessage(ev) {
  const d = ev.data;
  if (!d || typeof d !== 'object' || typeof d.type !== 'string' || !d.type.startsWith('gradlab:')) return;
  if (d.type === 'gradlab:reply' || d.type === 'gradlab:ready') return;
  const id = typeof d.id === 'string' || typeof d.id === 'number' ? d.id : null;
  const reply = (body) => {
    try {
      ev.source?.postMessage({ type: 'gradlab:reply', request: d.type, id, ...body }, ev.origin && ev.origin !== 'null' ? ev.origin : '*');
    } catch { /* the sender went away */ }
  };
  switch (d.type) {
    case 'gradlab:getState': reply({ ok: true, state: currentState() }); break;
    case 'gradlab:setState': {
      const problem = payloadProblem(d.config);
      if (problem) { reply({ ok: false, error: problem }); break; }
      applyState(d.config).then((error) => reply(error ? { ok: false, error } : { ok: true, summary: window.gradlab.lastRun() }));
      break;
    }
    case 'gradlab:run': {
      run().then((r) => reply(r?.error ? { ok: false, error: r.error } : { ok: true, summary: r }));
      break;
    }
    case 'gradlab:lastRun': reply({ ok: true, summary: window.gradlab.lastRun() }); break;
    case 'gradlab:getLink': reply({ ok: true, link: window.gradlab.link() }); break;
    default: reply({ ok: false, error: `unknown message type “${String(d.type).slice(0, 40)}”` });
  }
}

/**
 * Embed mode: the plot grid follows what the lab shows (a lab hides plots that do not apply, e.g.
 * the SSR landscape for a model with three parameters), and a canvas whose cell changed size is
 * redrawn at its new size (the labs' own observers only watch the lab as a whole).
 */
function watchEmbedLayout() {
  // Narrow (a phone): one plot at a time with a switcher in the bar (share.js layoutEmbed).
  const narrowQuery = matchMedia('(max-width: 559px)');
  const setNarrow = () => {
    document.documentElement.classList.toggle('embed-narrow', narrowQuery.matches);
    const main = document.querySelector('#labs > [role=tabpanel]:not([hidden])');
    if (main) share.layoutEmbed(main);
    postHeightSoon();
  };
  narrowQuery.addEventListener('change', setNarrow);
  setNarrow();
  let frame = 0;
  const redraw = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => mounted[active]?.redraw());
  };
  const resized = new ResizeObserver(redraw);
  for (const main of document.querySelectorAll('#labs > [role=tabpanel]')) {
    for (const c of main.querySelectorAll('section.plot canvas')) resized.observe(c);
    new MutationObserver(() => { if (!main.hidden) share.layoutEmbed(main); })
      .observe(main, { subtree: true, attributes: true, attributeFilter: ['hidden'] });
  }
}

async function main() {
  if (EMBED) {
    document.documentElement.classList.add('embed');
    openFull = share.buildEmbedBar();
    watchEmbedLayout();
  }
  window.addEventListener('message', onMessage);
  try {
    // Compiled once: the page and its worker (www/engine.js) instantiate the same module.
    const module = await WebAssembly.compileStreaming(fetch(new URL('./pkg/gradlab_bg.wasm', import.meta.url)))
      .catch(async () => WebAssembly.compile(await (await fetch(new URL('./pkg/gradlab_bg.wasm', import.meta.url))).arrayBuffer()));
    await init({ module_or_path: module });
    engine.start(module, (why) => share.showMessage(`Runs happen on this page's own thread, so long ones may pause it: ${why}.`, 'info'));
  } catch (e) {
    showFatal(`Could not load gradlab's WebAssembly module (${e}). Build it with \`cargo xtask build\`.`);
    readyReject(e);
    return;
  }
  const tabs = [...document.querySelectorAll('.tabs [data-lab]')];
  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      showLab(tab.dataset.lab);
      urlSoon();
    });
    // WAI-ARIA tabs: ←/→ (and Home/End) move to the neighbouring tab and show its lab.
    tab.addEventListener('keydown', (e) => {
      const i = tabs.indexOf(tab);
      const j = { ArrowLeft: i - 1, ArrowRight: i + 1, Home: 0, End: tabs.length - 1 }[e.key];
      if (j === undefined) return;
      e.preventDefault();
      const next = tabs[(j + tabs.length) % tabs.length];
      next.focus();
      showLab(next.dataset.lab);
      urlSoon();
    });
  }
  $('share-msg').querySelector('.close').addEventListener('click', share.clearMessage);
  // The theme before anything is drawn (the page's colours are set already: theme.js).
  theme.initTheme((t) => wasm.set_plot_theme?.(t));
  {
    // The language first (a link may choose it), so every text below is drawn in it.
    const r = location.hash.length > 1 ? wasm.decode_link(location.hash) : null;
    i18n.initI18n(r?.ok ? r.state.lang : null);
  }
  wireShareTools();
  teach.initTeach({
    apply: async (state) => {
      const err = await applyState({ ...state, embed: embedOptions });
      if (err) share.showMessage(i18n.t('lesson_not_opened', { why: i18n.say(err) }, 'This lesson could not be opened: {why}'), 'error');
      updateUrl();
      return err;
    },
    lab: () => active,
    rust: (lab) => mounted[lab]?.rust ?? null,
    labApi: (lab) => mounted[lab] ?? null,
    changed: () => lessonChanged(),
  });
  if (location.hash.length > 1) await openLink(location.hash);
  else if (EMBED) await applyState(wasm.default_state('surfaces'));
  else showLab('surfaces');
  watchChanges();
  // After teach's own listener (it reloads the lessons first); plots redraw in the new language.
  i18n.onChange(() => { renderLesson(); urlSoon(); for (const m of Object.values(mounted)) m.redraw(); });
  // Light ↔ dark (the header's switch, the system's scheme): every lab's plots redrawn, no re-run.
  theme.onChange(() => { for (const m of Object.values(mounted)) m.redraw(); });
  for (const lab of Object.keys(mounted)) teach.showCoach(lab, mounted[lab].rust);
  $('lesson-text').addEventListener('click', () => { $('lesson').classList.toggle('expanded'); postHeightSoon(); });
  $('lesson-close').addEventListener('click', () => { if (lesson) lesson.dismissed = true; renderLesson(); postHeightSoon(); });
  $('lesson-restore').addEventListener('click', async () => {
    const courseId = lesson && teach.isOpen() ? teach.stateFields(lesson.lab).course : undefined;
    if (courseId) { await teach.openItem('lesson', courseId); renderLesson(); urlSoon(); return; }
    if (!lesson || !lessonConfig) return;
    const err = await mounted[lesson.lab].setState(lessonConfig);
    if (err) share.showMessage(`The original experiment could not be restored: ${err}`, 'error');
    renderLesson();
    urlSoon();
  });
  await engine.idle();
  updateUrl();
  readyResolve(mounted[active].summary());
  if (window.parent !== window) {
    window.parent.postMessage({ type: 'gradlab:ready', state: currentState() }, '*');
    if (EMBED) {
      new ResizeObserver(postHeightSoon).observe(document.documentElement);
      for (const e of document.querySelectorAll('body > *')) new ResizeObserver(postHeightSoon).observe(e);
      postHeightSoon();
    }
  }
}

main();

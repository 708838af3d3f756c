// gradlab page shell: loads the wasm module, mounts the labs, switches tabs, and exposes the
// scripting API `window.gradlab` (documented in README.md). Each lab lives in its own module.
import init from './pkg/gradlab.js';
import { $ } from './ui.js';
import * as surfaces from './surfaces.js';
import * as regression from './regression.js';
import * as fit from './fit.js';
import { initPresets } from './presets.js';

const LABS = { surfaces, regression, fit };
const mounted = {};
let active = 'surfaces';
let readyResolve, readyReject;

window.gradlab = {
  /** Resolves with the first run's summary once it is drawn. */
  ready: new Promise((res, rej) => { readyResolve = res; readyReject = rej; }),
  /** The active lab's latest run as plain JSON. */
  lastRun: () => mounted[active]?.summary() ?? null,
  /** Which lab is shown. */
  lab: () => active,
  /** The shown lab's own API (surfaces: step(), setStep(k), explain(), getState(), …). */
  current: () => mounted[active] ?? null,
};

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
    if (tab) tab.setAttribute('aria-selected', String(id === name));
  }
  active = name;
  if (!mounted[name]) mounted[name] = LABS[name].mount();
  else mounted[name].redraw();
  return true;
}

async function main() {
  try {
    await init();
  } catch (e) {
    showFatal(`Could not load gradlab's WebAssembly module (${e}). Build it with \`cargo xtask build\`.`);
    readyReject(e);
    return;
  }
  for (const tab of document.querySelectorAll('.tabs [data-lab]')) {
    tab.addEventListener('click', () => showLab(tab.dataset.lab));
  }
  showLab('surfaces');
  initPresets((name) => (showLab(name) ? mounted[name] : null));
  readyResolve(mounted.surfaces.summary());
}

main();

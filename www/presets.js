// Guided experiments: a menu of ready configs (from Rust), each with a short explanation shown
// beside the plots. Applying one switches to its lab and calls that lab's setState.
import { presets } from './pkg/gradlab.js';
import { $, el } from './ui.js';

/** Fills the menu; `open(lab)` shows a lab and returns its API. */
export function initPresets(open, changed = () => {}) {
  const list = presets();
  const menu = $('preset-menu');
  for (const p of list) menu.append(el('option', { value: p.id, textContent: p.title }));
  menu.addEventListener('change', () => {
    const p = list.find((q) => q.id === menu.value);
    menu.value = '';
    if (p) applyPreset(p, open);
    changed();
  });
  $('lesson-close').addEventListener('click', () => { $('lesson').hidden = true; });
  return list;
}

/** Applies preset `p`: returns null, or the lab's error message. */
export function applyPreset(p, open) {
  const lab = open(p.lab);
  if (!lab) return `unknown lab ${p.lab}`;
  const error = lab.setState(p.config);
  if (error) return error;
  $('lesson-title').textContent = p.title;
  $('lesson-text').textContent = p.text;
  $('lesson').hidden = false;
  $('lesson').dataset.lab = p.lab;
  if (p.basin && lab.startBasin) lab.startBasin();
  return null;
}

// Guided experiments: a menu of ready configs (from Rust), each with a short explanation shown
// beside the plots. Applying one switches to its lab and calls that lab's setState.
import { presets } from './pkg/gradlab.js';
import { $, el } from './ui.js';

/**
 * Fills the menu; `apply(preset)` applies one (its lab, config and lesson) and returns null or an
 * error message. The lesson box itself is app.js's: a lesson is part of the page state and link.
 */
export function initPresets(apply, changed = () => {}) {
  const list = presets();
  const menu = $('preset-menu');
  for (const p of list) menu.append(el('option', { value: p.id, textContent: p.title }));
  menu.addEventListener('change', () => {
    const p = list.find((q) => q.id === menu.value);
    menu.value = '';
    if (p) apply(p);
    changed();
  });
  return list;
}

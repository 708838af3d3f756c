// The regression lab (placeholder until it is built).
import { $, el } from './ui.js';

export function mount() {
  const root = $('lab-regression');
  root.replaceChildren(el('section', { className: 'panel', textContent: 'This lab is being built.' }));
  return { summary: () => null, redraw: () => {}, getState: () => null, setState: () => 'not available yet' };
}

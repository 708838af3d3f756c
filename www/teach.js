// The course and the challenges on the page: the menu, the lesson box (goal → predict → run →
// what happened), the challenge's verdict after each run, the coach under every lab's results,
// and progress remembered in this browser (localStorage; never sent anywhere).
// Every text and every number comes from Rust (lab::teach): this file only shows them.
import { course as courseCatalog } from './pkg/gradlab.js';
import { $, el, renderCoach } from './ui.js';
import * as i18n from './i18n.js';

const STORE = 'gradlab-progress-v1';
const COACH_BOX = { surfaces: 'coach', regression: 'rg-coach', fit: 'fit-coach' };

let catalog = { lessons: [], challenges: [] };
/** What is open: {kind: 'lesson'|'challenge', id, lab, def, predicted: number|null, revealed} or null. */
let open = null;
let ctx = null;

/** Progress in this browser: {lessons: {id: {predicted, right}}, challenges: {id: {met}}}. */
function progress() {
  try {
    const p = JSON.parse(localStorage.getItem(STORE) || '{}');
    return { lessons: p.lessons || {}, challenges: p.challenges || {} };
  } catch {
    return { lessons: {}, challenges: {} };
  }
}

function remember(update) {
  try {
    const p = progress();
    update(p);
    localStorage.setItem(STORE, JSON.stringify(p));
  } catch { /* storage blocked (e.g. a sandboxed embed): progress is simply not kept */ }
  fillMenu();
}

function fillMenu() {
  const menu = $('course-menu');
  if (!menu) return;
  const p = progress();
  const keep = menu.value;
  const first = menu.querySelector('option[value=""]');
  const course = el('optgroup', { label: i18n.t('menu_course', {}, 'Course') }, ...catalog.lessons.map((l, i) => el('option', {
    value: `lesson:${l.id}`,
    textContent: `${i + 1}. ${l.title}${p.lessons[l.id] ? ' ✓' : ''}`,
  })));
  const challenges = el('optgroup', { label: i18n.t('menu_challenges', {}, 'Challenges') }, ...catalog.challenges.map((c) => el('option', {
    value: `challenge:${c.id}`,
    textContent: `★ ${c.title}${p.challenges[c.id]?.met ? ' ✓' : ''}`,
  })));
  menu.replaceChildren(first, course, challenges);
  menu.value = keep;
}

/**
 * Wires the menu. `context`: {apply(state) → Promise<error|null>, lab() → active lab name,
 * rust(lab) → that lab's Rust object or null, labApi(lab), changed() → the setup was edited since
 * the lesson opened, embed: bool}.
 */
export function initTeach(context) {
  ctx = context;
  const load = () => {
    try {
      catalog = courseCatalog(i18n.current());
    } catch { /* an old build: no course */ }
    if (open) open.def = (open.kind === 'lesson' ? catalog.lessons : catalog.challenges).find((d) => d.id === open.id) ?? open.def;
    fillMenu();
  };
  load();
  i18n.onChange(() => {
    load();
    for (const [lab, rust] of Object.entries(coachOf)) showCoach(lab, rust);
  });
  const menu = $('course-menu');
  menu?.addEventListener('change', async () => {
    const [kind, id] = menu.value.split(':');
    menu.value = '';
    if (kind === 'lesson' || kind === 'challenge') await openItem(kind, id);
  });
  $('teach-skip').addEventListener('click', () => reveal(null));
  $('teach-prev').addEventListener('click', () => step(-1));
  $('teach-next').addEventListener('click', () => step(1));
  document.addEventListener('gradlab:shown', (e) => {
    showCoach(e.detail.lab, e.detail.rust);
    if (open && open.lab === e.detail.lab) renderResult();
  });
}

/** Opens lesson or challenge `id` with its setup (a link to it is the same page state). */
export async function openItem(kind, id) {
  const def = (kind === 'lesson' ? catalog.lessons : catalog.challenges).find((d) => d.id === id);
  if (!def) return `unknown ${kind} “${id}”`;
  const state = { lab: def.lab, config: def.config, ...(kind === 'lesson' ? { course: id } : { challenge: id }) };
  const err = await ctx.apply(state);
  if (!err) {
    if (def.basin) ctx.labApi(def.lab)?.startBasin?.();
    ctx.labApi(def.lab)?.setLens?.(!!def.lens);
  }
  return err;
}

function step(d) {
  if (!open) return;
  const list = open.kind === 'lesson' ? catalog.lessons : catalog.challenges;
  const i = list.findIndex((x) => x.id === open.id);
  const next = list[i + d];
  if (next) openItem(open.kind, next.id);
}

/** Sets what a state just applied opens: its `course` lesson or `challenge` (ids), or nothing. */
export function setTeach(state) {
  const kind = state?.course ? 'lesson' : state?.challenge ? 'challenge' : null;
  if (!kind) { open = null; return false; }
  const id = kind === 'lesson' ? state.course : state.challenge;
  const def = (kind === 'lesson' ? catalog.lessons : catalog.challenges).find((d) => d.id === id);
  if (!def) { open = null; return false; }
  const done = kind === 'lesson' ? progress().lessons[id] : null;
  // A lesson asks before it shows (unless answered in this browser before, or in an embed whose
  // author turned the lesson off); a challenge shows its run at once.
  open = { kind, id, lab: def.lab, def, predicted: done ? done.predicted : null, revealed: kind === 'challenge' || !!done };
  return true;
}

/** The ids a link should carry for what is open ({course} or {challenge}), or {}. */
export function stateFields(lab) {
  if (!open || open.lab !== lab) return {};
  return open.kind === 'lesson' ? { course: open.id } : { challenge: open.id };
}

export function isOpen() {
  return !!open;
}

/** Renders the lesson box for what is open; returns false when nothing is (app.js then shows a plain lesson). */
export function renderTeach(show) {
  const main = open ? $(`lab-${open.lab}`) : null;
  for (const m of document.querySelectorAll('#labs > .lab, #labs > .lab-page')) {
    m.classList.toggle('predicting', !!open && show && m === main && !open.revealed);
    m.style.setProperty('--veil', JSON.stringify(i18n.tr('Answer the question above to see the run')));
  }
  $('teach').hidden = !open;
  $('lesson-kind').hidden = !open;
  if (!open) return false;
  const d = open.def;
  const list = open.kind === 'lesson' ? catalog.lessons : catalog.challenges;
  const i = list.findIndex((x) => x.id === open.id);
  $('lesson-kind').textContent = open.kind === 'lesson' ? i18n.t('lesson_of', { n: i + 1, total: list.length }, 'Lesson {n} of {total}') : i18n.t('challenge', {}, 'Challenge');
  $('lesson-title').textContent = d.title;
  $('lesson-text').textContent = d.goal;
  $('teach-look').textContent = open.kind === 'lesson' ? i18n.t('look_for', { text: d.look_for }, 'Look for: {text}') : i18n.t('rules', { text: d.rules }, 'Rules: {text}');
  $('teach-hint').hidden = open.kind !== 'challenge';
  $('teach-hint-text').textContent = d.hint ?? '';
  $('teach-predict').hidden = open.kind !== 'lesson' || open.revealed;
  if (open.kind === 'lesson' && !open.revealed) {
    $('teach-question').textContent = d.question;
    $('teach-choices').replaceChildren(...d.choices.map((c, k) => {
      const b = el('button', { type: 'button', textContent: c });
      b.addEventListener('click', () => reveal(k));
      return b;
    }));
  }
  $('teach-prev').disabled = i <= 0;
  $('teach-next').disabled = i >= list.length - 1;
  const p = progress();
  const doneCount = open.kind === 'lesson' ? catalog.lessons.filter((l) => p.lessons[l.id]).length : catalog.challenges.filter((c) => p.challenges[c.id]?.met).length;
  $('teach-progress').textContent = open.kind === 'lesson'
    ? i18n.t('progress_lessons', { done: doneCount, total: list.length }, '{done} of {total} lessons done in this browser')
    : i18n.t('progress_challenges', { done: doneCount, total: list.length }, '{done} of {total} challenges met in this browser');
  renderResult();
  return true;
}

function reveal(choice) {
  if (!open || open.kind !== 'lesson') return;
  open.predicted = choice;
  open.revealed = true;
  renderTeach(true);
}

/** The outcome (lesson) or verdict (challenge) from the run now on screen. */
function renderResult() {
  const box = $('teach-result');
  const rust = open ? ctx.rust(open.lab) : null;
  if (!open || !open.revealed || !rust) { box.hidden = true; return; }
  box.hidden = false;
  const verdictEl = $('teach-verdict');
  try {
    if (open.kind === 'lesson') {
      const o = rust.lesson_outcome(open.id, i18n.current());
      const d = open.def;
      const shown = o.observed ?? null;
      const said = open.predicted;
      const right = said !== null && said === shown;
      const parts = [];
      if (said !== null) parts.push(i18n.t('predicted', { choice: d.choices[said] }, 'You predicted: “{choice}”.'));
      if (shown !== null) {
        parts.push(i18n.t('shows', { choice: d.choices[shown] }, 'The run shows: “{choice}”')
          + (said === null ? '' : right ? i18n.t('right', {}, ' — right.') : i18n.t('wrong', {}, ' — not what you predicted.')));
      }
      if (ctx.changed()) parts.push(i18n.t('changed', {}, '(You changed the setup: this is what your run shows.)'));
      verdictEl.textContent = parts.join(' ');
      verdictEl.className = `teach-verdict ${said === null ? '' : right ? 'good' : 'bad'}`;
      $('teach-lines').replaceChildren(...o.lines.map((l) => el('li', { textContent: l })));
      $('teach-why').textContent = i18n.t('why', { text: d.why }, 'Why: {text}');
      const id = open.id;
      if (!progress().lessons[id]) remember((p) => { p.lessons[id] = { predicted: said, right }; });
    } else {
      const v = rust.challenge_verdict(open.id, i18n.current());
      verdictEl.textContent = `${v.met ? '✓' : '✗'} ${v.headline}`;
      verdictEl.className = `teach-verdict ${v.met ? 'good' : 'bad'}`;
      $('teach-lines').replaceChildren(...v.lines.map((l) => el('li', { textContent: l })));
      $('teach-why').textContent = '';
      const id = open.id;
      if (v.met && !progress().challenges[id]?.met) remember((p) => { p.challenges[id] = { met: true }; });
    }
  } catch (e) {
    verdictEl.textContent = String(e?.message ?? e);
    verdictEl.className = 'teach-verdict bad';
    $('teach-lines').replaceChildren();
  }
}

/** The coach's verdicts under lab `lab`'s results, from its Rust object. */
const coachOf = {};
export function showCoach(lab, rust) {
  if (rust) coachOf[lab] = rust;
  const box = $(COACH_BOX[lab]);
  if (!box || !rust?.teach_coach) return;
  let verdicts = [];
  try { verdicts = rust.teach_coach(i18n.current()); } catch { verdicts = []; }
  const colors = (ctx?.labApi(lab)?.summary?.()?.solvers ?? ctx?.labApi(lab)?.summary?.()?.runs ?? []).map((s) => s.color);
  renderCoach(box, verdicts, colors);
}

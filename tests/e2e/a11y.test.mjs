// End-to-end: accessibility (issue 16). Every plot is an image described by a text Rust wrote from
// the run (src/lab/describe.rs), which follows the run and can be shown; a finished run is said in
// the page's polite live region; results tables have column headers; axe-core finds no serious or
// critical — nor moderate or minor — violation on any lab, in the embed and on the tutorial page, in
// English and Chinese, light and dark.
// Run with the built page served: GRADLAB_URL=http://127.0.0.1:PORT/ node --test tests/e2e/a11y.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { launch, BASE, openPage } from './browser.mjs';

const AXE = createRequire(import.meta.url)('axe-core').source;

const PLOTS = {
  surfaces: ['contour', 'surface3d', 'convergence'],
  regression: ['rg-data', 'rg-contour', 'rg-surface', 'rg-loss'],
  fit: ['fit-curve-canvas', 'fit-residuals', 'fit-convergence', 'fit-landscape'],
};
const FIRST_WORDS = {
  contour: /^Contour map of /, surface3d: /^3-D surface of /, convergence: /^Convergence plot/,
  'rg-data': /^Scatter of \d+ data points/, 'rg-contour': /^Contour map of the loss/, 'rg-surface': /^3-D surface of the loss/,
  'rg-loss': /^Training loss per epoch/, 'fit-curve-canvas': /^\d+ data points with the fitted curve/,
  'fit-residuals': /^Residuals at each of the \d+ data points/, 'fit-convergence': /^Convergence plot/,
  'fit-landscape': /^Contour map of the SSR/,
};

let ctx;
before(async () => { ctx = await launch(); });
after(async () => { await ctx?.close(); });

const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

async function showLab(page, lab) {
  if (await page.evaluate(() => window.gradlab.lab()) !== lab) {
    await page.click(`.tabs [data-lab="${lab}"]`);
    await page.waitForFunction((l) => window.gradlab.lab() === l, lab);
  }
  await page.evaluate(() => window.gradlab.settled());
  await frames(page);
}

/** The accessible description of canvas `id`: {role, text, hidden} (the element aria-describedby names). */
const described = (page, id) => page.evaluate((id) => {
  const c = document.getElementById(id);
  const d = document.getElementById(c.getAttribute('aria-describedby') || '');
  return { role: c.getAttribute('role'), label: c.getAttribute('aria-label'), text: d?.textContent ?? null, hidden: d ? d.classList.contains('visually-hidden') : null };
}, id);

const live = (page) => page.$eval('#a11y-live', (r) => ({ text: r.textContent, polite: r.getAttribute('aria-live') }));

/** axe-core on the page (or frame): the moderate, serious and critical violations, as readable
 * lines (minor ones too: there are none). With `contrastChecked`, also fails unless axe checked
 * the colour contrast of some text (so a clean result is not an empty one). */
async function axe(target, { contrastChecked = false } = {}) {
  await target.evaluate(AXE); // through the debugger protocol: the page's CSP does not apply
  const res = await target.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const found = res.violations
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
  if (contrastChecked && !res.passes.some((p) => p.id === 'color-contrast')) found.push('color-contrast was not checked');
  return found;
}

test('every plot of every lab is an image described by a text about its run', async () => {
  const { page, errors } = await openPage(ctx, BASE);
  for (const [lab, ids] of Object.entries(PLOTS)) {
    await showLab(page, lab);
    for (const id of ids) {
      const d = await described(page, id);
      assert.equal(d.role, 'img', `${id} role`);
      assert.ok(d.label, `${id} keeps its label`);
      assert.match(d.text ?? '', FIRST_WORDS[id], `${id}: ${d.text}`);
      assert.equal(d.hidden, true, `${id}: hidden until asked for`);
    }
    // The texts name every run of the lab, with its iteration count where the plot says it.
    const run = await page.evaluate(() => window.gradlab.lastRun());
    const names = lab === 'regression' ? run.runs?.map((r) => r.label ?? r.solver) ?? [] : run.solvers.map((s) => s.solver);
    const first = await described(page, ids[0]);
    for (const n of names.filter(Boolean)) assert.ok(first.text.includes(n), `${lab}: ${n} in ${first.text}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the contour map description follows the run, a finished run is announced, describe shows the text', async () => {
  const { page, errors } = await openPage(ctx, BASE);
  await showLab(page, 'surfaces');
  const before = (await described(page, 'contour')).text;
  const s0 = await page.evaluate(() => window.gradlab.lastRun());
  assert.match(before, new RegExp(`in ${s0.solvers[0].iterations} iterations?, f from `));
  assert.match(before, /converged at the global minimum near \(0\.23, −1\.63\)\./);
  assert.equal((await live(page)).polite, 'polite');

  // A new start point (as a click on the map does) gives a new run and a new text.
  const state = await page.evaluate(() => window.gradlab.getState());
  state.config.start = [1.5, 1.5];
  assert.equal(await page.evaluate((c) => window.gradlab.setState(c), state.config), null);
  await frames(page);
  const after = (await described(page, 'contour')).text;
  const s1 = await page.evaluate(() => window.gradlab.lastRun());
  assert.notEqual(after, before);
  assert.ok(after.includes('went from (1.50, 1.50) to '), after);
  assert.ok(after.includes(`in ${s1.solvers[0].iterations} iteration`), after);
  const said = await page.waitForFunction((n) => {
    const t = document.getElementById('a11y-live').textContent;
    return t.startsWith('Run finished: ') && t.includes(` in ${n} iteration`) ? t : null;
  }, s1.solvers[0].iterations);
  assert.ok((await said.jsonValue()).includes(s1.solvers[0].solver));

  // The "describe" button shows the text under the plot, and hides it again.
  const btn = page.locator('button.desc-btn[data-describes="contour"]');
  assert.equal(await btn.getAttribute('aria-expanded'), 'false');
  await btn.click();
  assert.equal(await btn.getAttribute('aria-expanded'), 'true');
  const box = await page.$eval('#contour-desc', (d) => { const r = d.getBoundingClientRect(); return { w: r.width, h: r.height, hidden: d.classList.contains('visually-hidden') }; });
  assert.ok(!box.hidden && box.w > 100 && box.h > 10, JSON.stringify(box));
  await btn.click();
  assert.equal((await described(page, 'contour')).hidden, true);

  // Playback is said in the description when it does not show the whole run.
  await page.evaluate(() => window.gradlab.current().setStep(2));
  assert.match((await described(page, 'contour')).text, /Playback shows the paths up to iteration 2\.$/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('regression and fit runs are announced and their plots re-described', async () => {
  const { page, errors } = await openPage(ctx, BASE);
  for (const lab of ['regression', 'fit']) {
    await showLab(page, lab);
    const id = PLOTS[lab][0];
    const before = (await described(page, id)).text;
    await page.evaluate(() => { document.getElementById('a11y-live').textContent = ''; });
    const state = await page.evaluate(() => window.gradlab.getState());
    if (lab === 'regression') state.config.data.n = (state.config.data.n ?? 50) + 7;
    else state.config.data.n = (state.config.data.n ?? 40) + 7;
    assert.equal(await page.evaluate((c) => window.gradlab.setState(c), state.config), null, lab);
    await frames(page);
    const after = (await described(page, id)).text;
    assert.notEqual(after, before, lab);
    await page.waitForFunction(() => document.getElementById('a11y-live').textContent.startsWith('Run finished: '));
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('results tables have column headers', async () => {
  const { page } = await openPage(ctx, BASE);
  for (const lab of Object.keys(PLOTS)) {
    await showLab(page, lab);
    const tables = await page.$$eval(`#lab-${lab} table`, (ts) => ts.filter((t) => t.offsetParent).map((t) => ({
      th: t.querySelectorAll('thead th[scope=col]').length,
      cols: t.querySelector('tbody tr')?.children.length ?? 0,
    })));
    assert.ok(tables.length > 0, lab);
    for (const t of tables) assert.ok(t.th > 0 && t.th >= t.cols - 1, `${lab}: ${JSON.stringify(t)}`);
  }
  await page.close();
});

test('axe-core: no violation on any lab, in the embed and on the tutorial', async () => {
  const found = {};
  const { page } = await openPage(ctx, BASE);
  const links = {};
  for (const lab of Object.keys(PLOTS)) {
    await showLab(page, lab);
    found[lab] = await axe(page);
    links[lab] = await page.evaluate(() => window.gradlab.link());
  }
  await page.close();
  for (const lab of Object.keys(PLOTS)) {
    const { page: p } = await openPage(ctx, `${BASE}?embed#${links[lab]}`, { width: 600, height: 400 });
    await frames(p);
    found[`embed ${lab}`] = await axe(p);
    await p.close();
  }
  const t = await ctx.newPage();
  await t.goto(`${BASE}tutorial/`);
  await t.waitForLoadState('load');
  found.tutorial = await axe(t);
  await t.close();
  const bad = Object.entries(found).filter(([, v]) => v.length);
  assert.deepEqual(bad, [], bad.map(([k, v]) => `${k}:\n  ${v.join('\n  ')}`).join('\n'));
});

test('axe-core in Chinese and in dark mode: no violation, colour contrast included', async () => {
  const found = {};
  for (const [name, scheme, query] of [['zh-CN', 'light', '?lang=zh-CN'], ['dark', 'dark', ''], ['zh-CN dark', 'dark', '?lang=zh-CN']]) {
    const { page, errors } = await openPage(ctx, `${BASE}${query}`);
    await page.emulateMedia({ colorScheme: scheme });
    // The page follows the system's scheme as it changes.
    await page.waitForFunction((s) => document.documentElement.dataset.theme === s, scheme);
    await frames(page);
    if (query) assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    let link = '';
    for (const lab of Object.keys(PLOTS)) {
      await showLab(page, lab);
      found[`${name} ${lab}`] = await axe(page, { contrastChecked: true });
      link = await page.evaluate(() => window.gradlab.link());
    }
    assert.deepEqual(errors, [], name);
    await page.close();
    const { page: e } = await openPage(ctx, `${BASE}?embed${query ? `&${query.slice(1)}` : ''}&theme=${scheme}#${link}`, { width: 600, height: 400 });
    await frames(e);
    found[`${name} embed`] = await axe(e, { contrastChecked: true });
    await e.close();
  }
  const t = await ctx.newPage();
  await t.emulateMedia({ colorScheme: 'dark' });
  await t.goto(`${BASE}tutorial/`);
  await t.waitForLoadState('load');
  found['dark tutorial'] = await axe(t, { contrastChecked: true });
  await t.close();
  const bad = Object.entries(found).filter(([, v]) => v.length);
  assert.deepEqual(bad, [], bad.map(([k, v]) => `${k}:\n  ${v.join('\n  ')}`).join('\n'));
});

/** Pure white pixels on a canvas (the start cursor's crosshair is white; the map has none of its own). */
const whites = (page, id) => page.evaluate((id) => {
  const c = document.getElementById(id);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] === 255 && d[i + 1] === 255 && d[i + 2] === 255) n++;
  return { n, h: c.height };
}, id);

test('a start point is chosen on the contour map with the keyboard alone', async () => {
  const { page, errors } = await openPage(ctx, BASE);
  await showLab(page, 'surfaces');
  const start0 = (await page.evaluate(() => window.gradlab.getState())).config.start;
  assert.deepEqual(start0, [-0.2, -0.6]);
  const plain = await whites(page, 'contour');
  await page.focus('#contour');

  // S: the crosshair appears at the start point, and where it is is said.
  await page.keyboard.press('s');
  await frames(page);
  const shown = await whites(page, 'contour');
  assert.ok(shown.n > plain.n + shown.h, `crosshair drawn: ${plain.n} → ${shown.n} white pixels`);
  await page.waitForFunction(() => document.getElementById('a11y-live').textContent
    .startsWith('Choose a start point: cursor at (−0.20, −0.60), f = '));

  // Escape: no run, no crosshair, the start unchanged.
  await page.keyboard.press('Escape');
  await frames(page);
  assert.equal((await whites(page, 'contour')).n, plain.n);
  assert.deepEqual((await page.evaluate(() => window.gradlab.getState())).config.start, start0);

  // Arrows move it by 1/40 of the 6-wide view (Shift: 5 steps); Enter runs from there.
  await page.keyboard.press('s');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowUp');
  await page.waitForFunction(() => document.getElementById('a11y-live').textContent.startsWith('cursor at (0.40, 0.15), f = '));
  assert.match(await page.$eval('#hover', (h) => h.textContent), /^cursor at \(0\.40, 0\.15\)/);
  // The view did not pan: the arrows moved the cursor only.
  assert.deepEqual((await page.evaluate(() => window.gradlab.getState())).config.view.view_box, { x_min: -3, x_max: 3, y_min: -3, y_max: 3 });
  await page.keyboard.press('Enter');
  await page.evaluate(() => window.gradlab.settled());
  await frames(page);
  const s = await page.evaluate(() => window.gradlab.getState());
  assert.deepEqual(s.config.start, [0.4, 0.15]);
  assert.ok((await described(page, 'contour')).text.includes('went from (0.40, 0.15) to '));
  await page.waitForFunction(() => document.getElementById('a11y-live').textContent.startsWith('Run finished: '));
  assert.equal((await whites(page, 'contour')).n < shown.n - shown.h, true, 'crosshair gone after Enter');
  assert.deepEqual(errors, []);
  await page.close();
});

test('prefers-reduced-motion: play shows the end at once, steps still step, an embed shows its final state', async () => {
  const { page, errors } = await openPage(ctx, BASE);
  await showLab(page, 'surfaces');
  const K = (await page.evaluate(() => window.gradlab.lastRun())).solvers[0].iterations;
  const link = await page.evaluate(() => window.gradlab.link()); // at the end of the run
  const step = () => page.evaluate(() => window.gradlab.current().step());
  const playing = () => page.$eval('#pb-play', (b) => b.getAttribute('aria-label') === 'pause');

  // Without the preference, ▶ from the start animates (the button turns into pause).
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  await page.click('#pb-first');
  await page.click('#pb-play');
  assert.equal(await playing(), true, 'animated playback by default');
  await page.click('#pb-play');

  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.click('#pb-first');
  assert.equal(await step(), 0);
  await page.click('#pb-play');
  assert.equal(await step(), K, 'play shows the last iteration at once');
  assert.equal(await playing(), false, 'nothing animates');
  await page.click('#pb-back');
  assert.equal(await step(), K - 1, 'the step buttons still step');
  await page.click('#pb-first');
  await page.click('#pb-fwd');
  assert.equal(await step(), 1);
  await page.close();

  // An embed that runs on load shows the finished run, still.
  const e = await ctx.newPage();
  await e.setViewportSize({ width: 600, height: 400 });
  await e.emulateMedia({ reducedMotion: 'reduce' });
  await e.goto(`${BASE}?embed#${link}`);
  await e.evaluate(() => window.gradlab.ready);
  assert.equal(await e.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches), true);
  await e.evaluate(() => window.gradlab.settled());
  assert.equal(await e.evaluate(() => window.gradlab.current().step()), K);
  assert.equal(await e.$eval('#pb-play', (b) => b.getAttribute('aria-label')), 'play');
  await e.close();
  assert.deepEqual(errors, []);
});

// End-to-end: the curve-fitting lab in a real headless Chromium (GRADLAB_URL = the served www/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE, inkShare } from './browser.mjs';

let ctx;
before(async () => { ctx = await launch(); });
after(async () => { await ctx?.close(); });

/**
 * Opens the page on the fit tab, collecting console errors. A 404 for the optional NIST index
 * (www/pkg/nist/index.json, present only when the NIST StRD files were copied at build time) is
 * expected on machines without the data and is not an error of the page.
 */
async function openFit(viewport = { width: 1366, height: 800 }) {
  const page = await ctx.newPage();
  await page.setViewportSize(viewport);
  const errors = [];
  let nist404 = 0;
  page.on('response', (r) => { if (r.status() === 404 && r.url().includes('/pkg/nist/')) nist404++; });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(BASE);
  await page.evaluate(() => window.gradlab.ready);
  await page.click('.tabs [data-lab="fit"]');
  await page.waitForFunction(() => window.gradlab.lab() === 'fit' && window.gradlab.lastRun()?.lab === 'fit');
  await page.waitForTimeout(200);
  const realErrors = () => errors.filter((e) => !(nist404 > 0 && /404/.test(e)));
  return { page, realErrors };
}

/** Waits until the message for `field` matches `re` (or is empty for null); returns its text. */
async function message(page, field, re) {
  await page.waitForFunction(([field, src]) => {
    const t = document.querySelector(`#lab-fit .msg[data-for="${field}"]`)?.textContent ?? '';
    return src === null ? t === '' : new RegExp(src, 'i').test(t);
  }, [field, re === null ? null : re.source], { timeout: 5000 }).catch(() => {});
  return page.textContent(`#lab-fit .msg[data-for="${field}"]`);
}

async function select(page, id, value) {
  await page.selectOption(`#${id}`, value);
  await page.waitForTimeout(100);
}

test('the fit lab opens with LM and Gauss–Newton drawn on every plot, without console errors', async () => {
  const { page, realErrors } = await openFit();
  const run = await page.evaluate(() => window.gradlab.lastRun());
  assert.equal(run.lab, 'fit');
  const methods = run.solvers.map((s) => s.method);
  assert.deepEqual(methods, ['levenberg_marquardt', 'gauss_newton']);
  assert.notEqual(run.solvers[0].color, run.solvers[1].color);
  for (const s of run.solvers) assert.equal(s.converged, true, `${s.solver}: ${s.stop_label}`);
  for (const [id, min] of [['fit-curve-canvas', 0.02], ['fit-residuals', 0.02], ['fit-convergence', 0.02], ['fit-landscape', 0.3]]) {
    const ink = await inkShare(page, id);
    assert.ok(ink > min, `${id} is drawn (${(ink * 100).toFixed(1)}% ink)`);
  }
  const readout = await page.textContent('#fit-readout');
  assert.match(readout, /Levenberg–Marquardt/);
  assert.match(readout, /Gauss–Newton/);
  assert.match(readout, /converged/);
  assert.deepEqual(realErrors(), []);
  await page.close();
});

test('a generated exponential decay is fitted close to its true parameters', async () => {
  const { page, realErrors } = await openFit();
  await select(page, 'fit-builtin', 'exponential_decay');
  await page.waitForFunction(() => window.gradlab.lastRun().model.id === 'exponential_decay');
  const run = await page.evaluate(() => window.gradlab.lastRun());
  // Data from a·exp(−k·x) + c with (a, k, c) = (5, 0.8, 1), noise σ = 0.05, 40 points on [0, 5].
  const truth = [5, 0.8, 1];
  assert.deepEqual(run.param_names, ['a', 'k', 'c']);
  for (const s of run.solvers) {
    assert.equal(s.converged, true, s.stop_label);
    s.params.forEach((p, i) => {
      assert.ok(Math.abs(p - truth[i]) < 4 * s.std_errors[i] + 1e-9, `${s.solver} ${run.param_names[i]} = ${p} ± ${s.std_errors[i]} vs ${truth[i]}`);
    });
    assert.ok(s.r_squared > 0.99, `R² = ${s.r_squared}`);
  }
  // Three parameters: no landscape, an explanation instead.
  assert.equal(await page.isVisible('#fit-land-none'), true);
  // Stepping back redraws the fit at an earlier record.
  const before = await page.evaluate(() => document.getElementById('fit-curve-canvas').toDataURL());
  await page.click('#fit-first');
  await page.waitForTimeout(150);
  const after = await page.evaluate(() => document.getElementById('fit-curve-canvas').toDataURL());
  assert.notEqual(before, after);
  assert.match(await page.textContent('#fit-step-label'), /record 0 of/);
  assert.deepEqual(realErrors(), []);
  await page.close();
});

test('a formula with a syntax error shows the message, the column and a caret; the page stays usable', async () => {
  const { page, realErrors } = await openFit();
  await select(page, 'fit-model', 'formula');
  await page.fill('#fit-formula', 'y = a*exp(-b*x) + c');
  await page.waitForFunction(() => window.gradlab.lastRun().model.kind === 'formula');
  assert.match(await page.textContent('#fit-shown'), /a, b, c/);
  await page.fill('#fit-formula', 'y = a*exp(-b*x) +* c');
  const msg = await message(page, 'formula', /column/);
  assert.match(msg, /column 18/, msg);
  const caret = await page.textContent('#fit-caret');
  assert.equal(caret.split('\n')[1].indexOf('^'), 17, caret);
  // Fixing it runs the fit again.
  await page.fill('#fit-formula', 'a*x/(b + x)');
  await page.waitForFunction(() => window.gradlab.lastRun().param_names.join() === 'a,b');
  assert.equal(await message(page, 'formula', null), '');
  assert.equal(await page.isVisible('#fit-landscape'), true);
  assert.deepEqual(realErrors(), []);
  await page.close();
});

test('bad input gets messages: too few CSV points, NaN, overflow at the start; the trace exports as CSV', async () => {
  const { page, realErrors } = await openFit();
  await select(page, 'fit-data', 'csv');
  await page.fill('#fit-csv', 'x,y\n1,2\n');
  assert.match(await message(page, 'csv', /one data row/), /one data row/);
  await page.fill('#fit-csv', 'x,y\n1,2\n2,NaN\n3,4\n');
  assert.match(await message(page, 'csv', /not a finite number/), /row 3, column 2.*not a finite number/);
  // Fewer points than parameters (2 points, Michaelis–Menten has 2 parameters: allowed; the
  // three-parameter exponential decay is not).
  await select(page, 'fit-builtin', 'exponential_decay');
  await page.fill('#fit-csv', 'x,y\n1,2\n2,1\n');
  assert.match(await message(page, 'form', /points for 3 parameters/), /2 points for 3 parameters/);
  await select(page, 'fit-builtin', 'michaelis_menten');
  await page.fill('#fit-csv', 'x,y\n0.5,0.9\n1,1.3\n2,1.6\n4,1.8\n');
  await page.waitForFunction(() => window.gradlab.lastRun().points === 4);
  // Michaelis–Menten from a start where the model overflows? Use a start that makes V·x/(K + x)
  // infinite: K = −x at a data point.
  await select(page, 'fit-start-kind', 'values');
  await page.fill('#fit-start-1', '-1');
  assert.match(await message(page, 'form', /not finite at the start/), /not finite at the start/);
  await page.fill('#fit-start-1', '1');
  assert.equal(await message(page, 'form', null), '');
  const csv = await page.evaluate(async () => {
    const orig = URL.createObjectURL;
    let blob = null;
    URL.createObjectURL = (b) => { blob = b; return orig(b); };
    document.getElementById('fit-export').click();
    URL.createObjectURL = orig;
    return blob ? await blob.text() : '';
  });
  const lines = csv.trim().split('\n');
  assert.equal(lines[0], 'solver,record,p:V,p:K,ssr,grad_norm,lambda,step,accepted');
  assert.ok(lines.length > 3);
  assert.deepEqual(realErrors(), []);
  await page.close();
});

test('the wrong (frozen) Jacobian toggle changes the runs', async () => {
  const { page, realErrors } = await openFit();
  const good = await page.evaluate(() => window.gradlab.lastRun());
  await page.check('#fit-frozen');
  await page.waitForFunction(() => /frozen/.test(window.gradlab.lastRun().solvers[0].solver));
  const frozen = await page.evaluate(() => window.gradlab.lastRun());
  assert.notEqual(frozen.solvers[0].nfev, good.solvers[0].nfev);
  // Gauss–Newton with the start's Jacobian is a chord method: it still ends (named stop).
  assert.ok(frozen.solvers[1].stop_label.length > 0);
  assert.deepEqual(realErrors(), []);
  await page.close();
});

test('the fit lab in a 600×400 window: one column, no inner scrolling strip, no horizontal scrolling', async () => {
  const { page, realErrors } = await openFit({ width: 600, height: 400 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
  const m = await page.evaluate(() => {
    const c = document.querySelector('#lab-fit .fit-controls');
    const plot = document.getElementById('fit-curve-canvas').getBoundingClientRect();
    return { strip: c.scrollHeight - c.clientHeight, controlsBottom: c.getBoundingClientRect().bottom, plotTop: plot.top, plotWidth: plot.width };
  });
  assert.ok(m.strip <= 1, `the controls are not a scrolling strip (${m.strip}px hidden)`);
  assert.ok(m.plotTop >= m.controlsBottom && m.plotWidth > 540, `the data plot follows the controls at full width: ${JSON.stringify(m)}`);
  await page.locator('#fit-curve-canvas').scrollIntoViewIfNeeded();
  assert.ok(await inkShare(page, 'fit-curve-canvas') > 0.02);
  assert.deepEqual(realErrors(), []);
  await page.close();
});

test('NIST problems are offered only when www/pkg/nist/ holds them; Misra1a then matches its certified values', async () => {
  const { page, realErrors } = await openFit();
  const have = await page.evaluate(async () => (await fetch('pkg/nist/index.json')).ok);
  await page.waitForTimeout(300);
  const offered = await page.evaluate(() => !document.getElementById('fit-model-nist').hidden);
  assert.equal(offered, have);
  if (have) {
    await select(page, 'fit-model', 'nist');
    await select(page, 'fit-nist', 'Misra1a');
    await page.waitForFunction(() => window.gradlab.lastRun().model.name === 'Misra1a');
    const run = await page.evaluate(() => window.gradlab.lastRun());
    // Certified values from Misra1a.dat: b1 = 2.3894212918E+02, b2 = 5.5015643181E-04.
    const lm = run.solvers[0];
    [238.94212918, 5.5015643181e-4].forEach((c, i) => {
      const lre = -Math.log10(Math.abs(lm.params[i] - c) / Math.abs(c));
      assert.ok(lre >= 6, `b${i + 1}: LRE ${lre}`);
    });
    assert.deepEqual(run.certified, [238.94212918, 5.5015643181e-4]);
  }
  assert.deepEqual(realErrors(), []);
  await page.close();
});

test('stepping through an LM fit shows λ, the trust region Δ, the gain ratio ρ and whether the step was accepted; Nielsen damping is a setting away', async () => {
  const { page, realErrors } = await openFit();
  const stepTo = (k) => page.evaluate((k) => { const s = document.querySelector('#lab-fit input[type=range]'); s.value = String(k); s.dispatchEvent(new Event('input', { bubbles: true })); }, k);
  // Default Michaelis–Menten fit, trust-region LM (Moré/MINPACK): record 1 tries the
  // Gauss–Newton step (λ = 0, it fits in the first region), which overshoots: ρ < 0, Δ shrinks.
  await stepTo(1);
  // "record 1" and not "record 12": the default view is the last record until the slider moves.
  await page.waitForFunction(() => /record 1(?!\d)/.test(document.getElementById('fit-explain').textContent));
  let text = await page.textContent('#fit-explain');
  assert.match(text, /trial step h = the Gauss–Newton step \(λ = 0\): it fits in the trust region ‖Dh‖ ≤ Δ = 440\.6/);
  assert.match(text, /gain ratio ρ = actual \/ predicted reduction = −14\.08 → rejected, p stays; Δ becomes 0\.4416/);
  assert.doesNotMatch(text, /NaN/);
  // A later step solves for λ > 0 so that the step fits the smaller region, and is accepted.
  const max = await page.evaluate(() => window.gradlab.lastRun().max_step);
  let found = false;
  for (let k = 2; k <= max && !found; k++) {
    await stepTo(k);
    await page.waitForFunction((k) => new RegExp(`record ${k}(?!\\d)`).test(document.getElementById('fit-explain').textContent), k);
    text = await page.textContent('#fit-explain');
    found = /chosen so that ‖Dh‖ ≈ Δ/.test(text) && /→ accepted/.test(text);
  }
  assert.ok(found, 'some record solves for λ and is accepted');
  assert.match(text, /λ = [0-9.e−-]+ chosen so that ‖Dh‖ ≈ Δ = [0-9.e−-]+/);
  assert.doesNotMatch(text, /NaN/);
  // Nielsen damping (links v2) from the settings: record 1 is then a trial rejected for its
  // geodesic acceleration (2‖Da‖/‖Dv‖ = 3.404 > 0.75), never evaluated — no ρ, no NaN.
  await page.locator('#fit-use-levenberg_marquardt').locator('xpath=ancestor::div[contains(@class,"solver")]').locator('summary').click();
  await page.selectOption('#fit-levenberg_marquardt-damping', 'nielsen');
  // The new run arrives from the worker and resets the slider: keep asking for record 1.
  await page.waitForFunction(() => {
    const s = document.querySelector('#lab-fit input[type=range]');
    if (s.value !== '1') { s.value = '1'; s.dispatchEvent(new Event('input', { bubbles: true })); }
    return document.getElementById('fit-explain').textContent.includes('2‖Da‖/‖Dv‖ = 3.404');
  }, null, { polling: 200 });
  text = await page.textContent('#fit-explain');
  assert.match(text, /λ = 0\.001/);
  assert.match(text, /2‖Da‖\/‖Dv‖ = 3\.404 > 0\.75 → step rejected before it is evaluated/);
  assert.match(text, /λ is increased to 0\.002 for the next trial/);
  const label = await page.textContent('#fit-step-label');
  assert.match(label, /λ 0\.001\b/, label);
  assert.doesNotMatch(text, /NaN/);
  assert.deepEqual(realErrors(), []);
  await page.close();
});

test('a*x^b fits generated data that start at x = 0; a non-finite Jacobian names the data point', async () => {
  const { page, realErrors } = await openFit();
  await select(page, 'fit-model', 'formula');
  await page.fill('#fit-formula', 'a*x^b');
  await page.waitForFunction(() => window.gradlab.lastRun().param_names.join() === 'a,b');
  assert.equal(await message(page, 'form', null), '');
  const run = await page.evaluate(() => window.gradlab.lastRun());
  assert.equal(run.solvers[0].converged, true, run.solvers[0].stop_label);
  // √(a·x) has ∂/∂a = 0/0 at x = 0: the message says where and what to do.
  await page.fill('#fit-formula', 'sqrt(a*x) + b');
  const msg = await message(page, 'form', /not finite/);
  assert.match(msg, /data point 1 \(x = 0\)/);
  assert.match(msg, /finite-difference Jacobian/);
  // Typing an invalid formula now: its caret error replaces the stale message of the failed fit.
  await page.fill('#fit-formula', 'a*sin(b*x');
  assert.match(await message(page, 'formula', /column/), /column/);
  assert.equal(await page.isVisible('#fit-caret'), true);
  assert.equal(await message(page, 'form', null), '');
  assert.deepEqual(realErrors(), []);
  await page.close();
});

test('CSV data: the box starts filled; semicolons with decimal commas read with the decimal control', async () => {
  const { page, realErrors } = await openFit();
  const points = (await page.evaluate(() => window.gradlab.lastRun())).points;
  await select(page, 'fit-data', 'csv');
  // Switching shows the current data as CSV to edit, not an empty box with an error.
  assert.match(await page.inputValue('#fit-csv'), /^x,y\n/);
  assert.equal(await message(page, 'csv', null), '');
  await page.waitForFunction(() => window.gradlab.getState().config.data.kind === 'points');
  assert.equal((await page.evaluate(() => window.gradlab.lastRun())).points, points);
  await page.fill('#fit-csv', 'x;y\n0,5;1,2\n1,5;2,0\n2,5;2,4\n');
  const msg = await message(page, 'csv', /decimal/);
  assert.match(msg, /"0,5" is not a number \(decimal comma\? choose decimal: comma\)/);
  // The control the message names exists.
  assert.equal(await page.isVisible('#fit-csv_decimal'), true);
  assert.match(await page.textContent('label[for="fit-csv_decimal"]'), /decimal/);
  await select(page, 'fit-csv_decimal', 'comma');
  await page.waitForFunction(() => window.gradlab.lastRun().points === 3);
  assert.deepEqual((await page.evaluate(() => window.gradlab.getState())).config.data, { kind: 'points', x: [0.5, 1.5, 2.5], y: [1.2, 2, 2.4] });
  assert.equal(await message(page, 'csv', null), '');
  assert.deepEqual(realErrors(), []);
  await page.close();
});

test('"x from" alone keeps the default "x to" (and the other way round)', async () => {
  const { page, realErrors } = await openFit();
  await page.fill('#fit-x_min', '0.1');
  await page.waitForFunction(() => window.gradlab.getState().config.data.x_range?.[0] === 0.1);
  const range = (await page.evaluate(() => window.gradlab.getState())).config.data.x_range;
  const mm = await page.evaluate(() => window.gradlab.lastRun().model.id);
  assert.equal(mm, 'michaelis_menten');
  assert.equal(range[0], 0.1);
  assert.ok(range[1] > 0.1);
  assert.equal(await message(page, 'x_max', null), '');
  assert.equal(await message(page, 'x_min', null), '');
  await page.fill('#fit-x_min', '');
  await page.fill('#fit-x_max', '3');
  await page.waitForFunction(() => window.gradlab.getState().config.data.x_range?.[1] === 3);
  // Michaelis–Menten's default x range is [0, 5].
  assert.deepEqual((await page.evaluate(() => window.gradlab.getState())).config.data.x_range, [0, 3]);
  assert.equal(range[1], 5);
  assert.deepEqual(realErrors(), []);
  await page.close();
});

test('e and pi are constants in a formula: the label says so and a bare e gets a note', async () => {
  const { page, realErrors } = await openFit();
  await select(page, 'fit-model', 'formula');
  assert.match(await page.textContent('label[for="fit-formula"]'), /every other name except e and pi is a parameter/);
  assert.equal(await page.isVisible('#fit-formula-note'), false);
  await page.fill('#fit-formula', 'a*exp(-b*x)+c+e*x');
  await page.waitForFunction(() => window.gradlab.lastRun().param_names.join() === 'a,b,c');
  assert.equal(await page.isVisible('#fit-formula-note'), true);
  assert.match(await page.textContent('#fit-formula-note'), /e is Euler's number/);
  // Not an error: the fit ran.
  assert.equal(await message(page, 'formula', null), '');
  await page.fill('#fit-formula', 'a*exp(-b*x)+c+d*x');
  await page.waitForFunction(() => window.gradlab.lastRun().param_names.join() === 'a,b,c,d');
  assert.equal(await page.isVisible('#fit-formula-note'), false);
  assert.deepEqual(realErrors(), []);
  await page.close();
});

test('Gauss–Newton has one colour: gold swatches and curves, as its yellow path on the SSR landscape', async () => {
  const { page, realErrors } = await openFit();
  const run = await page.evaluate(() => window.gradlab.lastRun());
  assert.deepEqual(run.solvers.map((s) => s.color), ['#d62728', '#c8a000']);
  const swatch = await page.evaluate(() => getComputedStyle(document.querySelector('.solver[data-method="gauss_newton"] .swatch')).backgroundColor);
  assert.equal(swatch, 'rgb(200, 160, 0)');
  assert.deepEqual(realErrors(), []);
  await page.close();
});

test('untrustworthy standard errors get a note: not converged, or not identifiable', async () => {
  const { page, realErrors } = await openFit();
  assert.doesNotMatch(await page.textContent('#fit-readout'), /did not converge|not identifiable/);
  await page.evaluate(() => { document.querySelector('.solver[data-method="levenberg_marquardt"] details').open = true; });
  await page.fill('#fit-levenberg_marquardt-max_evaluations', '3');
  await page.waitForFunction(() => !window.gradlab.lastRun().solvers[0].converged);
  await page.waitForTimeout(100);
  assert.match(await page.textContent('#fit-readout'), /Levenberg–Marquardt: did not converge \(.*\): the standard errors describe the last point only/);
  await page.fill('#fit-levenberg_marquardt-max_evaluations', '50000');
  await select(page, 'fit-model', 'formula');
  await page.fill('#fit-formula', 'a*x + b*x');
  await page.waitForFunction(() => window.gradlab.lastRun().formula === 'a*x + b*x');
  await page.waitForTimeout(100);
  const text = await page.textContent('#fit-readout');
  assert.match(text, /± ∞/);
  assert.match(text, /Levenberg–Marquardt and Gauss–Newton: ± ∞ for a, b — the parameters are not identifiable: J is rank-deficient \(rank 1 of 2\)/);
  assert.deepEqual(realErrors(), []);
  await page.close();
});

test('a NIST fit has fingerprints, and its link reopens with the same fingerprints', async (t) => {
  const { page, realErrors } = await openFit();
  if (!(await page.evaluate(async () => (await fetch('pkg/nist/index.json')).ok))) {
    t.skip('www/pkg/nist/ is not there');
    await page.close();
    return;
  }
  await page.waitForTimeout(300);
  await select(page, 'fit-model', 'nist');
  await select(page, 'fit-nist', 'Thurber');
  await page.waitForFunction(() => window.gradlab.lastRun().model.name === 'Thurber');
  const prints = await page.evaluate(() => window.gradlab.fingerprints());
  assert.equal(prints.length, 2);
  for (const p of prints) assert.match(p, /^[0-9a-f]{16}$/);
  const link = await page.evaluate(() => window.gradlab.link());
  const again = await ctx.newPage();
  const errors = [];
  again.on('pageerror', (e) => errors.push(String(e)));
  await again.goto(`${BASE}#${link}`);
  await again.evaluate(() => window.gradlab.ready);
  await again.waitForFunction(() => window.gradlab.lastRun()?.model?.name === 'Thurber');
  assert.deepEqual(await again.evaluate(() => window.gradlab.fingerprints()), prints);
  assert.deepEqual(errors, []);
  assert.deepEqual(realErrors(), []);
  await again.close();
  await page.close();
});

test('the fit lab plays back with the keyboard (Home, →, End) and has a speed control', async () => {
  const page = await ctx.newPage();
  await page.goto(BASE);
  await page.evaluate(() => window.gradlab.ready);
  await page.click('.tabs [data-lab="fit"]');
  await page.waitForFunction(() => window.gradlab.lab() === 'fit' && window.gradlab.lastRun());
  await page.click('#lab-fit h3');
  const step = () => page.evaluate(() => window.gradlab.lastRun().step);
  await page.keyboard.press('Home');
  assert.equal(await step(), 0);
  await page.keyboard.press('ArrowRight');
  assert.equal(await step(), 1);
  await page.keyboard.press('End');
  assert.equal(await step(), (await page.evaluate(() => window.gradlab.lastRun())).max_step);
  assert.ok(await page.isVisible('#fit-speed'));
  await page.close();
});

test('NIST MGH10 from start 1 (Nielsen damping): SSR has its own panel, ‖Jᵀr‖ and λ theirs, λ with decade labels over 1e-110…1e3', async (t) => {
  const { page, realErrors } = await openFit();
  if (!(await page.evaluate(async () => (await fetch('pkg/nist/index.json')).ok))) {
    t.skip('www/pkg/nist/ is not there');
    await page.close();
    return;
  }
  const err = await page.evaluate(() => window.gradlab.setState({ lab: 'fit', config: {
    model: { kind: 'nist', name: 'MGH10' }, data: { kind: 'nist' }, start: { kind: 'nist', which: 1 },
    solvers: [{ method: 'levenberg_marquardt', damping: 'nielsen' }, { method: 'gauss_newton' }] } }));
  assert.equal(err, null);
  await page.evaluate(() => window.gradlab.settled());
  const lay = await page.evaluate(() => window.gradlab.current().layout('fit-convergence'));
  assert.equal(lay.panels.length, 2);
  const [top, low] = lay.panels;
  const beside = (p, role) => lay.labels.filter((l) => l.role === role && Math.abs(l.y + l.h / 2 - (p.y + p.h / 2)) <= p.h / 2 + 1);
  // SSR 4.5e15 → 87.9 on the top panel's axis: labels from at most 1e5 to at least 1e15.
  const ssr = beside(top, 'y_tick').map((l) => Number(l.text));
  assert.ok(Math.min(...ssr) <= 1e5 && Math.max(...ssr) >= 1e15, `SSR axis ${ssr}`);
  assert.deepEqual(lay.labels.filter((l) => l.role === 'y_title').map((l) => l.text), ['SSR  ——', '‖Jᵀr‖  - -']);
  // λ: at least four decade labels on the lower panel's right axis, from 1e-75 or lower to 1e-25 or higher.
  const lambda = beside(low, 'y2_tick').map((l) => Math.log10(Number(l.text)));
  assert.equal(lambda.length, lay.labels.filter((l) => l.role === 'y2_tick').length);
  assert.ok(lambda.length >= 4 && Math.min(...lambda) <= -75 && Math.max(...lambda) >= -25, `λ labels 1e${lambda.join(', 1e')}`);
  assert.deepEqual(realErrors(), []);
  await page.close();
});

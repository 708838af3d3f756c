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
  assert.equal(lines[0], 'solver,k,V,K,ssr,grad_norm,lambda,step,accepted');
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

test('the fit lab fits a 600×400 iframe without horizontal scrolling', async () => {
  const { page, realErrors } = await openFit({ width: 600, height: 400 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
  // The data plot starts within the first screen.
  const top = await page.evaluate(() => document.getElementById('fit-curve-canvas').getBoundingClientRect().top);
  assert.ok(top < 400, `data plot at ${top}px`);
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

test('stepping through an LM fit shows λ, the gain ratio ρ and whether the step was accepted', async () => {
  const page = await ctx.newPage();
  await page.goto(BASE);
  await page.evaluate(() => window.gradlab.ready);
  await page.click('.tabs [data-lab="fit"]');
  await page.waitForFunction(() => window.gradlab.lab() === 'fit' && window.gradlab.lastRun());
  await page.evaluate(() => { const s = document.querySelector('#lab-fit input[type=range]'); s.value = '2'; s.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.waitForFunction(() => document.getElementById('fit-explain').textContent.includes('gain ratio ρ'));
  const text = await page.textContent('#fit-explain');
  assert.match(text, /λ = /);
  assert.match(text, /accepted|rejected/);
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

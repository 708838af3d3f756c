// End-to-end: the built page in a real headless Chromium (run by `cargo xtask test`, which
// builds www/, serves it and sets GRADLAB_URL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE, openPage, inkShare, canvasHash as canvasData } from './browser.mjs';

const open = (viewport) => openPage(ctx, BASE, viewport);

let ctx;
before(async () => { ctx = await launch(); });
after(async () => { await ctx?.close(); });

const sameArray = (a, b) => a === b;

test('the page loads with a gradient-descent run drawn on peaks, without console errors', async () => {
  const { page, errors } = await open();
  const run = await page.evaluate(() => window.gradlab.lastRun());
  assert.equal(run.surface, 'peaks');
  assert.equal(run.solvers.length, 1);
  const s = run.solvers[0];
  // From (−0.2, −0.6) gradient descent reaches the global minimum −6.551133 at (0.228279, −1.625535).
  assert.equal(s.stop, 'gradient_tolerance');
  assert.ok(Math.abs(s.f + 6.551133) < 1e-6, `f = ${s.f}`);
  assert.ok(Math.abs(s.x[0] - 0.228279) < 1e-5 && Math.abs(s.x[1] + 1.625535) < 1e-5, `x = ${s.x}`);
  // The maps are mostly colour; the convergence plot is lines, labels and grid.
  for (const [id, min] of [['contour', 0.4], ['surface3d', 0.15], ['convergence', 0.03]]) {
    const ink = await inkShare(page, id);
    assert.ok(ink > min, `${id} canvas is drawn (${(ink * 100).toFixed(1)}% ink)`);
  }
  // The readout shows the final point and f.
  const readout = await page.textContent('#readout');
  assert.match(readout, /\(0\.228279, -1\.625535\)/);
  assert.match(readout, /-6\.551133/);
  assert.match(readout, /converged/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('canvases are sized by devicePixelRatio (crisp on HiDPI screens)', async () => {
  const page = await ctx.newPage();
  // Emulate a DPR-2 screen through the DevTools protocol.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 2, mobile: false });
  await page.goto(BASE);
  await page.evaluate(() => window.gradlab.ready);
  const sizes = await page.evaluate(() => ['contour', 'surface3d', 'convergence'].map((id) => {
    const c = document.getElementById(id);
    return [c.width, c.clientWidth, c.height, c.clientHeight, window.devicePixelRatio];
  }));
  for (const [w, cw, h, ch, dpr] of sizes) {
    assert.equal(dpr, 2);
    assert.ok(Math.abs(w - 2 * cw) <= 1 && Math.abs(h - 2 * ch) <= 1, `backing store ${w}×${h} for ${cw}×${ch} CSS px`);
  }
  await page.close();
});

test('changing the learning rate redraws a different trajectory', async () => {
  const { page, errors } = await open();
  const before = await canvasData(page, 'contour');
  const f0 = (await page.evaluate(() => window.gradlab.lastRun())).solvers[0];
  await page.fill('#gradient_descent-learning_rate', '0.01');
  await page.waitForFunction((it) => window.gradlab.lastRun().solvers[0].iterations !== it, f0.iterations);
  const after = await canvasData(page, 'contour');
  assert.ok(!sameArray(before, after), 'contour map changed');
  const s = (await page.evaluate(() => window.gradlab.lastRun())).solvers[0];
  assert.ok(s.iterations > f0.iterations, `smaller step, more iterations (${s.iterations} vs ${f0.iterations})`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('clicking the contour map starts a new run from the clicked point', async () => {
  const { page, errors } = await open();
  const before = await canvasData(page, 'contour');
  const box = await page.locator('#contour').boundingBox();
  // Near the upper-left of the plot area: the run ends in a different minimum.
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.45);
  await page.evaluate(() => window.gradlab.settled()); // the run happens in the worker
  const run = await page.evaluate(() => window.gradlab.lastRun());
  assert.ok(Math.abs(run.start[0] + 0.2) > 0.05 || Math.abs(run.start[1] + 0.6) > 0.05, `start moved: ${run.start}`);
  assert.equal(await page.inputValue('#start_x'), String(run.start[0]));
  assert.equal(await page.inputValue('#start_y'), String(run.start[1]));
  const after = await canvasData(page, 'contour');
  assert.ok(!sameArray(before, after), 'contour map redrawn');
  const readout = await page.textContent('#readout');
  const s = run.solvers[0];
  assert.ok(readout.includes(s.f.toFixed(6).replace(/0+$/, '').replace(/\.$/, '')), `readout shows f = ${s.f}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('dragging the surface rotates it', async () => {
  const { page, errors } = await open();
  const before = await canvasData(page, 'surface3d');
  const box = await page.locator('#surface3d').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 10, { steps: 5 });
  await page.mouse.up();
  await page.waitForTimeout(100);
  const after = await canvasData(page, 'surface3d');
  assert.ok(!sameArray(before, after), 'surface redrawn from a new angle');
  assert.deepEqual(errors, []);
  await page.close();
});

test('bad input gets an inline message and no run; the page stays usable', async () => {
  const { page, errors } = await open();
  const good = await page.evaluate(() => window.gradlab.lastRun());
  const cases = [
    ['#gradient_descent-learning_rate', '', 'enter a number'],
    ['#gradient_descent-learning_rate', 'abc', 'is not a number'],
    ['#gradient_descent-learning_rate', '-0.1', 'must be between'],
    ['#start_x', '1e9', 'must be between'],
    ['#x_max', '-5', 'greater than x min'],
    ['#max_iterations', '1000000000', 'at most 100000'],
    ['#tolerance', 'x', 'is not a number'],
  ];
  await page.click('details.viewbox summary');
  for (const [sel, value, message] of cases) {
    await page.fill(sel, value);
    const field = sel.slice(1).replace('-', '.');
    await page.waitForFunction((f) => document.querySelector(`.msg[data-for="${f}"]`).textContent !== '', field);
    assert.match(await page.textContent(`.msg[data-for="${field}"]`), new RegExp(message));
    assert.equal(await page.getAttribute(sel, 'aria-invalid'), 'true');
    assert.deepEqual(await page.evaluate(() => window.gradlab.lastRun()), good, 'no new run');
    // Put the good value back: the message goes away.
    await page.fill('#gradient_descent-learning_rate', '0.05');
    await page.fill('#max_iterations', '300');
    await page.fill('#tolerance', '1e-6');
    await page.fill('#start_x', '-0.2');
    await page.fill('#x_max', '3');
    await page.waitForFunction((f) => document.querySelector(`.msg[data-for="${f}"]`).textContent === '', field);
  }
  // Markup typed into a field is shown as text, never parsed.
  await page.fill('#start_x', '<img src=x onerror=alert(1)>');
  await page.waitForFunction(() => document.querySelector('.msg[data-for="start_x"]').textContent !== '');
  assert.equal(await page.locator('.msg img').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a 600×400 window (no ?embed): one column — controls, then full-width plots; no inner scrolling strip, no horizontal scroll', async () => {
  const { page, errors } = await open({ width: 600, height: 400 });
  const m = await page.evaluate(() => {
    const box = (id) => document.getElementById(id).getBoundingClientRect();
    const controls = document.querySelector('#lab-surfaces .controls');
    return { form: box('controls').bottom, map: box('contour'), surf: box('surface3d'), strip: controls.scrollHeight - controls.clientHeight };
  });
  assert.ok(m.strip <= 1, `the controls are not a scrolling strip (${m.strip}px hidden)`);
  assert.ok(m.map.top >= m.form && m.surf.top >= m.map.bottom, 'controls, then the map, then the surface');
  assert.ok(m.map.width > 540, `the map is full width (${m.map.width}px)`);
  const scrollW = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollW <= 600, `no horizontal scroll (${scrollW})`);
  await page.locator('#contour').scrollIntoViewIfNeeded();
  assert.ok(await inkShare(page, 'contour') > 0.1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a typed formula is validated as you type and then raced like a built-in surface', async () => {
  const { page, errors } = await open();
  await page.selectOption('#surface', 'formula');
  await page.waitForFunction(() => window.gradlab.lastRun().surface === 'formula');
  // A syntax error: message with its column and a caret under it; no new run.
  const before = await page.evaluate(() => window.gradlab.lastRun());
  await page.fill('#formula-input', 'x^2 + (y - 1');
  await page.waitForFunction(() => document.querySelector('.msg[data-for="formula"]').textContent !== '');
  assert.match(await page.textContent('.msg[data-for="formula"]'), /column \d+/);
  const caret = await page.textContent('#formula-caret');
  assert.ok(caret.includes('x^2 + (y - 1') && caret.includes('^'), caret);
  assert.deepEqual(await page.evaluate(() => window.gradlab.lastRun()), before);
  // Markup in a formula is text, never parsed as HTML.
  await page.fill('#formula-input', '<b>x</b>');
  await page.waitForFunction(() => document.querySelector('.msg[data-for="formula"]').textContent !== '');
  assert.equal(await page.locator('#formula-field b').count(), 0);
  assert.match(await page.textContent('#formula-caret'), /<b>x<\/b>/);
  // The NumPy spelling of a convex bowl: gradient descent ends at its minimum (1, −0.5).
  await page.fill('#formula-input', '(x - 1)**2 + 3*(y + 0.5)**2');
  await page.waitForFunction(() => window.gradlab.lastRun().formula.startsWith('(x - 1)'));
  const s = (await page.evaluate(() => window.gradlab.lastRun())).solvers[0];
  assert.ok(Math.abs(s.x[0] - 1) < 1e-4 && Math.abs(s.x[1] + 0.5) < 1e-4, `x = ${s.x}`);
  assert.equal(await page.textContent('#formula-caret'), '');
  assert.deepEqual(errors, []);
  await page.close();
});

test('playback replays the trace: every plot follows k, and the update rule shows the trace numbers', async () => {
  const { page, errors } = await open();
  const lab = () => page.evaluate(() => window.gradlab.current().step());
  const K = (await page.evaluate(() => window.gradlab.lastRun())).solvers[0].iterations;
  assert.equal(await lab(), K, 'a new run is shown whole');
  const full = { map: await canvasData(page, 'contour'), conv: await canvasData(page, 'convergence'), surf: await canvasData(page, 'surface3d') };
  await page.click('h1');
  await page.keyboard.press('Home');
  assert.equal(await lab(), 0);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await lab(), 2);
  assert.equal(await page.inputValue('#pb-scrub'), '2');
  await page.waitForTimeout(100);
  // All three plots changed with k.
  assert.notEqual(await canvasData(page, 'contour'), full.map);
  assert.notEqual(await canvasData(page, 'convergence'), full.conv);
  assert.notEqual(await canvasData(page, 'surface3d'), full.surf);
  // The rule for x₂ = x₁ − α∇f(x₁) uses the recorded x₁ and x₂ (same numbers as the run, 4 digits).
  const ex = (await page.evaluate(() => window.gradlab.current().explain()))[0];
  assert.equal(ex.k, 2);
  assert.match(ex.lines[0], /^x₂ = x₁ − α∇f\(x₁\) = \(.+\) − 0\.05·\(.+\) = \(.+\)$/);
  const shown = ex.lines[0].split(' = ').pop();
  const fmt4 = (v) => Number(v.toPrecision(4));
  const parsed = shown.slice(1, -1).split(', ').map((s) => Number(s.replace('−', '-')));
  assert.deepEqual(parsed.map(fmt4), ex.x.map(fmt4));
  assert.match(await page.textContent('#explain'), /x₂ = x₁/);
  // Playing advances k without re-running (the run summary is unchanged).
  const run = await page.evaluate(() => window.gradlab.lastRun());
  await page.keyboard.press(' ');
  await page.waitForFunction(() => window.gradlab.current().step() > 4);
  await page.keyboard.press(' ');
  assert.deepEqual(await page.evaluate(() => window.gradlab.lastRun()), run);
  await page.keyboard.press('End');
  assert.equal(await lab(), K);
  assert.deepEqual(errors, []);
  await page.close();
});

test('basin map: four basins on Himmelblau, one on a convex quadratic, computed without freezing the page', async () => {
  const { page, errors } = await open();
  await page.selectOption('#surface', 'himmelblau');
  await page.waitForFunction(() => window.gradlab.lastRun().surface === 'himmelblau');
  await page.uncheck('#use-gradient_descent');
  await page.check('#use-bfgs');
  await page.waitForFunction(() => window.gradlab.lastRun().solvers[0].solver === 'BFGS');
  const before = await canvasData(page, 'contour');
  await page.click('#basin-btn');
  // The page answers while the map computes (it runs a few starts per animation frame).
  assert.equal((await page.evaluate(() => window.gradlab.lastRun())).surface, 'himmelblau');
  await page.waitForFunction(() => document.getElementById('basin-status').textContent.includes('starts'), null, { timeout: 60000 });
  assert.equal(await page.locator('#basin-legend > span').count(), 4);
  assert.notEqual(await canvasData(page, 'contour'), before);
  await page.click('#basin-btn'); // clear
  assert.equal(await page.locator('#basin-legend > span').count(), 0);
  await page.selectOption('#surface', 'quadratic');
  await page.waitForFunction(() => window.gradlab.lastRun().surface === 'quadratic');
  await page.click('#basin-btn');
  await page.waitForFunction(() => document.getElementById('basin-status').textContent.includes('starts'), null, { timeout: 60000 });
  assert.equal(await page.locator('#basin-legend > span').count(), 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a learning-rate schedule is drawn and changes the run', async () => {
  const { page, errors } = await open();
  assert.equal(await page.isVisible('#schedule-plot'), false, 'no plot for a constant rate');
  const before = await page.evaluate(() => window.gradlab.lastRun().solvers[0].iterations);
  await page.selectOption('#schedule', 'exponential');
  await page.fill('#schedule_a', '0.9');
  await page.waitForFunction(() => document.getElementById('schedule-formula').textContent.includes('0.9^k'));
  assert.ok(await page.isVisible('#schedule-plot'));
  assert.ok(await inkShare(page, 'schedule-plot') > 0.02);
  // α shrinks by 0.9 per step: GD stalls before converging (sum of α_k is finite).
  const after = await page.evaluate(() => window.gradlab.lastRun().solvers[0]);
  assert.notEqual(after.iterations, before);
  const ex = await page.evaluate(() => { window.gradlab.current().setStep(3); return window.gradlab.current().explain()[0]; });
  assert.match(ex.lines[0], /^x₃ = x₂ − α∇f\(x₂\) = .* − 0\.0405·/, 'step 2 → 3 uses α₂ = 0.05·0.9² = 0.0405');
  await page.fill('#schedule_a', '3');
  await page.waitForFunction(() => document.querySelector('.msg[data-for="schedule_a"]').textContent !== '');
  assert.deepEqual(errors, []);
  await page.close();
});

test('editing a field after opening a lesson keeps every one of its runs', async () => {
  const { page, errors } = await open();
  const runsOf = (r) => (r.solvers ?? r.runs).map((x) => x.solver ?? x.name);
  const edit = async (preset, field, value) => {
    await page.selectOption('#course-menu', `lesson:${preset}`);
    await page.waitForFunction(() => !document.getElementById('lesson').hidden);
    await page.evaluate(() => window.gradlab.settled());
    const before = await page.evaluate(() => window.gradlab.lastRun());
    const state = JSON.stringify((await page.evaluate(() => window.gradlab.getState())).config);
    const cfg = JSON.stringify(JSON.parse(state).solvers);
    await page.fill(field, value);
    await page.waitForFunction((b) => JSON.stringify(window.gradlab.getState().config) !== b, state);
    const after = await page.evaluate(() => window.gradlab.lastRun());
    assert.deepEqual(runsOf(after), runsOf(before), `${preset}: runs after editing ${field}`);
    return { cfg, after: JSON.stringify((await page.evaluate(() => window.gradlab.getState())).config.solvers) };
  };
  // The lesson belongs to its lab: switching tabs closes it.
  await page.selectOption('#course-menu', 'lesson:newton');
  await page.waitForFunction(() => !document.getElementById('lesson').hidden);
  await page.click('.tabs [data-lab="fit"]');
  assert.equal(await page.isVisible('#lesson'), false);
  await page.click('.tabs [data-lab="surfaces"]');
  // Two GD runs (α = 0.19 and 0.21): both stay, with their own rates.
  const q = await edit('step-size', '#max_iterations', '400');
  assert.equal(q.after, q.cfg);
  // SGD M = 1, SGD M = 32, batch GD α = 0.1: all three stay.
  const m = await edit('minibatch', '#rg-epochs', '20');
  assert.equal(JSON.parse(m.after).length, 3);
  assert.deepEqual(JSON.parse(m.after).map((s) => [s.batch_size, s.learning_rate]), JSON.parse(m.cfg).map((s) => [s.batch_size, s.learning_rate]));
  // LM with the right Jacobian and LM with a frozen one: both stay.
  const f = await edit('wrong-jacobian', '#fit-n', '31');
  assert.equal(JSON.parse(f.after).length, 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test('every lesson of the course opens its lab, asks, runs, and says what the run showed', async () => {
  const { page, errors } = await open();
  const ids = await page.$$eval('#course-menu option', (os) => os.map((o) => o.value).filter((v) => v.startsWith('lesson:')));
  assert.ok(ids.length >= 12, `${ids.length} lessons`);
  for (const id of ids) {
    await page.selectOption('#course-menu', id);
    await page.waitForFunction(() => !document.getElementById('lesson').hidden);
    await page.evaluate(() => window.gradlab.settled());
    const title = await page.textContent('#lesson-title');
    assert.ok(title.length > 10, id);
    // Asked before shown; then the outcome comes from the run, with its numbers.
    assert.equal(await page.isVisible('#teach-predict'), true, `${id}: asks first`);
    await page.click('#teach-skip');
    await page.waitForFunction(() => document.querySelectorAll('#teach-lines li').length > 0);
    assert.match(await page.textContent('#teach-lines'), /\d/, `${id}: the outcome has the run's numbers`);
    assert.match(await page.textContent('#teach-verdict'), /The run shows: “/, id);
    const run = await page.evaluate(() => window.gradlab.lastRun());
    const runs = run && (run.solvers ?? run.runs);
    assert.ok(runs && runs.length >= 1, `${id}: ${JSON.stringify(run)?.slice(0, 200)}`);
    if (run.lab === 'surfaces') {
      // The solver list's swatches show each method's colour in the plots (first run of it).
      const methods = (await page.evaluate(() => window.gradlab.getState())).config.solvers.map((c) => c.method);
      const seen = new Set();
      for (const [i, m] of methods.entries()) {
        if (seen.has(m)) continue;
        seen.add(m);
        const hex = runs[i].color;
        const want = `rgb(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)})`;
        const got = await page.$eval(`#lab-surfaces .solver[data-method="${m}"] .swatch`, (e) => getComputedStyle(e).backgroundColor);
        assert.equal(got, want, `${id}: swatch of ${m}`);
      }
    }
    await page.click('#lesson-close');
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('settled() applies an edit still waiting for its typing delay: a script that types and then settles sees its edit', async () => {
  const ctx = await launch();
  try {
    const { page, errors } = await openPage(ctx);
    await page.click('#tab-regression');
    await page.evaluate(() => window.gradlab.settled());
    await page.fill('#rg-slope', '3');
    // At once, within the 200 ms delay: settled() applies it and waits for the run.
    const slope = await page.evaluate(async () => { await window.gradlab.settled(); return window.gradlab.getState().config.data.slope; });
    assert.equal(slope, 3);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

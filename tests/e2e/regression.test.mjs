// End-to-end: the linear-regression lab in headless Chromium (GRADLAB_URL = the served www/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE, openPage, inkShare, canvasHash } from './browser.mjs';

let ctx;
before(async () => { ctx = await launch(); });
after(async () => { await ctx?.close(); });

/** Opens the page on the regression tab, collecting console errors and uncaught exceptions. */
async function open(viewport = { width: 1366, height: 800 }) {
  const { page, errors } = await openPage(ctx, BASE, viewport);
  await page.click('.tabs [data-lab="regression"]');
  await page.waitForFunction(() => window.gradlab.lab() === 'regression' && window.gradlab.lastRun()?.lab === 'regression');
  return { page, errors };
}

const run = (page) => page.evaluate(() => window.gradlab.lastRun());

/** Types into a field and waits for a new run (a different summary). */
async function setField(page, id, value) {
  const before = JSON.stringify(await run(page));
  await page.fill(id, value);
  await page.waitForFunction((b) => JSON.stringify(window.gradlab.lastRun()) !== b, before);
  return run(page);
}

test('the regression tab shows SGD and batch GD against the exact answer, every plot drawn, no console errors', async () => {
  const { page, errors } = await open();
  const r = await run(page);
  assert.equal(r.source, 'generated');
  assert.equal(r.n, 100);
  assert.deepEqual(r.coefficients, ['x', 'b']);
  assert.equal(r.mode, 'line');
  // Generated from y = 2x + 1 + N(0, 1): the least-squares slope and intercept lie within 4 standard errors.
  const [w, b] = r.exact.theta;
  assert.ok(Math.abs(w - 2) < 4 * r.exact.sd[0] && Math.abs(b - 1) < 4 * r.exact.sd[1], `exact = ${r.exact.theta}`);
  assert.ok(r.exact.r2 > 0.9 && r.exact.r2 <= 1);
  assert.equal(r.runs.length, 2);
  assert.match(r.runs[0].name, /^SGD \(M = 10/);
  assert.match(r.runs[1].name, /^Batch GD/);
  // Standardized batch GD with α = 0.1 contracts by 0.8 per epoch: after 30 epochs it is close to the QR answer.
  assert.ok(r.runs[1].distance_to_exact < 0.05, `GD distance ${r.runs[1].distance_to_exact}`);
  assert.equal(r.runs[0].updates, 300, '10 batches × 30 epochs');
  for (const [id, min] of [['rg-data', 0.03], ['rg-contour', 0.4], ['rg-surface', 0.1], ['rg-loss', 0.03]]) {
    const ink = await inkShare(page, id);
    assert.ok(ink > min, `${id} drawn (${(ink * 100).toFixed(1)}% ink)`);
  }
  const readout = await page.textContent('#rg-readout');
  assert.match(readout, /SGD \(M = 10/);
  assert.match(readout, /max iterations reached/);
  assert.match(await page.textContent('#rg-coefs'), /std\. error/);
  assert.match(await page.textContent('#rg-formula'), /2\/m.*½MSE gives \(1\/m\)/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('changing the learning rate changes the path and the map', async () => {
  const { page, errors } = await open();
  const r0 = await run(page);
  const map0 = await canvasHash(page, 'rg-contour');
  const r1 = await setField(page, '#rg-learning_rate', '0.02');
  assert.equal(r1.runs[0].learning_rate, 0.02);
  assert.notEqual(r1.runs[0].fingerprint, r0.runs[0].fingerprint);
  assert.notDeepEqual(r1.runs[0].theta, r0.runs[0].theta);
  await page.waitForTimeout(50);
  assert.notEqual(await canvasHash(page, 'rg-contour'), map0, 'contour map redrawn');
  // Smaller steps: batch GD is farther from the exact answer after the same 30 epochs.
  assert.ok(r1.runs[1].distance_to_exact > r0.runs[1].distance_to_exact);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the same shuffle seed gives the same SGD path twice; another seed another path', async () => {
  const { page, errors } = await open();
  const a = await setField(page, '#rg-seed', '5');
  const b = await setField(page, '#rg-seed', '6');
  const c = await setField(page, '#rg-seed', '5');
  assert.notEqual(a.runs[0].fingerprint, b.runs[0].fingerprint);
  assert.equal(a.runs[0].fingerprint, c.runs[0].fingerprint);
  assert.deepEqual(a.runs[0].theta, c.runs[0].theta);
  // Batch GD does not shuffle: the seed does not change it.
  assert.equal(a.runs[1].fingerprint, b.runs[1].fingerprint);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the sample order is a choice: file order ignores the seed; each order gives its own path and travels in the link', async () => {
  const { page, errors } = await open();
  const select = async (value) => {
    const before = JSON.stringify(await run(page));
    await page.selectOption('#rg-shuffle', value);
    await page.waitForFunction((b) => JSON.stringify(window.gradlab.lastRun()) !== b, before);
    return run(page);
  };
  const samples = await run(page);
  assert.equal(await page.inputValue('#rg-shuffle'), 'samples');
  const batches = await select('batches');
  const none = await select('none');
  const prints = [samples, batches, none].map((r) => r.runs[0].fingerprint);
  assert.equal(new Set(prints).size, 3, prints.join(' '));
  assert.equal((await page.evaluate(() => window.gradlab.getState())).config.solvers[0].shuffle, 'none');
  // File order: the shuffle seed changes nothing.
  const other = await page.evaluate(async () => { const s = window.gradlab.getState(); s.config.solvers[0].seed = 99; await window.gradlab.setState(s); return window.gradlab.lastRun(); });
  assert.equal(other.runs[0].fingerprint, none.runs[0].fingerprint);
  // The link restores the choice in the form.
  const link = await page.evaluate(() => window.gradlab.link());
  const again = await openPage(ctx, `${BASE}#${link}`);
  assert.equal(await again.page.inputValue('#rg-shuffle'), 'none');
  assert.deepEqual([...errors, ...again.errors], []);
  for (const p of [page, again.page]) await p.close();
});

test('CSV: several columns give predicted/residual plots; bad CSV names row and column and keeps the data', async () => {
  const { page, errors } = await open();
  await page.selectOption('#rg-source', 'csv');
  const good = 'a;b;y\n1;2;5.1\n2;1;4.9\n3;5;13.2\n4;3;10.8\n5;0;5.2\n6;4;14.1\n';
  await page.fill('#rg-csv_text', good);
  await page.click('#rg-load');
  await page.waitForFunction(() => window.gradlab.lastRun().source === 'csv' && window.gradlab.lastRun().n === 6);
  const r = await run(page);
  assert.deepEqual(r.coefficients, ['a', 'b', '(intercept)']);
  assert.equal(r.mode, 'multi');
  assert.equal(r.data_fit, false);
  assert.ok(await page.isVisible('#rg-predicted') && await page.isVisible('#rg-residuals'));
  assert.ok(!(await page.isVisible('#rg-contour')));
  for (const id of ['rg-predicted', 'rg-residuals', 'rg-loss']) assert.ok(await inkShare(page, id) > 0.02, `${id} drawn`);
  assert.equal((await page.$$('#rg-coefs tr')).length, 4, 'header + a, b, intercept');

  for (const [text, want] of [
    ['a;b;y\n1;2;5.1\n2;x;4.9\n3;5;13.2\n', /row 3, column 2 \("b"\): "x" is not a number/],
    ['a;b;y\n1;2;5.1\n2;1\n3;5;13.2\n', /row 3, column 3 \("y"\) is missing/],
    ['', /empty/],
  ]) {
    await page.fill('#rg-csv_text', text);
    await page.click('#rg-load');
    await page.waitForFunction(() => document.querySelector('#lab-regression .msg[data-for="csv_text"]').textContent !== '');
    assert.match(await page.textContent('#lab-regression .msg[data-for="csv_text"]'), want);
    assert.equal(await page.getAttribute('#rg-csv_text', 'aria-invalid'), 'true');
    assert.deepEqual(await run(page), r, 'the previous data and run stay');
  }
  // Markup in the CSV is shown as text, never parsed.
  await page.fill('#rg-csv_text', 'a,y\n<img src=x onerror=alert(1)>,2\n3,4\n');
  await page.click('#rg-load');
  await page.waitForFunction(() => document.querySelector('#lab-regression .msg[data-for="csv_text"]').textContent.includes('img'));
  assert.equal(await page.locator('#lab-regression .msg img').count(), 0);
  // Another setting still runs on the data that was accepted.
  const r2 = await setField(page, '#rg-epochs', '40');
  assert.equal(r2.n, 6);
  assert.equal(r2.runs[0].epochs, 40);
  assert.deepEqual(errors, []);
  await page.close();
});

test('changing a CSV option re-reads the text in the box, not the text applied before', async () => {
  const { page, errors } = await open();
  await page.selectOption('#rg-source', 'csv');
  await page.waitForFunction(() => window.gradlab.lastRun().source === 'csv');
  await page.fill('#rg-csv_text', 'x;y\n1;1\n2;2,2\n3;2,9\n4;4,1\n');
  await page.selectOption('#rg-delimiter', 'semicolon');
  await page.selectOption('#rg-decimal', 'comma');
  await page.waitForFunction(() => window.gradlab.lastRun().n === 4);
  assert.equal(await page.textContent('#lab-regression .msg[data-for="csv_text"]'), '');
  const r = await run(page);
  assert.deepEqual(r.coefficients, ['x', 'b']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a run whose loss explodes is flagged as diverging; a batch size ≥ n is called batch GD and not run twice', async () => {
  const { page, errors } = await open();
  const r = await setField(page, '#rg-learning_rate', '1.5');
  assert.ok(r.runs.some((x) => x.warning?.startsWith('diverging')), JSON.stringify(r.runs.map((x) => [x.stop, x.loss, x.warning])));
  assert.match(await page.textContent('#rg-readout'), /diverging: loss [\d.e]+ → [\d.e+]+, lower α/);
  assert.equal(await page.locator('#rg-readout [data-warning] ').first().getAttribute('class'), 'stop-bad');
  await setField(page, '#rg-learning_rate', '0.1');
  const b = await setField(page, '#rg-batch_size', '500');
  assert.match(b.runs[0].warning, /M = 500 ≥ n = 100: this is batch GD/);
  assert.equal(b.runs.length, 1, '"+ batch GD" adds no identical second run');
  const z = await setField(page, '#rg-batch_size', '0');
  assert.deepEqual(z.runs.map((r) => r.name), ['Batch GD (α = 0.1)']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('polynomial degree 3 on generated data: coefficient table and diagnostic plots', async () => {
  const { page, errors } = await open();
  const r = await setField(page, '#rg-degree', '3');
  assert.deepEqual(r.coefficients, ['x', 'x^2', 'x^3', 'b']);
  assert.equal(r.mode, 'multi');
  assert.ok(r.data_fit);
  for (const id of ['rg-data', 'rg-predicted', 'rg-residuals']) assert.ok(await inkShare(page, id) > 0.02, `${id} drawn`);
  // Bad values get inline messages and no run.
  for (const [sel, value, field, msg] of [
    ['#rg-degree', '30', 'degree', /between 1 and 20/],
    ['#rg-learning_rate', 'abc', 'learning_rate', /not a number/],
    ['#rg-batch_size', '2.5', 'batch_size', /whole number/],
    ['#rg-n', '1', 'n', /between 2 and/],
  ]) {
    await page.fill(sel, value);
    await page.waitForFunction((f) => document.querySelector(`#lab-regression .msg[data-for="${f}"]`).textContent !== '', field);
    assert.match(await page.textContent(`#lab-regression .msg[data-for="${field}"]`), msg);
    assert.deepEqual(await run(page), r, 'no new run');
    await page.fill('#rg-degree', '3');
    await page.fill('#rg-learning_rate', '0.1');
    await page.fill('#rg-batch_size', '10');
    await page.fill('#rg-n', '100');
    await page.waitForFunction((f) => document.querySelector(`#lab-regression .msg[data-for="${f}"]`).textContent === '', field);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the epoch slider replays the runs; clicking the loss map starts from there', async () => {
  const { page, errors } = await open();
  const data0 = await canvasHash(page, 'rg-data');
  await page.fill('#rg-epoch', '1');
  await page.dispatchEvent('#rg-epoch', 'input');
  await page.waitForFunction(() => window.gradlab.lastRun().epoch === 1);
  await page.waitForTimeout(100);
  assert.notEqual(await canvasHash(page, 'rg-data'), data0, 'fitted lines at epoch 1 differ from the end');
  assert.match(await page.textContent('#rg-epoch-out'), /^1 \/ 30/);
  const before = await run(page);
  const box = await page.locator('#rg-contour').boundingBox();
  await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.3);
  await page.waitForFunction((fp) => window.gradlab.lastRun().runs[0].fingerprint !== fp, before.runs[0].fingerprint);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a 600×400 window: one column (controls, full-width plots), no inner scrolling strip, no horizontal scroll', async () => {
  const { page, errors } = await open({ width: 600, height: 400 });
  const strip = await page.evaluate(() => { const c = document.querySelector('#lab-regression .controls'); return c.scrollHeight - c.clientHeight; });
  assert.ok(strip <= 1, `the controls are not a scrolling strip (${strip}px hidden)`);
  let last = 0;
  for (const id of ['#rg-learning_rate', '#rg-data', '#rg-contour']) {
    const b = await page.locator(id).boundingBox();
    assert.ok(b && b.y >= last && b.x + b.width <= 600, `${id} below the one before: ${JSON.stringify(b)}`);
    if (id !== '#rg-learning_rate') assert.ok(b.width > 540, `${id} full width`);
    last = b.y;
  }
  const scrollW = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollW <= 600, `no horizontal scroll (${scrollW})`);
  assert.ok(await inkShare(page, 'rg-contour') > 0.1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('SGD learning-rate schedules: step and cosine decay, with a small α plot', async () => {
  const { page, errors } = await open();
  assert.equal(await page.isVisible('#rg-schedule-plot'), false);
  await page.selectOption('#rg-decay', 'cosine');
  await page.fill('#rg-decay_value', '0.1');
  await page.fill('#rg-decay_every', '20');
  await page.waitForFunction(() => window.gradlab.getState().config.solvers[0].decay.period === 20);
  assert.deepEqual((await page.evaluate(() => window.gradlab.getState())).config.solvers[0].decay, { kind: 'cosine', period: 20, min_factor: 0.1 });
  assert.ok(await page.isVisible('#rg-schedule-plot'));
  assert.ok(await inkShare(page, 'rg-schedule-plot') > 0.02);
  await page.selectOption('#rg-decay', 'step_decay');
  await page.fill('#rg-decay_value', '0.5');
  await page.fill('#rg-decay_every', '0');
  await page.waitForFunction(() => document.querySelector('#lab-regression .msg[data-for="decay_every"]').textContent !== '');
  const msg = (k) => page.textContent(`#lab-regression .msg[data-for="${k}"]`);
  assert.equal(await msg('decay_every'), 'must be a whole number from 1 to 1e6');
  assert.equal(await msg('decay_value'), '', 'the γ field is fine');
  await page.fill('#rg-decay_every', '5');
  await page.fill('#rg-decay_value', '0');
  await page.waitForFunction(() => document.querySelector('#lab-regression .msg[data-for="decay_value"]').textContent !== '');
  assert.equal(await msg('decay_value'), 'γ must be in (0, 1]');
  assert.equal(await msg('decay_every'), '');
  await page.selectOption('#rg-decay', 'cosine');
  await page.fill('#rg-decay_value', '1.5');
  await page.waitForFunction(() => document.querySelector('#lab-regression .msg[data-for="decay_value"]').textContent.includes('final fraction'));
  assert.equal(await msg('decay_value'), 'the final fraction must be in [0, 1]');
  assert.deepEqual(errors, []);
  await page.close();
});

/** Pixels of the loss map with exactly this colour. */
const colourCount = (page, rgb) => page.evaluate(([r, g, b]) => {
  const c = document.getElementById('rg-contour');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let k = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] === r && d[i + 1] === g && d[i + 2] === b) k++;
  return k;
}, rgb);

test('the epoch slider moves the tables, the update written with numbers and the mini-batch gradient fan', async () => {
  const { page, errors } = await open();
  const setEpoch = async (e) => {
    await page.fill('#rg-epoch', String(e));
    await page.dispatchEvent('#rg-epoch', 'input');
    await page.waitForFunction((k) => window.gradlab.lastRun().epoch === k, e);
    await page.waitForTimeout(100);
  };
  // At the end: the final numbers, parameters named w and b.
  const end = await run(page);
  assert.deepEqual(end.parameters, ['w', 'b']);
  assert.match(await page.textContent('#rg-readout'), /final \(w, b\)/);
  assert.deepEqual(await page.$$eval('#rg-coefs tr td:first-child', (tds) => tds.map((t) => t.textContent)), ['w', 'b']);
  const coefsEnd = await page.textContent('#rg-coefs');

  await setEpoch(1);
  const r1 = await run(page);
  assert.equal(r1.runs[0].shown.epoch, 1);
  assert.equal(r1.runs[0].shown.updates, 10, 'SGD: 10 updates in epoch 1');
  assert.notDeepEqual(r1.runs[0].shown.theta, end.runs[0].theta);
  assert.deepEqual(r1.runs[0].theta, end.runs[0].theta, 'the run itself is unchanged');
  const readout = await page.textContent('#rg-readout');
  assert.match(readout, /\(w, b\) after epoch 1/);
  // The table shows epoch 1's (w, b) of each run, not the end's.
  const cells = await page.$$eval('#rg-coefs tr', (trs) => trs.slice(1).map((tr) => [...tr.children].map((c) => c.textContent)));
  for (const [j, row] of cells.entries()) {
    assert.ok(Math.abs(Number(row[3]) - r1.runs[0].shown.theta[j]) < 1e-6, `SGD ${row[0]}: ${row[3]} vs ${r1.runs[0].shown.theta[j]}`);
    assert.ok(Math.abs(Number(row[4]) - r1.runs[1].shown.theta[j]) < 1e-6, `GD ${row[0]}`);
  }
  assert.notEqual(await page.textContent('#rg-coefs'), coefsEnd);

  // The update, written out for the first batch of epoch 1, with numbers that add up.
  const text = await page.textContent('#rg-update');
  assert.match(text, /Epoch 1, update 1 of 10 \(update 1 of the run\)/);
  assert.match(text, /M = batch size \(here M = 10\); m = number of rows \(here m = 100\)/);
  const n = (s) => Number(s.replace(/−/g, '-'));
  const g = text.match(/grad_w′ = \(2\/M\)·Σ_B zᵢ·rᵢ = \(2\/10\)·\(([−\d.e]+)\) = ([−\d.e]+)/);
  assert.ok(g, text);
  assert.ok(Math.abs(0.2 * n(g[1]) - n(g[2])) <= 1e-3 * Math.abs(n(g[2])), `${g[0]}`);
  const u = text.match(/w′ ← w′ − α·grad_w′ = ([−\d.e]+) − 0\.1·\(([−\d.e]+)\) = ([−\d.e]+)/);
  assert.ok(u, text);
  assert.equal(u[2], g[2], 'the update uses the gradient written above');
  assert.ok(Math.abs(n(u[1]) - 0.1 * n(u[2]) - n(u[3])) <= 2e-3 * Math.max(1, Math.abs(n(u[3]))), u[0]);
  assert.match(text, /the run's next point \(w, b\) = \(/);

  // The fan: pink first ray and the black full-batch ray on the map; hidden by its toggle.
  assert.ok(await colourCount(page, [255, 150, 230]) > 20, 'first batch ray drawn');
  assert.match(await page.textContent('#rg-fan-caption'), /10 mini-batch gradients .* RMS ‖∇L_B − ∇L‖ = [\d.]+·‖∇L‖, largest angle from ∇L [\d.]+°/);
  await page.uncheck('#rg-fan');
  await page.waitForTimeout(150);
  assert.equal(await colourCount(page, [255, 150, 230]), 0, 'no fan when unticked');
  await page.check('#rg-fan');
  await page.waitForTimeout(150);
  assert.ok(await colourCount(page, [255, 150, 230]) > 20);

  // Another epoch: another update.
  await setEpoch(5);
  assert.match(await page.textContent('#rg-update'), /Epoch 5, update 1 of 10 \(update 41 of the run\)/);
  assert.equal((await run(page)).runs[1].shown.updates, 5, 'batch GD: one update per epoch');
  assert.deepEqual(errors, []);
  await page.close();
});

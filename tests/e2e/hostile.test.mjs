// End-to-end: hostile input (issue 18). One validator for form, link, setState and postMessage;
// no link re-encoding on unrelated clicks; the fit lab names its data limit; a huge link is
// refused by its length. Run with the built page served:
// GRADLAB_URL=http://127.0.0.1:PORT/ node --test tests/e2e/hostile.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { launch, BASE, openPage } from './browser.mjs';

let ctx;
before(async () => { ctx = await launch(); });
after(async () => { await ctx?.close(); });

const FAR = 'start x: must be between −1e6 and 1e6 (got 1e300)';

/** A v3 link for `state` made without the page's validator (zlib + base64url, as src/lab/link.rs). */
const forgeLink = (state) => `v3.${deflateSync(Buffer.from(JSON.stringify(state))).toString('base64url')}`;

test('a start of (1e300, 1e300) is a named error through setState, postMessage, a link and the form; the page stays usable', async () => {
  const { page, errors } = await openPage(ctx);
  const state = await page.evaluate(() => window.gradlab.getState());
  const far = { ...state, config: { ...state.config, start: [1e300, 1e300] } };
  const before = await page.evaluate(() => window.gradlab.getState());

  // setState: refused with the named range, nothing changes.
  assert.equal(await page.evaluate((s) => window.gradlab.setState(s), far), FAR);
  assert.deepEqual(await page.evaluate(() => window.gradlab.getState()), before);

  // postMessage: the same verdict in the reply.
  const reply = await page.evaluate((s) => new Promise((res) => {
    window.addEventListener('message', (ev) => { if (ev.data?.type === 'gradlab:reply') res(ev.data); });
    window.postMessage({ type: 'gradlab:setState', id: 1, config: s }, '*');
  }), far);
  assert.equal(reply.ok, false);
  assert.equal(reply.error, FAR);

  // A link carrying it (forged, since the page's own encoder refuses it): a named link error,
  // and the default experiment instead.
  const link = forgeLink(far);
  await page.evaluate((l) => { location.hash = l; }, link);
  await page.waitForFunction(() => !document.getElementById('share-msg').hidden);
  const msg = await page.textContent('#share-msg .text');
  assert.ok(msg.includes(FAR), msg);
  await page.evaluate(() => window.gradlab.settled());
  assert.notDeepEqual((await page.evaluate(() => window.gradlab.getState())).config.start, [1e300, 1e300]);

  // The form: the same range, named next to the field; a later fix and edit work.
  await page.fill('#start_x', '1e300');
  await page.waitForFunction(() => document.querySelector('.msg[data-for="start_x"]').textContent !== '');
  assert.equal(await page.textContent('.msg[data-for="start_x"]'), 'must be between −1e6 and 1e6');
  await page.fill('#start_x', '0.5');
  await page.waitForFunction(() => document.querySelector('.msg[data-for="start_x"]').textContent === '');
  await page.fill('#gradient_descent-learning_rate', '0.02');
  await page.waitForFunction(() => window.gradlab.getState().config.solvers[0].learning_rate === 0.02);
  await page.evaluate(() => window.gradlab.settled());
  const after = (await page.evaluate(() => window.gradlab.getState())).config;
  assert.equal(after.start[0], 0.5);
  assert.equal((await page.evaluate(() => window.gradlab.lastRun())).solvers.length >= 1, true);
  assert.deepEqual(errors, []);
});

test('with 200 000 CSV rows loaded, clicks on the page title do not re-encode the link', async () => {
  const { page, errors } = await openPage(ctx);
  await page.click('#tab-regression');
  await page.evaluate(() => window.gradlab.settled());
  await page.selectOption('#rg-source', 'csv');
  // Put into the box (a multi-MB fill() is too slow for the test driver) and loaded.
  await page.evaluate(() => {
    const rows = ['x,y'];
    for (let i = 0; i < 200000; i++) rows.push(`${(i * 1e-3).toFixed(3)},${(2 * i * 1e-3 + (i % 7) * 0.1).toFixed(3)}`);
    document.getElementById('rg-csv_text').value = rows.join('\n');
  });
  await page.click('#rg-load');
  // The data are taken (the run reports 200 000 samples) and the link settles.
  await page.waitForFunction(() => window.gradlab.lastRun()?.n === 200000, null, { timeout: 120000 });
  await page.evaluate(() => window.gradlab.settled());
  await page.waitForTimeout(800); // past the link's 350 ms debounce (not a timing assertion)
  const count0 = await page.evaluate(() => window.gradlab.encodeCount());
  // Each click after the link's 350 ms debounce, so that each one would re-encode by itself.
  for (let i = 0; i < 5; i++) {
    await page.click('h1');
    await page.waitForTimeout(600);
  }
  const count1 = await page.evaluate(() => window.gradlab.encodeCount());
  assert.ok(count1 - count0 <= 1, `the link was encoded ${count1 - count0} times for 5 clicks on the title`);
  // A real change still updates the link.
  await page.fill('#rg-learning_rate', '0.05');
  await page.waitForFunction((c) => window.gradlab.encodeCount() > c, count1, { timeout: 60000 });
  assert.deepEqual(errors, []);
});

test('the fit lab names its data limit for a CSV with too many rows and keeps the previous fit', async () => {
  const { page, errors } = await openPage(ctx);
  await page.click('#tab-fit');
  await page.evaluate(() => window.gradlab.settled());
  const before = await page.evaluate(() => window.gradlab.getState());
  await page.selectOption('#fit-data', 'csv');
  await page.evaluate(() => window.gradlab.settled());
  await page.evaluate(() => {
    const rows = ['x,y'];
    for (let i = 0; i < 100001; i++) rows.push(`${i * 1e-3},${Math.exp(-i * 1e-5)}`);
    const box = document.getElementById('fit-csv');
    box.value = rows.join('\n');
    box.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.waitForFunction(() => document.querySelector('#lab-fit .msg[data-for="csv"]').textContent !== '', null, { timeout: 60000 });
  assert.equal(await page.textContent('#lab-fit .msg[data-for="csv"]'), 'this CSV has 100001 rows; the fit lab takes at most 100000');
  const now = await page.evaluate(() => window.gradlab.getState());
  assert.notEqual(now.config.data?.x?.length, 100001);
  assert.deepEqual(errors, []);
  assert.ok(before);
});

test('a 1 MB link fragment is refused by its length, naming the limit', async () => {
  const { page, errors } = await openPage(ctx);
  const huge = `v3.${'A'.repeat(1 << 20)}`;
  await page.evaluate((l) => { location.hash = l; }, huge);
  await page.waitForFunction(() => !document.getElementById('share-msg').hidden);
  const msg = await page.textContent('#share-msg .text');
  assert.ok(msg.includes(`the link is too long (${huge.length} characters; at most 16384)`), msg);
  // Through setState too (a link string).
  const err = await page.evaluate((l) => window.gradlab.setState(l), huge);
  // (a posted or scripted state has its own, larger limit, checked first: also named)
  assert.ok(err.includes('at most 16384') || err.includes('larger than 1 MB'), err);
  await page.evaluate(() => window.gradlab.settled());
  assert.ok(await page.evaluate(() => window.gradlab.lastRun()));
  assert.deepEqual(errors, []);
});

// The fit lab's values out of the form's ranges (src/lab/fit/catalog.rs `ranges`) or that the
// form could not show: each a named error through setState and postMessage, nothing changed.
const FIT_CASES = [
  ['noise below 0', (c) => ({ ...c, data: { ...c.data, noise: -1 } }), 'noise: must be between 0 and 1e6 (got -1)'],
  ['too many generated points', (c) => ({ ...c, data: { ...c.data, n: 100001 } }), 'number of points: must be a whole number from 1 to 1e5 (got 100001)'],
  ['x from above x to', (c) => ({ ...c, data: { ...c.data, x_range: [3, -1] } }), 'x to must be larger than x from (got 3 … -1)'],
  ['a huge true parameter', (c, np) => ({ ...c, data: { ...c.data, params: [1e300, ...Array(np - 1).fill(1)] } }), 'true parameter: must be between −1e12 and 1e12 (got 1e300)'],
  ['a huge start value', (c, np) => ({ ...c, start: { kind: 'values', values: [1, 1e300, ...Array(np - 2).fill(1)] } }), 'start value: must be between −1e12 and 1e12 (got 1e300)'],
  ['one data point', (c) => ({ ...c, data: { kind: 'points', x: [1], y: [2] } }), '1 data point: a fit needs at least 2'],
  ['a NIST start without a NIST model', (c) => ({ ...c, start: { kind: 'nist', which: 1 } }), 'a NIST start needs a NIST model'],
];

test('fit lab: out-of-range values through setState and postMessage are named errors; the form names the same range', async () => {
  const { page, errors } = await openPage(ctx);
  await page.click('#tab-fit');
  await page.evaluate(() => window.gradlab.settled());
  const state = await page.evaluate(() => window.gradlab.getState());
  assert.equal(state.lab, 'fit');
  assert.equal(state.config.data.kind, 'generated'); // as the cases assume
  const np = (await page.evaluate(() => window.gradlab.lastRun())).param_names.length;
  assert.ok(np >= 2, `${np} parameters`);
  for (const [what, edit, message] of FIT_CASES) {
    const bad = { ...state, config: edit(state.config, np) };
    assert.equal(await page.evaluate((s) => window.gradlab.setState(s), bad), message, what);
    const reply = await page.evaluate((s) => new Promise((res) => {
      const on = (ev) => { if (ev.data?.type === 'gradlab:reply' && ev.data.id === 7) { window.removeEventListener('message', on); res(ev.data); } };
      window.addEventListener('message', on);
      window.postMessage({ type: 'gradlab:setState', id: 7, config: s }, '*');
    }), bad);
    assert.deepEqual([reply.ok, reply.error], [false, message], what);
    assert.deepEqual(await page.evaluate(() => window.gradlab.getState()), state, `${what}: nothing changed`);
  }
  // The form: the same range next to the field, and a fixed value runs.
  await page.fill('#fit-noise', '-1');
  await page.waitForFunction(() => document.querySelector('#lab-fit .msg[data-for="noise"]').textContent !== '');
  assert.equal(await page.textContent('#lab-fit .msg[data-for="noise"]'), 'must be between 0 and 1e6');
  await page.fill('#fit-noise', '0.1');
  await page.waitForFunction(() => window.gradlab.getState().config.data.noise === 0.1);
  await page.evaluate(() => window.gradlab.settled());
  assert.equal((await page.evaluate(() => window.gradlab.lastRun())).lab, 'fit');
  assert.deepEqual(errors, []);
});

test('fit lab: a typed model the data cannot be generated from keeps its text, with the reason under it; the previous fit stays; a fix runs', async () => {
  const { page, errors } = await openPage(ctx);
  await page.click('#tab-fit');
  await page.evaluate(() => window.gradlab.settled());
  await page.selectOption('#fit-model', 'formula');
  await page.waitForFunction(() => window.gradlab.lastRun()?.model?.kind === 'formula');
  await page.evaluate(() => window.gradlab.settled());
  const before = await page.evaluate(() => window.gradlab.lastRun());
  // Not finite at x = 0 (the generated data start there): the worker refuses the fit.
  await page.fill('#fit-formula', 'y = a/x + b*x');
  const msg = page.locator('#lab-fit .msg[data-for="formula"]');
  await page.waitForFunction(() => /cannot generate data/.test(document.querySelector('#lab-fit .msg[data-for="formula"]').textContent));
  await page.waitForTimeout(600); // past the edit debounce and the refusal's handling
  assert.equal(await page.inputValue('#fit-formula'), 'y = a/x + b*x', 'what was typed stays');
  assert.match(await msg.textContent(), /not finite at x = 0 with the true parameters: cannot generate data/);
  assert.equal(await page.getAttribute('#fit-formula', 'aria-invalid'), 'true');
  assert.deepEqual(await page.evaluate(() => window.gradlab.lastRun()), before, 'the previous fit stays');
  // Typing on from there is not undone either, and a formula that works runs.
  await page.fill('#fit-formula', 'y = a/(x + 1) + b*x');
  await page.waitForFunction(() => window.gradlab.lastRun()?.formula?.includes('(x + 1)'));
  assert.equal(await page.inputValue('#fit-formula'), 'y = a/(x + 1) + b*x');
  assert.equal(await msg.textContent(), '');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a CSV value of 1e300 is named by row and column in both labs; the previous data and run stay', async () => {
  const { page, errors } = await openPage(ctx);
  const cases = [
    { tab: '#tab-regression', source: ['#rg-source', 'csv'], box: '#rg-csv_text', use: '#rg-load', msg: '#lab-regression .msg[data-for="csv_text"]' },
    { tab: '#tab-fit', source: ['#fit-data', 'csv'], box: '#fit-csv', msg: '#lab-fit .msg[data-for="csv"]' },
  ];
  for (const c of cases) {
    await page.click(c.tab);
    await page.evaluate(() => window.gradlab.settled());
    await page.selectOption(...c.source);
    await page.evaluate(() => window.gradlab.settled());
    const before = await page.evaluate(() => window.gradlab.lastRun());
    await page.fill(c.box, 'x,y\n1,2\n1e300,3\n3,4\n4,4.5\n');
    if (c.use) await page.click(c.use);
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('too large'), c.msg);
    assert.equal(await page.textContent(c.msg), 'row 3, column 1 ("x"): "1e300" is too large: values must be at most 1e100 in magnitude (their squares, summed over a million rows, must stay finite)');
    await page.evaluate(() => window.gradlab.settled());
    assert.deepEqual(await page.evaluate(() => window.gradlab.lastRun()), before, `${c.tab}: the previous run stays`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

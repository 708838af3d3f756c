// End-to-end: typed formulas are shown back (issue 15, item 7). In both the surfaces and the fit
// lab, the formula box echoes the parse with explicit grouping, accepts the same prefixes, points a
// caret at an error (scrolled into view on a phone), and dims the plots while the text is invalid.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, BASE } from './browser.mjs';

let ctx;
before(async () => { ctx = await launch(); });
after(async () => { await ctx?.close(); });

const text = (page, sel) => page.textContent(sel);
const until = (page, fn, arg) => page.waitForFunction(fn, arg, { timeout: 10000 });

/** What the page shows of the "stale" state of a lab: the class, the visible labels, and the
 *  opacity of its first plot canvas. */
function stale(page, lab) {
  return page.evaluate((lab) => {
    const root = document.getElementById(lab);
    const labels = [...root.querySelectorAll('.panel.plot .stale-label')]
      .filter((l) => !l.hidden && l.getBoundingClientRect().width > 0)
      .map((l) => l.textContent);
    const canvas = root.querySelector('.panel.plot canvas');
    return { on: root.classList.contains('stale'), labels, opacity: Number(getComputedStyle(canvas).opacity) };
  }, lab);
}

/** Whether the `^` of a caret drawing lies inside the drawing's visible box. */
function caretInView(page, id) {
  return page.evaluate((id) => {
    const pre = document.getElementById(id);
    const node = pre.firstChild;
    const at = node.textContent.lastIndexOf('^');
    const r = document.createRange();
    r.setStart(node, at);
    r.setEnd(node, at + 1);
    const hat = r.getBoundingClientRect();
    const box = pre.getBoundingClientRect();
    return {
      inside: hat.left >= box.left && hat.right <= box.right,
      scrolled: pre.scrollLeft,
      max: pre.scrollWidth - pre.clientWidth,
      overflow: pre.scrollWidth > pre.clientWidth,
    };
  }, id);
}

test('surfaces: the formula is read back with its grouping, prefixes are named, and invalid text dims the plots', async () => {
  const { page, errors } = await openPage(ctx, BASE);
  await page.selectOption('#surface', 'formula');
  await until(page, () => window.gradlab.lastRun().surface === 'formula');
  // The pair looks alike as typed; the echo tells them apart.
  await page.fill('#formula-input', '1/3**np.exp(-(x+1)**2 - y**2)');
  await until(page, () => document.getElementById('formula-echo').textContent.includes('1/3^'));
  assert.equal(await text(page, '#formula-echo'), 'read as: f(x, y) = 1/3^(e^(−((x + 1)²) − y²))');
  await page.fill('#formula-input', '1/3*np.exp(-(x+1)**2 - y**2)');
  await until(page, () => document.getElementById('formula-echo').textContent.includes('(1/3)'));
  assert.equal(await text(page, '#formula-echo'), 'read as: f(x, y) = (1/3)·e^(−((x + 1)²) − y²)');
  // Pasted Python: the prefix and the semicolon are named, and the formula runs.
  await page.fill('#formula-input', 'return (x - 1)**2 + -y**2 + 2*y**2;');
  await until(page, () => window.gradlab.lastRun().formula.startsWith('return'));
  assert.equal(await text(page, '#formula-echo'),
    'read as: f(x, y) = (x − 1)² + (−(y²)) + 2·y² (the leading “return” was ignored; the trailing “;” was ignored)');
  assert.deepEqual(await stale(page, 'lab-surfaces'), { on: false, labels: [], opacity: 1 });
  // A missing ')': caret under the end, no echo, plots dimmed and labelled, no new run.
  const before = await page.evaluate(() => JSON.stringify(window.gradlab.lastRun()));
  await page.fill('#formula-input', 'x**2 + (y - 1');
  await until(page, () => document.getElementById('formula-caret').textContent !== '');
  assert.equal(await text(page, '#formula-caret'), 'x**2 + (y - 1\n             ^');
  assert.equal(await text(page, '#formula-echo'), '');
  assert.equal(await page.isVisible('#formula-echo'), false);
  const dim = await stale(page, 'lab-surfaces');
  assert.equal(dim.on, true);
  assert.deepEqual(dim.labels, ['showing the last valid formula', 'showing the last valid formula', 'showing the last valid formula']);
  assert.ok(dim.opacity < 0.5, `canvas opacity ${dim.opacity}`);
  assert.equal(await page.evaluate(() => JSON.stringify(window.gradlab.lastRun())), before);
  // An unknown name gets the closest known one.
  await page.fill('#formula-input', 'np.sqr(x) + y');
  await until(page, () => /did you mean/.test(document.querySelector('#lab-surfaces .msg[data-for="formula"]').textContent));
  assert.match(await text(page, '#lab-surfaces .msg[data-for="formula"]'), /unknown function 'np\.sqr'; did you mean sqrt\?/);
  // np.square is supported and said so; applying it lifts the dimming.
  await page.fill('#formula-input', 'z = np.square(x) + y**2');
  await until(page, () => window.gradlab.lastRun().formula.startsWith('z ='));
  assert.equal(await text(page, '#formula-echo'),
    'read as: f(x, y) = x² + y² (the leading “z =” was ignored; square(u) is read as u²)');
  await until(page, () => !document.getElementById('lab-surfaces').classList.contains('stale'));
  assert.deepEqual(await stale(page, 'lab-surfaces'), { on: false, labels: [], opacity: 1 });
  assert.equal(await text(page, '#formula-caret'), '');
  assert.deepEqual(errors, []);
  await page.close();
});

test('surfaces on a phone: the caret of an error far to the right is scrolled into view', async () => {
  const { page, errors } = await openPage(ctx, BASE, { width: 390, height: 844 });
  await page.selectOption('#surface', 'formula');
  await until(page, () => window.gradlab.lastRun().surface === 'formula');
  const long = `${'(x - 1)**2 + '.repeat(8)}(y + 2`;
  await page.fill('#formula-input', long);
  await until(page, () => document.getElementById('formula-caret').textContent !== '');
  const c = await caretInView(page, 'formula-caret');
  assert.ok(c.overflow, 'the formula is wider than the box');
  assert.ok(c.scrolled > 0 && c.inside, JSON.stringify(c));
  // The page itself does not get wider than the phone.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390));
  // An error in the middle (`2x` at column 66): scrolled to it, not to the end.
  const mid = `${'(x - 1)**2 + '.repeat(5)}2x + ${'(y - 1)**2 + '.repeat(5)}1`;
  await page.fill('#formula-input', mid);
  await until(page, () => document.getElementById('formula-caret').textContent.includes('2x + (y'));
  assert.match(await text(page, '#lab-surfaces .msg[data-for="formula"]'), /column 67/);
  const m = await caretInView(page, 'formula-caret');
  assert.ok(m.inside && m.scrolled > 0 && m.scrolled < m.max, JSON.stringify(m));
  assert.deepEqual(errors, []);
  await page.close();
});

test('fit: the same prefixes and echo rules; an error dims the plots until a valid model is applied', async () => {
  const { page, errors } = await openPage(ctx, BASE);
  await page.click('.tabs [data-lab="fit"]');
  await until(page, () => window.gradlab.lab() === 'fit' && window.gradlab.lastRun()?.lab === 'fit');
  await page.selectOption('#fit-model', 'formula');
  // scipy's curve_fit style, pasted.
  await page.fill('#fit-formula', 'lambda x, a, b, c: a*np.exp(-b*x) + c');
  await until(page, () => window.gradlab.lastRun().model?.kind === 'formula' && window.gradlab.lastRun().param_names.join() === 'a,b,c');
  assert.equal(await text(page, '#fit-formula-echo'), 'read as: y = a·e^(−b·x) + c (the leading “lambda x, a, b, c:” was ignored)');
  assert.deepEqual(await stale(page, 'lab-fit'), { on: false, labels: [], opacity: 1 });
  // The issue's `return` and `y =` get the same treatment as in the surfaces lab.
  await page.fill('#fit-formula', 'return a/b/x');
  await until(page, () => document.getElementById('fit-formula-echo').textContent.includes('(a/b)/x'));
  assert.equal(await text(page, '#fit-formula-echo'), 'read as: y = (a/b)/x (the leading “return” was ignored)');
  // A missing ')': the caret points at the end; the plots are dimmed and labelled.
  await page.fill('#fit-formula', 'y = a*sin(b*x');
  await until(page, () => !document.getElementById('fit-caret').hidden);
  assert.equal(await text(page, '#fit-caret'), 'y = a*sin(b*x\n             ^');
  assert.equal(await text(page, '#fit-formula-echo'), '');
  const dim = await stale(page, 'lab-fit');
  assert.equal(dim.on, true);
  assert.equal(dim.labels.length, 4, JSON.stringify(dim)); // curve, residuals, convergence, landscape
  assert.ok(dim.labels.every((l) => l === 'showing the last valid formula'));
  assert.ok(dim.opacity < 0.5, `canvas opacity ${dim.opacity}`);
  // Fixed: the fit runs and the plots are plain again.
  await page.fill('#fit-formula', 'y = a*sin(b*x)');
  await until(page, () => window.gradlab.lastRun().param_names.join() === 'a,b');
  await until(page, () => !document.getElementById('lab-fit').classList.contains('stale'));
  assert.equal(await text(page, '#fit-formula-echo'), 'read as: y = a·sin(b·x) (the leading “y =” was ignored)');
  assert.deepEqual(await stale(page, 'lab-fit'), { on: false, labels: [], opacity: 1 });
  assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
  await page.close();
});

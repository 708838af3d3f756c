// Issue 18: large data are data, not a freeze. A 10⁶-row CSV pasted into the regression lab is
// shown as a summary (never put into the text box), read by the run in the worker with progress
// and Cancel while the page keeps drawing frames; more rows than the lab takes are named before
// any work, with "use the first N rows" or "cancel"; a bad row deep in a large file is named
// (row and column) and the previous data and run stay.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE } from './browser.mjs';

let ctx;
before(async () => { ctx = await launch(); });
after(async () => { await ctx?.close(); });

/** The regression lab, mounted and settled, with long tasks and console errors recorded. */
async function regressionLab(epochs = 0) {
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 1366, height: 800 });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longTasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: 'longtask' });
  });
  await page.goto(BASE);
  await page.evaluate(() => window.gradlab.ready);
  await page.click('#tab-regression');
  await page.evaluate(() => window.gradlab.settled());
  await page.selectOption('#rg-source', 'csv');
  await page.evaluate(() => window.gradlab.settled());
  if (epochs) {
    // 10⁶ rows × the default epochs (100 GD + 30 SGD) is more than a page run does (2·10⁷ sample
    // visits): a few SGD epochs, as a user with this much data would choose.
    await page.uncheck('#rg-compare_gd');
    await page.fill('#rg-epochs', String(epochs));
    await page.waitForFunction((e) => window.gradlab.lastRun().max_epoch === e, epochs);
    await page.evaluate(() => window.gradlab.settled());
  }
  return { page, errors };
}

/** Pastes `rows` generated rows (y = 2x + 1 + a small wiggle; `bad`: a text value in row `bad`). */
function paste(page, rows, bad = 0) {
  return page.evaluate(({ rows, bad }) => {
    const lines = ['x,y'];
    for (let i = 1; i <= rows; i++) {
      const x = i / 1000;
      lines.push(i === bad ? `${x},abc` : `${x},${2 * x + 1 + ((i * 7) % 5 - 2) * 0.01}`);
    }
    const dt = new DataTransfer();
    dt.setData('text/plain', `${lines.join('\n')}\n`);
    window.pastedAt = performance.now();
    document.getElementById('rg-csv_text').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, { rows, bad });
}

test('a 10⁶-row paste: a summary, not a 25 MB text box; read in the worker with progress while frames keep coming; the fit uses every row', async () => {
  const { page, errors } = await regressionLab(3);
  const before = await page.evaluate(() => window.gradlab.lastRun().n);
  // Frames and progress seen from the paste until the run is on screen.
  await page.evaluate(() => {
    window.seenProgress = [];
    window.frames = 0;
    window.framing = true;
    const tick = () => { window.frames++; if (window.framing) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    const bar = document.getElementById('busy-regression');
    new MutationObserver(() => {
      const p = bar.querySelector('progress');
      if (!bar.hidden && p.value > 0) window.seenProgress.push(p.value);
    }).observe(bar, { attributes: true, subtree: true, childList: true, characterData: true });
  });
  await paste(page, 1_000_000);
  const shown = await page.evaluate(() => ({
    box: document.getElementById('rg-csv_text').value.length,
    boxHidden: document.getElementById('rg-csv_text').hidden,
    summary: document.getElementById('rg-csv-big').hidden ? null : document.getElementById('rg-csv-big').textContent,
  }));
  assert.equal(shown.box, 0, 'the text box never holds the data');
  assert.equal(shown.boxHidden, true);
  assert.match(shown.summary, /1000000 rows, \d+\.\d MB/);
  assert.match(shown.summary, /x,y\s+0\.001,/, 'the first lines are shown');
  await page.waitForFunction(() => window.gradlab.lastRun().n === 1_000_000, null, { timeout: 120_000 });
  await page.evaluate(() => window.gradlab.settled());
  const m = await page.evaluate(() => {
    window.framing = false;
    const posted = performance.getEntriesByName('gradlab:posted').at(-1).startTime;
    const arrived = performance.getEntriesByName('gradlab:result').at(-1).startTime;
    const during = window.longTasks.filter((t) => t.start >= posted && t.start + t.duration <= arrived);
    return {
      ms: arrived - posted, frames: window.frames, progress: window.seenProgress,
      long: during.map((t) => Math.round(t.duration)),
      beforePost: window.longTasks.filter((t) => t.start >= window.pastedAt && t.start < posted).map((t) => Math.round(t.duration)),
      run: window.gradlab.lastRun(),
    };
  });
  console.log(`10⁶ rows: ${Math.round(m.ms)} ms in the worker, tasks before posting ${JSON.stringify(m.beforePost)} ms, progress ${JSON.stringify(m.progress.map((p) => Math.round(p * 100)))} %`);
  assert.notEqual(before, 1_000_000);
  assert.ok(m.progress.some((p) => p > 0 && p < 0.4), `reading progress was shown: ${JSON.stringify(m.progress)}`);
  const bound = Math.max(50, m.ms / 3);
  assert.deepEqual(m.long.filter((d) => d > bound), [], `no task over ${Math.round(bound)} ms while the worker read and ran: ${JSON.stringify(m.long)}`);
  assert.ok(m.frames >= Math.floor(m.ms / 100), `frames kept coming: ${m.frames} in ${Math.round(m.ms)} ms`);
  // The exact answer of these data: slope 2, intercept 1 (the wiggle averages out to ≈ 0).
  assert.ok(Math.abs(m.run.exact.theta[0] - 2) < 1e-3 && Math.abs(m.run.exact.theta[1] - 1) < 1e-2, JSON.stringify(m.run.exact.theta));
  // A click on the title re-encodes nothing: the link was decided when the data changed.
  const encodes = await page.evaluate(() => window.gradlab.encodeCount());
  for (let i = 0; i < 3; i++) await page.click('h1');
  assert.equal(await page.evaluate(() => window.gradlab.encodeCount()), encodes);
  assert.deepEqual(errors, []);
  await page.close();
});

test('more rows than the lab takes: named before any work, then "use the first N rows" runs them and "cancel" changes nothing', async () => {
  const { page, errors } = await regressionLab(3);
  const before = await page.evaluate(() => window.gradlab.lastRun());
  await paste(page, 1_000_003);
  const limit = page.locator('#rg-csv-limit');
  await limit.waitFor({ state: 'visible' });
  assert.equal(await page.textContent('#rg-csv-limit-text'), 'This CSV has 1000003 rows; the regression lab takes at most 1000000.');
  assert.equal(await page.textContent('#rg-csv-limit-use'), 'use the first 1000000 rows');
  // Nothing ran, nothing changed: no bar, the same run and data, the text box untouched.
  assert.equal(await page.isHidden('#busy-regression'), true);
  assert.deepEqual(await page.evaluate(() => window.gradlab.lastRun()), before);
  assert.equal(await page.evaluate(() => document.getElementById('rg-csv_text').value.length < 1000), true);
  await page.click('#rg-csv-limit-cancel');
  assert.equal(await limit.isHidden(), true);
  assert.deepEqual(await page.evaluate(() => window.gradlab.lastRun()), before);
  // Again, and use the first 10⁶ rows.
  await paste(page, 1_000_003);
  await limit.waitFor({ state: 'visible' });
  await page.click('#rg-csv-limit-use');
  await page.waitForFunction(() => window.gradlab.lastRun().n === 1_000_000, null, { timeout: 120_000 });
  assert.match(await page.textContent('#rg-csv-big'), /1000000 rows/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('10⁶ rows with the default epochs: the work is named on the epochs field before any run; the data stay in view to be used once fixed', async () => {
  const { page, errors } = await regressionLab();
  const before = await page.evaluate(() => window.gradlab.lastRun());
  await paste(page, 1_000_000);
  const msg = page.locator('#lab-regression .msg[data-for="epochs"]');
  await msg.waitFor({ state: 'visible' });
  // 30 epochs × 10⁶ rows × 2 runs (SGD and batch GD).
  assert.match(await msg.textContent(), /too much work for the page \(6e7 sample visits, at most 2e7\)/);
  assert.equal(await page.isHidden('#busy-regression'), true, 'nothing ran');
  assert.deepEqual(await page.evaluate(() => window.gradlab.lastRun()), before);
  assert.match(await page.textContent('#rg-csv-big'), /1000000 rows/, 'the data stay in view');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a bad value deep in large data is named by row and column; the previous data and run stay', async () => {
  const { page, errors } = await regressionLab();
  const before = await page.evaluate(() => window.gradlab.lastRun());
  const text = await page.inputValue('#rg-csv_text');
  await paste(page, 40_000, 39_999);
  const msg = page.locator('#lab-regression .msg[data-for="csv_text"]');
  await page.waitForFunction(() => document.querySelector('#lab-regression .msg[data-for="csv_text"]').textContent.length > 0, null, { timeout: 60_000 });
  assert.equal(await msg.textContent(), 'row 40000, column 2 ("y"): "abc" is not a number');
  await page.evaluate(() => window.gradlab.settled());
  assert.deepEqual(await page.evaluate(() => window.gradlab.lastRun()), before, 'the previous run stays');
  assert.equal(await page.inputValue('#rg-csv_text'), text, 'the previous data are back in view');
  assert.equal(await page.isHidden('#rg-csv-big'), true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the fit lab: a 100 005-row paste is named before any work; "use the first 100000 rows" fits them, shown as a summary', async () => {
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(BASE);
  await page.evaluate(() => window.gradlab.ready);
  await page.click('#tab-fit');
  await page.evaluate(() => window.gradlab.settled());
  await page.selectOption('#fit-data', 'csv');
  await page.evaluate(() => window.gradlab.settled());
  const before = await page.evaluate(() => window.gradlab.lastRun());
  await page.evaluate(() => {
    const lines = ['x,y'];
    for (let i = 1; i <= 100_005; i++) lines.push(`${i / 1000},${(2.5 * Math.exp(-1.3 * i / 1000) + 0.5).toFixed(6)}`);
    const dt = new DataTransfer();
    dt.setData('text/plain', `${lines.join('\n')}\n`);
    document.getElementById('fit-csv').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  await page.locator('#fit-csv-limit').waitFor({ state: 'visible' });
  assert.equal(await page.textContent('#fit-csv-limit-text'), 'This CSV has 100005 rows; the fit lab takes at most 100000.');
  assert.deepEqual(await page.evaluate(() => window.gradlab.lastRun()), before, 'nothing ran');
  await page.click('#fit-csv-limit-use');
  await page.waitForFunction(() => window.gradlab.lastRun().points === 100_000, null, { timeout: 120_000 });
  assert.equal(await page.evaluate(() => document.getElementById('fit-csv').value.length), 0);
  assert.match(await page.textContent('#fit-csv-big'), /100000 rows, \d+\.\d MB/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a heavy link (10⁵ generated samples, SGD recording 20 000 steps) opens fresh with its long paths drawn as one image each, not stroked segment by segment', async () => {
  // The link, made on a page where the experiment is set.
  const maker = await ctx.newPage();
  await maker.goto(BASE);
  await maker.evaluate(() => window.gradlab.ready);
  const link = await maker.evaluate(async () => {
    const error = await window.gradlab.setState({ lab: 'regression', config: { data: { source: 'generated', n: 100000, slope: 2, intercept: 1, noise: 1, seed: 3 } } });
    if (error) return `error: ${error}`;
    await window.gradlab.settled();
    return window.gradlab.link();
  });
  await maker.close();
  assert.match(link, /^v3\./);
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 1366, height: 800 });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // The longest path each canvas strokes during the load (lineTo calls between beginPath and
  // stroke), from the first script on.
  await page.addInitScript(() => {
    window.longestPath = {};
    let n = 0;
    const P = CanvasRenderingContext2D.prototype;
    const { beginPath, lineTo, stroke } = P;
    P.beginPath = function (...a) { n = 0; return beginPath.apply(this, a); };
    P.lineTo = function (...a) { n++; return lineTo.apply(this, a); };
    P.stroke = function (...a) { const id = this.canvas.id; window.longestPath[id] = Math.max(window.longestPath[id] ?? 0, n); return stroke.apply(this, a); };
  });
  await page.goto(`${BASE}#${link}`);
  await page.evaluate(() => window.gradlab.ready);
  await page.evaluate(() => window.gradlab.settled());
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const shown = await page.evaluate(() => {
    const s = window.gradlab.lastRun();
    // The SGD run's colour (solver 1: 255, 214, 0) on the loss map and the 3-D surface.
    const yellow = (id) => {
      const c = document.getElementById(id);
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] === 255 && d[i + 1] === 214 && d[i + 2] === 0) n++;
      return n;
    };
    return { n: s.n, contour: yellow('rg-contour'), surface: yellow('rg-surface'), longestPath: window.longestPath };
  });
  console.log('heavy link:', JSON.stringify(shown));
  assert.equal(shown.n, 100000);
  assert.ok(shown.contour > 300 && shown.surface > 100, `the SGD path is drawn: ${JSON.stringify(shown)}`);
  // Stroked as a canvas path, the SGD run's 20 000 steps would be one path of thousands of
  // segments even after thinning (≈ 15 000 here; one stroke of such a self-crossing path took the
  // browser's software rasterizer ≈ 1 s). The longest paths left on the map are contour lines.
  for (const id of ['rg-contour', 'rg-surface']) {
    assert.ok(shown.longestPath[id] > 0 && shown.longestPath[id] <= 1000, `longest path stroked on ${id}: ${shown.longestPath[id]} segments`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

// The page with its Web Worker, measured in headless Chromium (issue 14): per big run, the time
// in the worker (request → result on the page), the frames the page drew meanwhile and its long
// tasks, the page-thread time to install and draw the result; and the cancel latency (Cancel →
// previous state restored, and → the replacement worker's first result).
// Usage: with the page served (cargo xtask serve), `node bench/worker.mjs [URL]` from the repo
// root (uses tests/e2e's playwright-core and Debian's Chromium).
import { launch } from '../tests/e2e/browser.mjs';

const BASE = process.argv[2] || process.env.GRADLAB_URL || 'http://127.0.0.1:8000/';
const RUNS = [
  ['5-solver race, formula surface, ≤ 100 000 iterations', { lab: 'surfaces', config: { surface: 'formula', formula: 'np.sin(3*x)*np.cos(3*y) + 0.1*(x**2+y**2)', start: [0.3, 0.2], stop: { max_iterations: 100000, grad_tol: 1e-300 }, solvers: [{ method: 'gradient_descent', learning_rate: 0.0001 }, { method: 'momentum' }, { method: 'adam' }, { method: 'bfgs' }, { method: 'nelder_mead' }] } }],
  ['regression, 200 000 rows, batch GD + SGD', { lab: 'regression', config: { data: { source: 'generated', n: 200000, slope: 2, intercept: -1, noise: 1, seed: 7 }, solvers: [{ learning_rate: 0.05, batch_size: 0, epochs: 50, seed: 1 }, { learning_rate: 0.01, batch_size: 64, epochs: 3, seed: 1 }] } }],
  ['curve fit, 100 000 points, LM + GN + SSR landscape', { lab: 'fit', config: { model: { kind: 'builtin', id: 'exponential_decay' }, data: { kind: 'generated', n: 100000, noise: 0.02, seed: 5 }, start: { kind: 'default' }, solvers: [{ method: 'levenberg_marquardt' }, { method: 'gauss_newton' }] } }],
];

const ctx = await launch();
const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
for (const [name, state] of RUNS) {
  const rows = [];
  for (let rep = 0; rep < 3; rep++) {
    const page = await ctx.newPage();
    await page.addInitScript(() => {
      window.longTasks = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longTasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: 'longtask' });
    });
    await page.goto(BASE);
    await page.evaluate(() => window.gradlab.ready);
    await page.click(`.tabs [data-lab="${state.lab}"]`);
    await page.evaluate(() => window.gradlab.settled());
    await page.waitForTimeout(500);
    rows.push(await page.evaluate(async (s) => {
      let n = 0; let on = true;
      const tick = () => { n++; if (on) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      window.longTasks = [];
      performance.clearMarks('gradlab:result');
      const t0 = performance.now();
      await window.gradlab.setState(s);
      const t1 = performance.now();
      on = false;
      const arrived = performance.getEntriesByName('gradlab:result').at(-1).startTime;
      const before = window.longTasks.filter((t) => t.start < arrived).map((t) => t.duration);
      const after = window.longTasks.filter((t) => t.start >= arrived).map((t) => t.duration);
      return { worker: arrived - t0, draw: t1 - arrived, frames: n, longBefore: before.length ? Math.max(...before) : 0, longAfter: after.length ? Math.max(...after) : 0 };
    }, state));
    await page.close();
  }
  const f = (k) => median(rows.map((r) => r[k])).toFixed(0);
  console.log(`| ${name} | ${f('worker')} | ${f('frames')} | ${f('longBefore')} | ${f('draw')} | ${f('longAfter')} |`);
}

// Cancel latency: a slow fit, Cancel as soon as the bar shows.
const lat = [];
for (let rep = 0; rep < 3; rep++) {
  const page = await ctx.newPage();
  await page.goto(BASE);
  await page.evaluate(() => window.gradlab.ready);
  await page.click('.tabs [data-lab="fit"]');
  await page.evaluate(() => window.gradlab.settled());
  lat.push(await page.evaluate(async (s) => {
    const done = window.gradlab.setState(s);
    while (document.getElementById('busy-fit').hidden) await new Promise((r) => setTimeout(r, 10));
    const t0 = performance.now();
    document.querySelector('#busy-fit button').click();
    await done;
    const t1 = performance.now();
    await window.gradlab.setState({ lab: 'fit', config: { data: { kind: 'generated', n: 25, noise: 0.02, seed: 9 } } });
    return { cancel: t1 - t0, next: performance.now() - t1 };
  }, RUNS[2][1]));
  await page.close();
}
console.log(`cancel → previous state restored: median ${median(lat.map((l) => l.cancel)).toFixed(1)} ms; → the replacement worker's first (small) result drawn: median ${median(lat.map((l) => l.next)).toFixed(0)} ms`);
await ctx.close();

// Heavy links opened fresh (issue 18, "links apply without blocking"): per link, the time from
// navigation until the result is drawn and the page's long tasks (> 50 ms) over the whole load.
// Usage: with the page served (cargo xtask serve), `node bench/links.mjs [URL]` from the repo
// root (uses tests/e2e's playwright-core and Debian's Chromium). Each link is made on a first
// page with gradlab.setState, then opened 3 times in a new tab of the same browser.
import { launch } from '../tests/e2e/browser.mjs';

const BASE = process.argv[2] || process.env.GRADLAB_URL || 'http://127.0.0.1:8000/';
const LINKS = [
  ['regression, 10⁵ generated samples (GD 100 epochs + SGD M = 10, 20 000 recorded steps)', { lab: 'regression', config: { data: { source: 'generated', n: 100000, slope: 2, intercept: 1, noise: 1, seed: 3 } } }],
  ['curve fit, 10⁵ generated points (LM + GN)', { lab: 'fit', config: { model: { kind: 'builtin', id: 'exponential_decay' }, data: { kind: 'generated', n: 100000, noise: 0.02, seed: 5 }, start: { kind: 'default' }, solvers: [{ method: 'levenberg_marquardt' }, { method: 'gauss_newton' }] } }],
  ['5-solver race on a formula surface, ≤ 100 000 iterations each', { lab: 'surfaces', config: { surface: 'formula', formula: 'np.sin(3*x)*np.cos(3*y) + 0.1*(x**2+y**2)', start: [0.3, 0.2], stop: { max_iterations: 100000, grad_tol: 1e-300 }, solvers: [{ method: 'gradient_descent', learning_rate: 0.0001 }, { method: 'momentum' }, { method: 'adam' }, { method: 'bfgs' }, { method: 'nelder_mead' }] } }],
];

const ctx = await launch();
const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
console.log('| link | load → drawn, ms (median of 3) | long tasks > 50 ms per load (ms, each run) | longest task, ms |');
console.log('|---|---|---|---|');
for (const [name, state] of LINKS) {
  const maker = await ctx.newPage();
  await maker.goto(BASE);
  await maker.evaluate(() => window.gradlab.ready);
  const link = await maker.evaluate(async (s) => {
    const error = await window.gradlab.setState(s);
    if (error) throw new Error(error);
    await window.gradlab.settled();
    return window.gradlab.link();
  }, state);
  await maker.close();
  const loads = [];
  for (let rep = 0; rep < 3; rep++) {
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.addInitScript(() => {
      window.longTasks = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longTasks.push(Math.round(e.duration)); }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${BASE}#${link}`);
    await page.evaluate(() => window.gradlab.ready);
    await page.evaluate(() => window.gradlab.settled());
    const drawn = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now())))));
    await page.waitForTimeout(1000);
    loads.push({ drawn, tasks: await page.evaluate(() => window.longTasks) });
    await page.close();
  }
  const all = loads.flatMap((l) => l.tasks);
  console.log(`| ${name} | ${Math.round(median(loads.map((l) => l.drawn)))} | ${loads.map((l) => `[${l.tasks.join(', ')}]`).join(' ')} | ${Math.max(0, ...all)} |`);
}
await ctx.close();

// Frame times of the page's interactions, as a person drags (issue 13): headless Chromium, DPR 2,
// 1366×800. Each figure is the duration of one requestAnimationFrame callback (all the drawing an
// input caused is done in rAF callbacks: www/labs/*.js drawSoon / playback.js), per frame.
//   node bench/frames.mjs [URL] [--profile] [--only=<part of a row name>]
// --profile also prints where the time of the interactions went (CPU profile, self time).
import { launch } from '../tests/e2e/browser.mjs';

const BASE = process.argv[2]?.startsWith('http') ? process.argv[2] : (process.env.GRADLAB_URL || 'http://127.0.0.1:8000/');
const PROFILE = process.argv.includes('--profile');
const ONLY = process.argv.find((a) => a.startsWith('--only='))?.slice(7);

const ctx = await launch({ deviceScaleFactor: 2, viewport: { width: 1366, height: 800 } });

/** Wraps requestAnimationFrame so each callback's duration is recorded. */
function instrument() {
  window.frameTimes = [];
  window.longTasks = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longTasks.push(e.duration); }).observe({ type: 'longtask' });
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf((t) => {
    const t0 = performance.now();
    cb(t);
    window.frameTimes.push(performance.now() - t0);
  });
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN; };
const rows = [];

async function measure(name, setup, act) {
  if (ONLY && !name.includes(ONLY)) return;
  const page = await ctx.newPage();
  await page.addInitScript(instrument);
  await page.goto(BASE);
  await page.evaluate(() => window.gradlab.ready);
  await setup(page);
  await page.evaluate(() => window.gradlab.settled());
  await page.waitForTimeout(500);
  let cdp;
  if (PROFILE) { cdp = await ctx.newCDPSession(page); await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); await cdp.send('Profiler.start'); }
  await page.evaluate(() => { window.frameTimes = []; window.longTasks = []; });
  await act(page);
  await page.waitForTimeout(300);
  const t = await page.evaluate(() => window.frameTimes.filter((x) => x > 0.05));
  const long = await page.evaluate(() => window.longTasks.length);
  rows.push([name, t.length, pct(t, 0.5), pct(t, 0.95), Math.max(...t), long]);
  if (PROFILE) {
    const { profile } = await cdp.send('Profiler.stop');
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const counts = new Map();
    for (const s of profile.samples) counts.set(s, (counts.get(s) || 0) + 1);
    const self = new Map();
    for (const [id, c] of counts) { const n = byId.get(id); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}`; self.set(k, (self.get(k) || 0) + c); }
    const interval = (profile.endTime - profile.startTime) / profile.samples.length / 1000;
    console.log(`\n== ${name}: self time (ms)`);
    console.log([...self].filter(([k]) => !/^\((idle|program|garbage collector)\)/.test(k)).sort((a, b) => b[1] - a[1]).slice(0, 18).map(([k, c]) => `${(c * interval).toFixed(1).padStart(8)}  ${k}`).join('\n'));
  }
  await page.close();
}

async function drag(page, sel, dx, dy, steps = 30, mods = []) {
  // Below the fold (the regression lab's surface at 1366×800) the mouse would miss it.
  await page.locator(sel).scrollIntoViewIfNeeded();
  const box = await page.locator(sel).boundingBox();
  const x = box.x + box.width * 0.45, y = box.y + box.height * 0.5;
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(x + (dx * i) / steps, y + (dy * i) / steps);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  }
  await page.mouse.up();
}

async function wheelZoom(page, sel, notches = 12) {
  const box = await page.locator(sel).boundingBox();
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5);
  await page.keyboard.down('Control');
  for (let i = 0; i < notches; i++) {
    await page.mouse.wheel(0, i < notches / 2 ? -100 : 100);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  }
  await page.keyboard.up('Control');
}

const RACE = { lab: 'surfaces', config: { surface: 'peaks', start: [-0.2, -0.6], solvers: [{ method: 'gradient_descent' }, { method: 'momentum' }, { method: 'adam' }, { method: 'bfgs' }, { method: 'nelder_mead' }] } };
const noop = async () => {};
const race = async (p) => { await p.evaluate((s) => window.gradlab.setState(s), RACE); };
const grid100 = async () => {};

await measure('pan the contour map, 1 solver', noop, (p) => drag(p, '#contour', 160, 90));
await measure('pan the contour map, 5 solvers', race, (p) => drag(p, '#contour', 160, 90));
await measure('Ctrl+wheel zoom the map (per notch)', race, (p) => wheelZoom(p, '#contour'));
await measure('rotate the 3-D surface', grid100, (p) => drag(p, '#surface3d', 200, 60));
await measure('playback of a 5-solver race at 30/s', race, async (p) => {
  await p.evaluate(() => { window.gradlab.setStep?.(0); document.getElementById('pb-speed').value = '30'; document.getElementById('pb-play').click(); });
  await p.waitForTimeout(2500);
  await p.evaluate(() => document.getElementById('pb-play').click());
});
const playFor = (btn, speedSel, speed, ms) => async (p) => {
  await p.evaluate(([b, sel, v]) => { const s = document.getElementById(sel); if (s) s.value = String(v); document.getElementById(b).click(); }, [btn, speedSel, speed]);
  await p.waitForTimeout(ms);
  await p.evaluate((b) => document.getElementById(b).click(), btn);
};
await measure('rotate the regression loss surface', async (p) => { await p.click('.tabs [data-lab="regression"]'); }, (p) => drag(p, '#rg-surface', 200, 60));
await measure('regression playback at 60 epochs/s', async (p) => {
  await p.click('.tabs [data-lab="regression"]');
  await p.evaluate(() => window.gradlab.setState({ lab: 'regression', config: { solvers: [{ learning_rate: 0.05, batch_size: 0, epochs: 200, seed: 1 }, { learning_rate: 0.01, batch_size: 8, epochs: 200, seed: 1 }] } }));
}, playFor('rg-playbtn', 'rg-speed', 60, 2500));
await measure('regression playback, 10⁵ samples (SGD path of 20 000 recorded steps, drawn as one image) at 10 epochs/s', async (p) => {
  await p.click('.tabs [data-lab="regression"]');
  await p.evaluate(() => window.gradlab.setState({ lab: 'regression', config: { data: { source: 'generated', n: 100000, slope: 2, intercept: 1, noise: 1, seed: 3 } } }));
  await p.evaluate(() => window.gradlab.settled());
}, playFor('rg-playbtn', 'rg-speed', 10, 2500));
await measure('step the fit lab (playback at 30/s)', async (p) => { await p.click('.tabs [data-lab="fit"]'); }, playFor('fit-play', 'fit-speed', 30, 2500));

// First plot after navigation, cold cache: a fresh browser profile each time; `ready` resolves
// once the first lab has drawn its default run (ms since navigation start).
if (!ONLY || 'first plot'.includes(ONLY)) {
  const times = [];
  for (let i = 0; i < 3; i++) {
    const cold = await launch({ deviceScaleFactor: 2, viewport: { width: 1366, height: 800 } });
    const page = await cold.newPage();
    await page.goto(BASE);
    times.push(await page.evaluate(() => window.gradlab.ready.then(() => performance.now())));
    await cold.close();
  }
  rows.push(['first plot drawn after navigation, cold cache (ms since navigation start; 3 fresh profiles)', 3, pct(times, 0.5), pct(times, 0.95), Math.max(...times), '–']);
}

console.log('\n| interaction | frames | median ms | p95 ms | max ms | long tasks (> 50 ms) |\n|---|---|---|---|---|---|');
for (const [n, k, m, p95, mx, long] of rows) console.log(`| ${n} | ${k} | ${m.toFixed(1)} | ${p95.toFixed(1)} | ${mx.toFixed(1)} | ${long} |`);
await ctx.close();

// The wasm half of the issue-5 benchmark: one batch-GD epoch and one SGD epoch (M = 32) on
// 10⁶ samples × 10 features, timed inside headless Chromium on the served page.
//   cargo xtask build   (release)   then serve www/ and:
//   GRADLAB_URL=http://127.0.0.1:PORT/ node tests/e2e/bench_regression.mjs [n] [d] [reps]
// Prints one JSON line: {n, d, reps, stream_ms, gd_ms, sgd_in_order_ms, sgd_batches_ms, sgd_samples_ms, ...}
// (medians; `stream_ms` = one pass summing every value, the memory-bandwidth baseline).
import { launch, BASE } from './browser.mjs';

const [n, d, reps] = [Number(process.argv[2] || 1e6), Number(process.argv[3] || 10), Number(process.argv[4] || 15)];
const ctx = await launch();
const page = await ctx.newPage();
page.on('pageerror', (e) => console.error(`page error: ${e}`));
await page.goto(BASE);
await page.evaluate(() => window.gradlab.ready);
const out = await page.evaluate(async ([n, d, reps]) => {
  const m = await import('./pkg/gradlab.js');
  return m.bench_regression_epochs(n, d, 1, reps);
}, [n, d, reps]);
console.log(JSON.stringify({ ...out, user_agent: await page.evaluate(() => navigator.userAgent) }));
await ctx.close();

// End-to-end: gradlab's Content-Security-Policy (issue 18). The page and the tutorial carry a
// strict policy in a <meta> (scripts and the worker from the page's origin only, WebAssembly
// allowed, no inline scripts, handlers or styles). The policy is in force (an injected inline
// script does not run), and using the page — three labs, a basin map, a PNG export, embed mode, the
// tutorial with its embeds — violates nothing. (browser.mjs turns every violation in every frame
// into a console error, so all the other suites check it too.)
// Run with the built page served: GRADLAB_URL=http://127.0.0.1:PORT/ node --test tests/e2e/csp.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE } from './browser.mjs';

let ctx;
before(async () => { ctx = await launch({ acceptDownloads: true }); });
after(async () => { await ctx?.close(); });

async function open(url) {
  const page = await ctx.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  return { page, errors };
}

test('the policy is in force: an injected inline script and an inline style do nothing, and are reported', async () => {
  const { page, errors } = await open(BASE);
  await page.evaluate(() => window.gradlab.ready);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
  const r = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.injected = 1';
    document.body.append(s);
    const p = document.createElement('p');
    p.setAttribute('style', 'color: rgb(255, 0, 0)');
    document.body.append(p);
    await new Promise((r) => setTimeout(r, 50));
    return { injected: window.injected ?? null, color: getComputedStyle(p).color };
  });
  assert.equal(r.injected, null, 'the inline script did not run');
  assert.notEqual(r.color, 'rgb(255, 0, 0)', 'the inline style was not applied');
  assert.ok(errors.some((e) => /CSP violation: script-src/.test(e)), errors.join('\n'));
  assert.ok(errors.some((e) => /CSP violation: style-src/.test(e)), errors.join('\n'));
  await page.close();
});

test('using the page violates nothing: three labs, the worker, a basin map, a PNG export, embed mode', async () => {
  const { page, errors } = await open(BASE);
  await page.evaluate(() => window.gradlab.ready);
  assert.ok((await page.evaluate(() => window.gradlab.worker())).ok, 'the worker runs under the policy');
  await page.click('#basin-btn');
  await page.waitForFunction(() => document.getElementById('basin-status').textContent.includes('starts'), null, { timeout: 60000 });
  await page.click('#export-menu summary');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="png"]')]);
  assert.match(dl.suggestedFilename(), /\.png$/);
  for (const lab of ['regression', 'fit', 'surfaces']) {
    await page.click(`.tabs [data-lab="${lab}"]`);
    await page.evaluate(() => window.gradlab.settled());
  }
  const embed = (await open(`${BASE}?embed`)).page;
  await embed.evaluate(() => window.gradlab.ready);
  await embed.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test('the tutorial and its embeds violate nothing', async () => {
  const { page, errors } = await open(`${BASE}tutorial/`);
  await page.setViewportSize({ width: 390, height: 844 });
  for (let y = 0; y < 30; y++) {
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(120);
  }
  await page.waitForTimeout(1500);
  const frames = page.frames().filter((f) => f !== page.mainFrame());
  assert.ok(frames.length >= 3, `the embeds loaded: ${frames.length}`);
  assert.deepEqual(errors.filter((e) => /CSP/.test(e)), []);
  await page.close();
});

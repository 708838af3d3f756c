// End-to-end: permalinks, embeds, the scripting/postMessage API and exports in headless Chromium.
// Run with the built page served: GRADLAB_URL=http://127.0.0.1:PORT/ node --test tests/e2e/share.test.mjs
// The embed test page tests/embed-test.html is routed by Playwright to BASE/embed-test.html (same
// origin as the page), so the static server needs no change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launch, BASE, openPage, inkShare } from './browser.mjs';

// Pinned links and the fingerprints of their native runs: tests/link.rs PINNED (the native runner
// `gradlab --fingerprint LINK` prints the same). Equal fingerprints = bit-identical trajectories.
const DEFAULT_LINK = 'v1.eNpNT9tuwyAM_Reek4iuax_yK9OEXHBStAQyQtpEEf--426rygPYPj4XdjXQRbVqXlJHlmdVKRtD53vV7v9DwBPTl2BzppRV-1Hr5q3Cdf7ELA43TjOmuxo5X6MDoU_kPIdsHM8WL7gDUwo-9CZRhqZu9KkIPcdJzEZajc8M0McAtaPW1UPG5Dio9sD1WZZ5-u1Br1T3UjuPFD0Hy-YSl4AQB_13Gl2qZyKEo0DDlr1FqO-FnFhag287L95CFMGb57sEkxeSq9SrGT0W6qMsoCFMH_X2CmxPAL4b3SUhwk8-26vU76dSyg8xG3ie';
const ROSENBROCK_LINK = 'v1.eNpVUttugzAM_Zc8U0SYpq38yjRFhhgaLSQsMb2s4t9nQ9t1vGAf-xzfclUeWtWoPKceOsyqUF0MvRtUc72DHE4xY2hT7L44IRMkUs3HTpd1ocvqk6Hoj5gyg1c1Ih2iZVLbD6ueVk1VVlWl2a7F3i_FUxpYGDnNI6TgwmASEK6MulAtEqz0_WZv9D17OGXnY1CNxt37P72A3mIyI4JlWRccOfAmu59VtX4t1NlQ9BuzUP3D0a-LjEJxkuFHOBtHyN24GHiymico1JDAPrMz4bT53PBDbLWt45UMGDo0bZwDt6ar21dWyyblMJCsYKY4cqGOG_6ewUrRzvAhrJPqwhTFo8OTtCZ_1jyLfTaj44RdLQnsAKOrfbkF9M2RwMta-AKsoks-x-SoO0i7bwvjOLZoRXPykeSW8hQozml7FPdp1OfqUopekmRlh3gyfxClGW9g4iPEme6YzDl5uKimB59xWX4BjV7MJw';
const ROSENBROCK_FINGERPRINTS = ['1d5abf514e5de4df', '7225cbd2dd4a7c72', '649810a66abc2b6e'];
const DEFAULT_FINGERPRINT = 'ebf5f1b9b60851c3';
// tests/link.rs PINNED_V1_MOMENTUM / PINNED_V2[1]: one regression experiment (SGD + momentum with
// exponential decay, batch GD + momentum); the v1 link replays v1's update rules, v2 the solver core's.
const MOMENTUM_PAYLOAD = 'eNq1kN1uwyAMhd_F12mVtPvlVaYJucFN0cBGQKZ2Vd59JtKkTtpFb8YNP-cYf8dXCHgAA5mmTKV4YehgFD76CcwVHFZse5E5j6S-iZgyVnJqYzC7vu-gBEmqbYbtYweeK6k1VTD7rYosvqjYN-1so9eiza4JesEzmId2LqQfmuelgyThwhI9BusakpYOvz6teSYtqMgOs_NfdPOUVec5BL1I-KRcwLxdIRBm9jzZxt1IekU5YB1Ptqz1w1MHlGQ8lRboh2avh9N8PIYWu2BMgYqGdjTipY3kw7O6gM5JmLgqsaoTxoitx6tmkVR91A75xh4lqnmO6j1QXa0vap0yOlslrHgd6GRsplGyI2dLpbSS6Vq6O_L0f8UZ7ovDGgb-if19Wb4BQljLCg';
const MOMENTUM_V1_FINGERPRINTS = ['802b46abc6e83ba6', '7d20d42f7cb4ab65', '42525a9b9d56864a', '78549e637e9da34b'];
const MOMENTUM_V2_FINGERPRINTS = ['b85d06e68898c25a', 'e52728e3f786649d', '4c56b3a4d37e8492', '083898a6ea414410'];

let ctx;
before(async () => {
  ctx = await launch();
  const page = readFileSync(fileURLToPath(new URL('../embed-test.html', import.meta.url)), 'utf8');
  await ctx.route(`${BASE}embed-test.html`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: page }));
});
after(async () => { await ctx?.close(); });

const open = (url = BASE, viewport) => openPage(ctx, url, viewport);
const hash = (page) => page.evaluate(() => location.hash.slice(1));

test('opening a link reproduces the experiment bit for bit (same fingerprints as the native runner)', async () => {
  const { page, errors } = await open(`${BASE}#${ROSENBROCK_LINK}`);
  const run = await page.evaluate(() => window.gradlab.lastRun());
  assert.equal(run.surface, 'rosenbrock');
  assert.deepEqual(run.start, [-1.2, 1]);
  assert.deepEqual(run.solvers.map((s) => s.solver), ['BFGS', 'Adam', 'Nelder–Mead']);
  assert.deepEqual(await page.evaluate(() => window.gradlab.fingerprints()), ROSENBROCK_FINGERPRINTS);
  assert.equal(await page.inputValue('#surface'), 'rosenbrock');
  assert.equal(await page.inputValue('#adam-learning_rate'), '0.02');
  // The page's own link for this state (the pinned link is an older v1 encoding of it: configs
  // have gained defaulted fields since) reproduces the same run, and so does the config by script.
  const own = await page.evaluate(() => window.gradlab.link());
  assert.ok(own.startsWith('v3.'));
  const state = await page.evaluate(() => window.gradlab.getState());
  const fresh = await open();
  assert.equal(await fresh.page.evaluate((s) => window.gradlab.setState(s), state), null);
  assert.deepEqual(await fresh.page.evaluate(() => window.gradlab.lastRun()), run);
  assert.equal(await fresh.page.evaluate((l) => window.gradlab.setState(l), own), null);
  assert.deepEqual(await fresh.page.evaluate(() => window.gradlab.fingerprints()), ROSENBROCK_FINGERPRINTS);
  // And the default page's trajectory is the pinned native one.
  const def = await open();
  assert.deepEqual(await def.page.evaluate(() => window.gradlab.fingerprints()), [DEFAULT_FINGERPRINT]);
  assert.equal(await hash(def.page), await def.page.evaluate(() => window.gradlab.link()));
  // The pinned default link opens the same default run.
  assert.equal(await def.page.evaluate((l) => window.gradlab.setState(l), DEFAULT_LINK), null);
  assert.deepEqual(await def.page.evaluate(() => window.gradlab.fingerprints()), [DEFAULT_FINGERPRINT]);
  assert.deepEqual([...errors, ...fresh.errors, ...def.errors], []);
  for (const p of [page, fresh.page, def.page]) await p.close();
});

test('a v1 regression link replays v1 momentum in the browser, also after the page re-shares it as v2', async () => {
  const { page, errors } = await open(`${BASE}#v1.${MOMENTUM_PAYLOAD}`);
  assert.deepEqual(await page.evaluate(() => window.gradlab.fingerprints()), MOMENTUM_V1_FINGERPRINTS);
  assert.match(await page.textContent('#rg-formula'), /gradlab v1's rule/);
  const own = await page.evaluate(() => window.gradlab.link());
  assert.ok(own.startsWith('v3.'));
  const again = await open(`${BASE}#${own}`);
  assert.deepEqual(await again.page.evaluate(() => window.gradlab.fingerprints()), MOMENTUM_V1_FINGERPRINTS);
  // The same payload as a v2 link: the solver core's rule, as the native runner computes it.
  const now = await open(`${BASE}#v2.${MOMENTUM_PAYLOAD}`);
  assert.deepEqual(await now.page.evaluate(() => window.gradlab.fingerprints()), MOMENTUM_V2_FINGERPRINTS);
  assert.match(await now.page.textContent('#rg-formula'), /v ← 0\.8·v − α·g, \(w, b\) ← \(w, b\) \+ v/);
  assert.deepEqual([...errors, ...again.errors, ...now.errors], []);
  for (const p of [page, again.page, now.page]) await p.close();
});

test('the iteration, epoch or record on show travels in the link (all three labs)', async () => {
  const { page, errors } = await open();
  await page.evaluate(() => window.gradlab.current().setStep(5));
  await page.waitForFunction(() => window.gradlab.getState().step === 5);
  const link = await page.evaluate(() => window.gradlab.link());
  const again = await open(`${BASE}#${link}`);
  assert.equal(await again.page.evaluate(() => window.gradlab.current().step()), 5);
  assert.equal(await again.page.textContent('#pb-k'), await page.textContent('#pb-k'));
  // At the end of the run there is no step in the link.
  await page.evaluate(() => window.gradlab.current().setStep(1e9));
  assert.equal(await page.evaluate(() => window.gradlab.getState().step), undefined);
  // Regression: the epoch slider.
  await page.click('.tabs [data-lab="regression"]');
  await page.waitForFunction(() => window.gradlab.lastRun()?.lab === 'regression');
  await page.evaluate(() => { const s = document.querySelector('#rg-epoch'); s.value = '3'; s.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.waitForFunction(() => window.gradlab.getState().step === 3);
  const reg = await open(`${BASE}#${await page.evaluate(() => window.gradlab.link())}`);
  assert.equal(await reg.page.inputValue('#rg-epoch'), '3');
  assert.match(await reg.page.textContent('#rg-epoch-out'), /^3 \//);
  // Curve fitting: the record slider.
  await page.click('.tabs [data-lab="fit"]');
  await page.waitForFunction(() => window.gradlab.lastRun()?.lab === 'fit');
  await page.evaluate(() => { const s = document.querySelector('#fit-step'); s.value = '2'; s.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.waitForFunction(() => window.gradlab.getState().step === 2);
  const fit = await open(`${BASE}#${await page.evaluate(() => window.gradlab.link())}`);
  assert.equal(await fit.page.inputValue('#fit-step'), '2');
  assert.match(await fit.page.textContent('#fit-step-label'), /^record 2 of/);
  assert.deepEqual([...errors, ...again.errors, ...reg.errors, ...fit.errors], []);
  for (const p of [page, again.page, reg.page, fit.page]) await p.close();
});

test('a v1 Rastrigin link keeps v1\'s automatic gradient in the browser; v2 uses the analytic one (native fingerprints)', async () => {
  const P = 'eNpdUdFuwyAM_BeeaUTSbdLyK9OEXHASawQ6IGujKv8-u92qbrxgfPbd2VxUgIPqVVnyAA6L0sqlONCo-stvkuEMpWYaKTJeKuSq-rd90-ld17TvnErhC3Ph5EXNWKfkuWfM4AljtR6L45tbA0KOFEeboTKtaYzpNv3QE_FUk4i49gabVquZoi0TDfWWav90HIax_Kt3ncSvmxir6SiTzHC2VJFlKUX2uTdGXw3amoLqW9y9SDEeb29m0mp4iD3xfCNGh_aQlsjCrfk5jdn0fVY2BBHCWsmxqc8FvEg6yzv1JNrSeCVPeV4CcL1s1E3ol4Di9IOEXT6B98yETP5FeBJIbpY_S3y2vBXV7_ZCxg_g7DVeH4H1DjDNCieZhgc9UnWTxE_P27Z9A0Baofc';
  const { page, errors } = await open(`${BASE}#v1.${P}`);
  assert.deepEqual(await page.evaluate(() => window.gradlab.fingerprints()), ['d8e18de68775301d', '2bb9b10c3f24a5b7', '3922982e2d490b5d']);
  assert.equal(await page.inputValue('#gradient'), 'automatic');
  assert.equal(await page.evaluate((l) => window.gradlab.setState(l), `v2.${P}`), null);
  assert.deepEqual(await page.evaluate(() => window.gradlab.fingerprints()), ['0feb9ed27588867c', 'd2bc1e09511d3aa0', '495a57b46877cbf0']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('changing a control updates the URL (replaceState, no history entries); reloading restores it', async () => {
  const { page, errors } = await open();
  const before = await hash(page);
  const historyLength = await page.evaluate(() => history.length);
  await page.fill('#gradient_descent-learning_rate', '0.01');
  await page.fill('#start_x', '0.3');
  await page.waitForFunction((h) => location.hash.slice(1) !== h && window.gradlab.getState().config.start[0] === 0.3, before);
  await page.waitForTimeout(500);
  const after = await hash(page);
  assert.notEqual(after, before);
  assert.match(after, /^v3\.[A-Za-z0-9_-]+$/);
  assert.ok(after.length < 2000, `link length ${after.length}`);
  assert.equal(await page.evaluate(() => history.length), historyLength, 'no history spam');
  const state = await page.evaluate(() => window.gradlab.getState());
  const run = await page.evaluate(() => window.gradlab.lastRun());
  await page.reload();
  await page.evaluate(() => window.gradlab.ready);
  assert.deepEqual(await page.evaluate(() => window.gradlab.getState()), state);
  assert.deepEqual(await page.evaluate(() => window.gradlab.lastRun()), run);
  assert.equal(await page.inputValue('#gradient_descent-learning_rate'), '0.01');
  assert.equal(await hash(page), after);
  assert.deepEqual(errors, []);
  await page.close();
});

test('bad links open the default experiment with a visible message, never markup', async () => {
  const probe = await open();
  const good = await probe.page.evaluate(() => window.gradlab.link());
  await probe.page.close();
  const cases = [
    ['garbage', 'hello-world', /not a gradlab link/],
    ['truncated', ROSENBROCK_LINK.slice(0, 120), /cut off/],
    ['wrong version', ROSENBROCK_LINK.replace('v1.', 'v7.'), /version “v7”/],
    ['damaged', 'v1.abc$%3Cimg%20src=x%20onerror=alert(1)%3E', /damaged/],
    ['markup', '%3Cimg%20src=x%20onerror=alert(1)%3E', /not a gradlab link/],
  ];
  for (const [what, link, message] of cases) {
    const { page, errors } = await open(`${BASE}#${link}`);
    const box = page.locator('#share-msg');
    assert.ok(await box.isVisible(), `${what}: message shown`);
    assert.equal(await box.getAttribute('data-kind'), 'error');
    assert.match(await box.textContent(), message, what);
    assert.match(await box.textContent(), /default experiment/);
    assert.equal(await page.locator('#share-msg img, body > img').count(), 0, `${what}: no markup`);
    const run = await page.evaluate(() => window.gradlab.lastRun());
    assert.equal(run.surface, 'peaks', what);
    assert.ok(Math.abs(run.solvers[0].f + 6.551133) < 1e-6, `${what}: default run`);
    assert.ok(await inkShare(page, 'contour') > 0.3, `${what}: drawn`);
    assert.deepEqual(errors, [], what);
    await page.close();
  }
  // A link with out-of-range numbers (built by the real encoder: huge iteration count) is refused too.
  const { page } = await open();
  const err = await page.evaluate(() => window.gradlab.setState({ lab: 'surfaces', config: { stop: { max_iterations: 1e9 } } }));
  assert.match(err, /max iterations/);
  assert.match(await page.evaluate(() => window.gradlab.setState({ solvers: [{ method: 'adam', beta1: 7 }] })), /beta1/);
  assert.equal(await hash(page), good, 'refused states do not touch the URL');
  await page.close();
});

test('window.gradlab: getState / setState / run', async () => {
  const { page, errors } = await open();
  const s = await page.evaluate(() => window.gradlab.getState());
  assert.equal(s.lab, 'surfaces');
  s.config.solvers[0].learning_rate = 0.02;
  assert.equal(await page.evaluate((s) => window.gradlab.setState(s), s), null);
  assert.equal(await page.inputValue('#gradient_descent-learning_rate'), '0.02');
  const run = await page.evaluate(() => window.gradlab.run());
  assert.equal(run.solvers[0].stop, 'gradient_tolerance');
  assert.match(await page.evaluate(() => window.gradlab.setState('not a link')), /not a gradlab link/);
  assert.match(await page.evaluate(() => window.gradlab.setState(42)), /expected a config object/);
  assert.equal(await page.evaluate((l) => window.gradlab.setState(l), ROSENBROCK_LINK), null);
  assert.equal((await page.evaluate(() => window.gradlab.lastRun())).surface, 'rosenbrock');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the embed test page renders both iframes independently; postMessage setState works', async () => {
  const { page, errors } = await (async () => {
    const p = await ctx.newPage();
    const errs = [];
    p.on('console', (m) => { if (m.type() === 'error') errs.push(m.text()); });
    p.on('pageerror', (e) => errs.push(String(e)));
    await p.goto(`${BASE}embed-test.html`);
    return { page: p, errors: errs };
  })();
  await page.waitForFunction(() => window.readyFrames.length === 2, null, { timeout: 20000 });
  const [peaksFrame, rosFrame] = await Promise.all(['#peaks', '#rosenbrock'].map(async (sel) => (await page.$(sel)).contentFrame()));
  // Embed mode: no page chrome, an "Open in gradlab" link to the full page with the same state.
  for (const f of [peaksFrame, rosFrame]) {
    assert.equal(await f.evaluate(() => document.querySelector('header.top').offsetParent), null);
    const href = await f.getAttribute('.open-full', 'href');
    const h = await f.evaluate(() => location.hash.slice(1));
    assert.ok(href.endsWith(`/#${h}`) && !href.includes('embed'), href);
  }
  // First embed: peaks, drawn, fits 600×400 (the contour map is visible without scrolling).
  assert.equal((await peaksFrame.evaluate(() => window.gradlab.lastRun())).surface, 'peaks');
  assert.ok(await inkShare(peaksFrame, 'contour') > 0.3);
  const box = await peaksFrame.evaluate(() => { const b = document.getElementById('contour').getBoundingClientRect(); return [b.top, b.bottom, document.documentElement.scrollWidth]; });
  assert.ok(box[0] < 200 && box[2] <= 600, `contour at ${box}`);
  // Second embed: Rosenbrock, only the contour and convergence plots, waiting for "Run".
  assert.equal((await rosFrame.evaluate(() => window.gradlab.lastRun())).surface, 'rosenbrock');
  assert.equal(await rosFrame.evaluate(() => document.getElementById('surface3d').offsetParent), null);
  assert.ok(await rosFrame.isVisible('.run-button'));
  await rosFrame.click('.run-button');
  assert.ok(!(await rosFrame.isVisible('.run-button')));
  assert.ok(await inkShare(rosFrame, 'convergence') > 0.02);
  // A tutorial button posts setState to the first embed; it replies and re-runs; the other is untouched.
  const before = await peaksFrame.evaluate(() => window.gradlab.lastRun().solvers[0].iterations);
  const rosBefore = await rosFrame.evaluate(() => window.gradlab.lastRun());
  await page.click('#slower');
  await page.waitForFunction(() => window.replies.some((r) => r.id === 'slower'));
  const reply = await page.evaluate(() => window.replies.find((r) => r.id === 'slower'));
  assert.equal(reply.ok, true);
  assert.equal(reply.request, 'gradlab:setState');
  assert.ok(reply.summary.solvers[0].iterations > before, `${reply.summary.solvers[0].iterations} > ${before}`);
  assert.equal(await peaksFrame.inputValue('#gradient_descent-learning_rate'), '0.01');
  assert.deepEqual(await rosFrame.evaluate(() => window.gradlab.lastRun()), rosBefore);
  // A bad config through postMessage: an error reply, nothing changes; unknown types are named.
  await page.evaluate(() => {
    const w = document.getElementById('peaks').contentWindow;
    w.postMessage({ type: 'gradlab:setState', id: 'bad', config: { lab: 'surfaces', config: { start: ['<b>x</b>', 0] } } }, '*');
    w.postMessage({ type: 'gradlab:getState', id: 'get' }, '*');
    w.postMessage({ type: 'gradlab:eval', id: 'evil', code: 'alert(1)' }, '*');
    // Hostile payloads are refused before anything reads them.
    let deep = {};
    for (let i = 0; i < 500; i++) deep = { a: deep };
    w.postMessage({ type: 'gradlab:setState', id: 'deep', config: deep }, '*');
    w.postMessage({ type: 'gradlab:setState', id: 'huge', config: { lab: 'surfaces', config: { formula: 'x'.repeat(2 << 20) } } }, '*');
  });
  await page.waitForFunction(() => ['bad', 'get', 'evil', 'deep', 'huge'].every((id) => window.replies.some((r) => r.id === id)));
  const replies = await page.evaluate(() => Object.fromEntries(window.replies.map((r) => [r.id, r])));
  assert.equal(replies.bad.ok, false);
  assert.match(replies.bad.error, /start|invalid type/);
  assert.equal(replies.get.state.config.solvers[0].learning_rate, 0.01);
  assert.equal(replies.evil.ok, false);
  assert.match(replies.evil.error, /unknown message type/);
  assert.equal(replies.deep.ok, false);
  assert.match(replies.deep.error, /nested more than 32 levels/);
  assert.equal(replies.huge.ok, false);
  assert.match(replies.huge.error, /larger than 1 MB/);
  assert.equal((await peaksFrame.evaluate(() => window.gradlab.getState())).config.solvers[0].learning_rate, 0.01, 'nothing changed');
  assert.deepEqual(errors, []);
  await page.close();
});

test('exports: trace CSV/JSON, PNG at device pixel ratio, config JSON; import restores it', async () => {
  const { page, errors } = await open(`${BASE}#${ROSENBROCK_LINK}`);
  const grab = async (what) => {
    await page.click('#export-menu summary');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-export="${what}"]`)]);
    return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), what === 'png' ? null : 'utf8') };
  };
  const csv = await grab('trace-csv');
  assert.equal(csv.name, 'gradlab-surfaces-trace.csv');
  const lines = csv.text.trim().split('\n');
  assert.match(lines[0], /^run,solver,series,k,f,grad_norm,step,x1,x2/);
  const run = await page.evaluate(() => window.gradlab.lastRun());
  const records = run.solvers.reduce((n, s) => n + s.iterations + 1, 0);
  assert.equal(lines.length - 1, records);
  // The last BFGS row holds the final f exactly (shortest round-trip text).
  const lastBfgs = lines.filter((l) => l.startsWith('0,BFGS,')).pop().split(',');
  assert.equal(Number(lastBfgs[4]), run.solvers[0].f);
  const json = JSON.parse((await grab('trace-json')).text);
  assert.deepEqual(json.map((t) => t.fingerprint), ROSENBROCK_FINGERPRINTS);
  const png = await grab('png');
  assert.match(png.name, /^gradlab-surfaces-(contour|surface3d|convergence)\.png$/);
  assert.deepEqual([...png.text.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  const config = await grab('config');
  const saved = JSON.parse(config.text);
  assert.equal(saved.lab, 'surfaces');
  // Import it into a default page through the file picker.
  const other = await open();
  await other.page.click('#export-menu summary');
  const [chooser] = await Promise.all([other.page.waitForEvent('filechooser'), other.page.click('[data-export="import"]')]);
  await chooser.setFiles({ name: 'exp.json', mimeType: 'application/json', buffer: Buffer.from(config.text) });
  await other.page.waitForFunction(() => window.gradlab.lastRun().surface === 'rosenbrock');
  assert.deepEqual(await other.page.evaluate(() => window.gradlab.lastRun()), run);
  assert.match(await other.page.textContent('#share-msg'), /Imported exp\.json/);
  // A bad file is refused with a message.
  await other.page.click('#export-menu summary');
  const [c2] = await Promise.all([other.page.waitForEvent('filechooser'), other.page.click('[data-export="import"]')]);
  await c2.setFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"lab":"surfaces","config":{"surface":"nope"}}') });
  await other.page.waitForFunction(() => /not imported/.test(document.getElementById('share-msg').textContent));
  assert.deepEqual([...errors, ...other.errors], []);
  await page.close();
  await other.page.close();
});

test('Copy link and Embed show the link and the embed builder\'s snippets', async () => {
  const { page, errors } = await open();
  await page.click('#copy-link');
  const text = await page.inputValue('#share-dialog textarea');
  const link = await page.evaluate(() => window.gradlab.link());
  assert.equal(text, `${BASE}#${link}`);
  await page.click('#share-dialog button:text("Close")');
  await page.click('#embed-snippet');
  const snippet = await page.inputValue('#embed-builder textarea[aria-label="iframe snippet"]');
  assert.match(snippet, /^<iframe src="[^"]+\?embed#v3\.[A-Za-z0-9_-]+" width="640" height="520"/);
  assert.ok(snippet.includes(link));
  assert.deepEqual(errors, []);
  await page.close();
});

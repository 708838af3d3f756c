// Teaching (issue 15) in the browser: a lesson veils the plots until you predict and then says
// which choice the run bore out; a challenge gives a verdict after every run and travels in a
// link; progress is kept in this browser; the coach speaks under every lab's results; the
// curvature lens draws on the map and writes κ and 2/λmax.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, BASE } from './browser.mjs';

let ctx;
before(async () => { ctx = await launch(); });
after(async () => { await ctx?.close(); });

/** A canvas's pixels as one string (to compare two drawings). */
const pixels = (page, id) => page.evaluate((id) => {
  const c = document.getElementById(id);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 0;
  for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]) >>> 0;
  return h;
}, id);

test('a lesson asks first (plots veiled), then shows which choice the run bore out, with its numbers; progress is remembered', async () => {
  const { page, errors } = await openPage(ctx, BASE);
  await page.evaluate(() => localStorage.clear());
  await page.selectOption('#course-menu', 'lesson:step-size');
  await page.waitForFunction(() => !document.getElementById('lesson').hidden);
  await page.evaluate(() => window.gradlab.settled());
  assert.match(await page.textContent('#lesson-kind'), /Lesson 3 of \d+/);
  assert.equal(await page.evaluate(() => document.getElementById('lab-surfaces').classList.contains('predicting')), true, 'plots veiled');
  assert.equal(await page.isVisible('#teach-result'), false);
  const choices = await page.$$eval('#teach-choices button', (bs) => bs.map((b) => b.textContent));
  assert.ok(choices.includes('diverges'), choices.join(' | '));
  await page.click('#teach-choices button:has-text("diverges")');
  await page.waitForFunction(() => !document.getElementById('teach-result').hidden);
  assert.equal(await page.evaluate(() => document.getElementById('lab-surfaces').classList.contains('predicting')), false, 'unveiled');
  assert.match(await page.textContent('#teach-verdict'), /You predicted: “diverges”\. The run shows: “diverges” — right\./);
  const lines = await page.textContent('#teach-lines');
  assert.match(lines, /\|1 − αL\| = \|1 − 0\.21·10\| = 1\.1/);
  assert.match(lines, /2\/L = 2\/10 = 0\.2/);
  // Remembered in this browser: the menu ticks it, and reopening shows the answer at once.
  assert.match(await page.$eval('#course-menu option[value="lesson:step-size"]', (o) => o.textContent), /✓$/);
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('gradlab-progress-v1')));
  assert.deepEqual(stored.lessons['step-size'], { predicted: 2, right: true });
  // The outcome follows the run on screen: with α = 0.15 the second run converges.
  await page.evaluate(async () => {
    const s = window.gradlab.getState();
    s.config.solvers[1].learning_rate = 0.15;
    await window.gradlab.setState(s.config);
  });
  await page.waitForFunction(() => document.getElementById('teach-lines').textContent.includes('|1 − 0.15·10| = 0.5'));
  assert.match(await page.textContent('#teach-verdict'), /changed the setup/);
  // Next lesson.
  await page.click('#teach-next');
  await page.waitForFunction(() => /Lesson 4 of/.test(document.getElementById('lesson-kind').textContent));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a challenge: not met at its start, met after the right change, the verdict in numbers; its link opens it in an embed', async () => {
  const { page, errors } = await openPage(ctx, BASE);
  await page.selectOption('#course-menu', 'challenge:peaks-in-8');
  await page.waitForFunction(() => !document.getElementById('teach-result').hidden);
  await page.evaluate(() => window.gradlab.settled());
  assert.equal(await page.textContent('#lesson-kind'), 'Challenge');
  assert.match(await page.textContent('#teach-look'), /^Rules: /);
  assert.match(await page.textContent('#teach-verdict'), /^✗ not met: f < −6\.551 only at iteration 34 \(needed ≤ 8\) with α = 0\.01/);
  const state = await page.evaluate(() => window.gradlab.getState());
  assert.equal(state.challenge, 'peaks-in-8');
  // Change α in the form, as a student would.
  await page.fill('#gradient_descent-learning_rate', '0.05');
  await page.waitForFunction(() => document.getElementById('teach-verdict').textContent.startsWith('✓'));
  assert.match(await page.textContent('#teach-verdict'), /^✓ met: f < −6\.551 at iteration 6 with α = 0\.05/);
  assert.match(await page.$eval('#course-menu option[value="challenge:peaks-in-8"]', (o) => o.textContent), /✓$/);
  // Breaking a rule is not counted.
  await page.fill('#start_x', '0.1');
  await page.waitForFunction(() => /not counted: the start must be/.test(document.getElementById('teach-verdict').textContent));
  // A teacher sends the challenge: its link opens the challenge with its verdict, in an embed too.
  await page.selectOption('#course-menu', 'challenge:largest-alpha');
  await page.waitForFunction(() => window.gradlab.getState().challenge === 'largest-alpha');
  const link = await page.evaluate(() => window.gradlab.link());
  const emb = await openPage(ctx, `${BASE}?embed#${link}`, { width: 640, height: 520 });
  await emb.page.waitForFunction(() => !document.getElementById('teach-result').hidden);
  assert.match(await emb.page.textContent('#lesson-title'), /largest step/);
  assert.match(await emb.page.textContent('#teach-verdict'), /not yet: α = 0\.1 converges/);
  // An unknown challenge in a link is a named error, and the default experiment shows.
  const bad = await openPage(ctx, BASE);
  const err = await bad.page.evaluate(() => window.gradlab.setState({ lab: 'surfaces', config: {}, challenge: 'no-such' }));
  assert.match(err, /unknown challenge “no-such”/);
  assert.deepEqual([...errors, ...emb.errors, ...bad.errors], []);
  for (const p of [page, emb.page, bad.page]) await p.close();
});

test('the coach speaks under every lab\'s results: the global minimum, a run that left the map, a divergence with its fix', async () => {
  const { page, errors } = await openPage(ctx, BASE);
  await page.waitForFunction(() => document.querySelectorAll('#coach .coach-item').length === 1);
  assert.match(await page.textContent('#coach'), /converged to the global minimum f\* = −6\.551/);
  await page.evaluate(() => window.gradlab.setState({ surface: 'peaks', start: [-0.2, -0.6], solvers: [{ method: 'gradient_descent', learning_rate: 1 }] }));
  await page.waitForFunction(() => /left the map/.test(document.getElementById('coach').textContent));
  assert.match(await page.textContent('#coach'), /plateau/);
  // …and the explanation under the map no longer says only "converged".
  await page.evaluate(() => window.gradlab.current().setStep(1));
  assert.match(await page.textContent('#explain'), /ended: left the map/);
  // Regression: too large a step, unstandardized: diverged, with the cause.
  await page.click('.tabs [data-lab="regression"]');
  await page.evaluate(() => window.gradlab.settled());
  await page.waitForFunction(() => document.querySelectorAll('#rg-coach .coach-item').length >= 1);
  await page.evaluate(() => window.gradlab.setState({ data: { source: 'generated', n: 200, slope: 2, intercept: -1, noise: 1, seed: 7 }, standardize: true, solvers: [{ learning_rate: 5, batch_size: 0, epochs: 20, seed: 1 }] }));
  await page.waitForFunction(() => /diverged/.test(document.getElementById('rg-coach').textContent));
  assert.match(await page.textContent('#rg-coach'), /α < 2\/L/);
  // Fit: the default fit converges and the coach says so with its SSR.
  await page.click('.tabs [data-lab="fit"]');
  await page.evaluate(() => window.gradlab.settled());
  await page.waitForFunction(() => document.querySelectorAll('#fit-coach .coach-item').length >= 1);
  assert.match(await page.textContent('#fit-coach'), /converged/);
  assert.match(await page.textContent('#fit-coach'), /SSR .* → /);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the curvature lens draws on the map and states κ, 2/λmax against α and the Newton step; it follows playback', async () => {
  const { page, errors } = await openPage(ctx, BASE);
  await page.evaluate(() => window.gradlab.setState({ surface: 'quadratic', quadratic_condition: 10, start: [2.5, 1.5], view: { view_box: { x_min: -3, x_max: 3, y_min: -3, y_max: 3 } }, solvers: [{ method: 'gradient_descent', learning_rate: 0.19 }] }));
  await page.evaluate(() => window.gradlab.current().setStep(0));
  await page.waitForTimeout(100);
  const without = await pixels(page, 'contour');
  assert.equal(await page.isVisible('#lens-box'), false);
  await page.click('#lens-btn');
  await page.waitForFunction(() => !document.getElementById('lens-box').hidden);
  assert.equal(await page.getAttribute('#lens-btn', 'aria-pressed'), 'true');
  const text = await page.textContent('#lens-box');
  assert.match(text, /iteration 0/);
  assert.match(text, /eigenvalues λ₁ = 1, λ₂ = 10/);
  assert.match(text, /κ = λ₂\/λ₁ = 10/);
  assert.match(text, /2\/λmax = 0\.2; your α = 0\.19 is below it/);
  assert.match(text, /Newton step p = −H⁻¹∇f = \(−2\.5, −1\.5\) → \(0, 0\)/);
  await page.waitForTimeout(100);
  assert.notEqual(await pixels(page, 'contour'), without, 'the lens is drawn on the map');
  // Playback moves the lens to the shown iterate.
  await page.evaluate(() => window.gradlab.current().setStep(5));
  await page.waitForFunction(() => /iteration 5/.test(document.getElementById('lens-box').textContent));
  await page.click('#lens-btn');
  await page.waitForFunction(() => document.getElementById('lens-box').hidden);
  assert.deepEqual(errors, []);
  await page.close();
});

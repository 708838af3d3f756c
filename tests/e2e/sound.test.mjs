// Issue 16, sonification: "listen to the run" plays f along the trajectory as pitch (Rust writes
// the notes, src/lab/sound.rs) and a chime at convergence — off by default, never autoplays: no
// AudioContext exists until the button is pressed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, BASE } from './browser.mjs';

let ctx;
before(async () => {
  ctx = await launch();
  // Count what the page does with Web Audio.
  await ctx.addInitScript(() => {
    window.audioLog = { contexts: 0, started: [] };
    const Real = window.AudioContext;
    window.AudioContext = class extends Real {
      constructor(...a) {
        super(...a);
        window.audioLog.contexts++;
        const make = this.createOscillator.bind(this);
        this.createOscillator = () => {
          const o = make();
          const start = o.start.bind(o);
          o.start = (when) => { window.audioLog.started.push(o.frequency.value); start(when); };
          return o;
        };
      }
    };
  });
});
after(async () => { await ctx?.close(); });

test('listen to the run: nothing sounds by itself; the button plays a falling line and a chime for the converged default run', async () => {
  const { page, errors } = await openPage(ctx, BASE);
  await page.evaluate(() => window.gradlab.settled());
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.audioLog.contexts), 0, 'no AudioContext before the button');
  await page.click('#pb-listen');
  assert.equal(await page.getAttribute('#pb-listen', 'aria-pressed'), 'true');
  const log = await page.evaluate(() => window.audioLog);
  assert.equal(log.contexts, 1);
  const run = await page.evaluate(() => window.gradlab.lastRun());
  assert.ok(log.started.length >= 3, JSON.stringify(log));
  // The default run converges: the f-notes fall overall (first above last) and end in the chime.
  const fNotes = log.started.slice(0, -2);
  assert.ok(fNotes[0] > fNotes.at(-1), JSON.stringify(fNotes));
  assert.deepEqual(log.started.slice(-2), [880, 1320], `${JSON.stringify(run.runs?.[0]?.stop ?? run)}`);
  // It ends by itself (about 3 s) and can be stopped early.
  await page.waitForFunction(() => document.getElementById('pb-listen').getAttribute('aria-pressed') === 'false', null, { timeout: 8000 });
  await page.click('#pb-listen');
  await page.click('#pb-listen');
  assert.equal(await page.getAttribute('#pb-listen', 'aria-pressed'), 'false');
  assert.deepEqual(errors, []);
  await page.close();
});

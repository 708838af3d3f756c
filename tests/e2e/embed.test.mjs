// End-to-end: the embed layout (`?embed`) fits its iframe. At 600×400 every plot the link's
// `embed.plots` chooses is on screen at once, drawn, without vertical or horizontal scrolling; the
// controls and the results open as drawers from the bar.
// Run with the built page served: GRADLAB_URL=http://127.0.0.1:PORT/ node --test tests/e2e/embed.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE, openPage, inkShare } from './browser.mjs';

const IFRAME = { width: 600, height: 400 };
// The plots each lab shows with its default experiment (the fit lab's default model has two
// parameters, so its SSR landscape is drawn too).
const PLOTS = {
  surfaces: ['contour', 'surface3d', 'convergence'],
  regression: ['rg-data', 'rg-contour', 'rg-surface', 'rg-loss'],
  fit: ['fit-curve-canvas', 'fit-residuals', 'fit-convergence', 'fit-landscape'],
};

let ctx;
const links = {};
before(async () => {
  ctx = await launch();
  // Each lab's default experiment as a link: open its tab on the full page.
  const { page } = await openPage(ctx, BASE);
  for (const lab of Object.keys(PLOTS)) {
    await page.click(`.tabs [data-lab="${lab}"]`);
    await page.waitForFunction((lab) => window.gradlab.lab() === lab, lab);
    links[lab] = await page.evaluate(() => window.gradlab.link());
  }
  await page.close();
});
after(async () => { await ctx?.close(); });

/** The embed of `link` at `viewport`, with every canvas observed redraw settled. */
async function openEmbed(link, viewport = IFRAME) {
  const { page, errors } = await openPage(ctx, `${BASE}?embed#${link}`, viewport);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return { page, errors };
}

/** Scroll extents and the boxes of the lab's visible plot canvases. */
function measure(page) {
  return page.evaluate(() => {
    const lab = document.querySelector('#labs > [role=tabpanel]:not([hidden])');
    const plots = [...lab.querySelectorAll('section.plot canvas')]
      .filter((c) => c.offsetParent !== null)
      .map((c) => {
        const b = c.getBoundingClientRect();
        return { id: c.id, top: b.top, bottom: b.bottom, left: b.left, right: b.right, width: b.width, height: b.height };
      });
    const s = document.scrollingElement;
    return { scrollHeight: s.scrollHeight, scrollWidth: s.scrollWidth, innerHeight, innerWidth, plots };
  });
}

function assertFits(m, what) {
  assert.ok(m.scrollHeight <= m.innerHeight + 1, `${what}: no vertical scroll (${m.scrollHeight} > ${m.innerHeight})`);
  assert.ok(m.scrollWidth <= m.innerWidth + 1, `${what}: no horizontal scroll (${m.scrollWidth} > ${m.innerWidth})`);
  for (const p of m.plots) {
    assert.ok(p.top >= 0 && p.left >= 0 && p.bottom <= m.innerHeight + 0.5 && p.right <= m.innerWidth + 0.5,
      `${what}: ${p.id} inside the viewport: ${JSON.stringify(p)}`);
  }
}

for (const lab of Object.keys(PLOTS)) {
  test(`${lab} lab: at 600×400 every plot of the embed is visible at once, drawn, without scrolling`, async () => {
    const { page, errors } = await openEmbed(links[lab]);
    assert.equal(await page.evaluate(() => window.gradlab.lab()), lab);
    const m = await measure(page);
    assert.deepEqual(m.plots.map((p) => p.id).sort(), [...PLOTS[lab]].sort());
    assertFits(m, lab);
    for (const p of m.plots) {
      // Two rows of plots under the bar (and the playback strip): no plot is a sliver.
      assert.ok(p.height >= 130 && p.width >= 250, `${p.id} is readable: ${p.width}×${p.height}`);
      const ink = await inkShare(page, p.id);
      assert.ok(ink > 0.03, `${p.id} has ink (${(ink * 100).toFixed(1)}%)`);
      const backing = await page.evaluate((id) => { const c = document.getElementById(id); return [c.width, c.height]; }, p.id);
      assert.deepEqual(backing, [Math.round(p.width), Math.round(p.height)], `${p.id} drawn at its shown size`);
    }
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('embed.plots chooses the plots: two of them share the iframe, each larger', async () => {
  const { page } = await openPage(ctx, BASE);
  const link = await page.evaluate(async () => {
    const s = window.gradlab.getState();
    const err = await window.gradlab.setState({ ...s, embed: { plots: ['contour', 'convergence'] } });
    return err ?? window.gradlab.link();
  });
  await page.close();
  const { page: embed, errors } = await openEmbed(link);
  const m = await measure(embed);
  assert.deepEqual(m.plots.map((p) => p.id), ['contour', 'convergence']);
  assertFits(m, 'two plots');
  for (const p of m.plots) {
    assert.ok(p.height >= 300, `${p.id} uses the height: ${p.height}`);
    assert.ok(await inkShare(embed, p.id) > 0.03, `${p.id} drawn`);
  }
  assert.deepEqual(errors, []);
  await embed.close();
});

test('the controls and the results open as drawers from the bar; Escape closes them', async () => {
  const { page, errors } = await openEmbed(links.surfaces);
  const lr = page.locator('#gradient_descent-learning_rate');
  assert.equal(await lr.isVisible(), false, 'controls start collapsed');
  await page.click('#embed-toggle-controls');
  assert.equal(await page.getAttribute('#embed-toggle-controls', 'aria-expanded'), 'true');
  assert.ok(await lr.isVisible(), 'the controls drawer shows the learning rate');
  const b = await lr.boundingBox();
  assert.ok(b.y >= 0 && b.y + b.height <= 400, `learning rate inside the iframe: ${JSON.stringify(b)}`);
  // A change in the drawer re-runs the experiment as on the full page.
  const before = await page.evaluate(() => window.gradlab.lastRun().solvers[0].iterations);
  await lr.fill('0.01');
  await page.waitForFunction((n) => window.gradlab.lastRun().solvers[0].iterations !== n, before);
  assertFits(await measure(page), 'controls open');
  await page.keyboard.press('Escape');
  assert.equal(await lr.isVisible(), false, 'Escape closes the drawer');
  await page.click('#embed-toggle-results');
  assert.ok(await page.locator('#readout').isVisible());
  assert.match(await page.textContent('#readout'), /Gradient descent/);
  await page.click('#embed-toggle-results');
  assert.equal(await page.locator('#readout').isVisible(), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('show_controls / show_readout false: no drawer toggles', async () => {
  const { page } = await openPage(ctx, BASE);
  const link = await page.evaluate(async () => {
    const s = window.gradlab.getState();
    const err = await window.gradlab.setState({ ...s, embed: { show_controls: false, show_readout: false } });
    return err ?? window.gradlab.link();
  });
  await page.close();
  const { page: embed, errors } = await openEmbed(link);
  assert.equal(await embed.locator('#embed-toggle-controls').isVisible(), false);
  assert.equal(await embed.locator('#embed-toggle-results').isVisible(), false);
  assertFits(await measure(embed), 'no controls');
  assert.deepEqual(errors, []);
  await embed.close();
});

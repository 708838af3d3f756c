// End-to-end: light and dark (issue 16). `prefers-color-scheme: dark` darkens the page (CSS custom
// properties, www/theme.css) and the plots (Rust: crate::plot::Theme, set by www/theme.js); the
// header's switch (auto / light / dark) overrides the system and is remembered (localStorage
// `gradlab-theme`); `?theme=` forces it for an embed (and is not remembered); switching redraws
// the plots without a reload or a re-run; `prefers-reduced-motion` still holds in dark.
// Run with the built page served: GRADLAB_URL=http://127.0.0.1:PORT/ node --test tests/e2e/theme.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE, openPage } from './browser.mjs';

let ctx;
before(async () => { ctx = await launch(); });
after(async () => { await ctx?.close(); });

const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** Relative luminance (WCAG) of an [r, g, b] in 0…255. */
const lum = ([r, g, b]) => {
  const l = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * l(r) + 0.7152 * l(g) + 0.0722 * l(b);
};

/** The page's background and text colours as [r, g, b]. */
const pageColours = (page) => page.evaluate(() => {
  const rgb = (s) => s.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
  const body = getComputedStyle(document.body);
  const panel = getComputedStyle(document.querySelector('.panel'));
  return { bg: rgb(body.backgroundColor), ink: rgb(body.color), panel: rgb(panel.backgroundColor) };
});

/** The pixel at the top-left corner (2, 2) of canvas `id` (the plot's own background). */
const corner = (target, id) => target.evaluate((id) => [...document.getElementById(id).getContext('2d').getImageData(2, 2, 1, 1).data].slice(0, 3), id);

/** Share of the pixels of a canvas's left eighth (the vertical axis: tick labels, its title;
 * `part` = 1: the whole canvas) brighter than 200 in every channel (light text on dark). */
const lightShare = (target, id, part = 1 / 8) => target.evaluate(([id, part]) => {
  const c = document.getElementById(id);
  const d = c.getContext('2d').getImageData(0, 0, Math.ceil(c.width * part), c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] > 200 && d[i + 1] > 200 && d[i + 2] > 200) n++;
  return n / (d.length / 4);
}, [id, part]);

const settle = async (page) => { await page.evaluate(() => window.gradlab.settled()); await frames(page); };
const theme = (page) => page.evaluate(() => document.documentElement.dataset.theme);

test('prefers-color-scheme: dark gives a dark page and dark plots with light text', async () => {
  const { page, errors } = await openPage(ctx, BASE);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  await settle(page);
  const light = await pageColours(page);
  assert.ok(lum(light.bg) > 0.8, `light page ${light.bg}`);
  assert.deepEqual(await corner(page, 'convergence'), [255, 255, 255]);

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await settle(page);
  const dark = await pageColours(page);
  assert.ok(lum(dark.bg) < 0.02 && lum(dark.panel) < 0.02, `dark page ${dark.bg} ${dark.panel}`);
  const contrast = (lum(dark.ink) + 0.05) / (lum(dark.panel) + 0.05);
  assert.ok(contrast >= 4.5, `text on the panels ${contrast.toFixed(1)}:1`);
  // Every lab's plots: the canvas background is the panel's colour, (27, 30, 36), and there is
  // light ink (tick labels, titles) on it.
  const ids = { surfaces: ['contour', 'surface3d', 'convergence'], regression: ['rg-data', 'rg-contour', 'rg-loss'], fit: ['fit-curve-canvas', 'fit-residuals', 'fit-convergence', 'fit-landscape'] };
  for (const [lab, canvases] of Object.entries(ids)) {
    await page.click(`.tabs [data-lab="${lab}"]`);
    await page.waitForFunction((l) => window.gradlab.lab() === l, lab);
    await settle(page);
    for (const id of canvases) {
      const px = await corner(page, id);
      assert.deepEqual(px, dark.panel, `${id} background ${px}`);
      // (The 3-D plot's labels stand around the box, not at the left.)
      const share = await lightShare(page, id, id === 'surface3d' ? 1 : 1 / 8);
      assert.ok(share > (id === 'surface3d' ? 0.0004 : 0.001), `${id}: light text, ${share}`);
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the header switch overrides the system, redraws without a reload or a re-run, and is remembered', async () => {
  const { page, errors } = await openPage(ctx, BASE);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await settle(page);
  assert.equal(await page.$eval('#theme-select', (s) => s.value), 'auto');
  const fingerprints = await page.evaluate(() => window.gradlab.fingerprints());
  await page.evaluate(() => { window.__sameDocument = true; });
  const darkPx = await corner(page, 'contour');
  assert.ok(lum(darkPx) < 0.02, `${darkPx}`);

  await page.selectOption('#theme-select', 'light');
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  await frames(page);
  assert.deepEqual(await corner(page, 'contour'), [255, 255, 255], 'the map redrawn light');
  assert.deepEqual(await corner(page, 'convergence'), [255, 255, 255]);
  assert.ok(lum((await pageColours(page)).bg) > 0.8);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
  assert.deepEqual(await page.evaluate(() => window.gradlab.fingerprints()), fingerprints, 'the same runs');
  assert.equal(await page.evaluate(() => localStorage.getItem('gradlab-theme')), 'light');

  // Remembered: a new page under a dark system opens light.
  const { page: again } = await openPage(ctx, BASE);
  await again.emulateMedia({ colorScheme: 'dark' });
  await settle(again);
  assert.equal(await theme(again), 'light');
  assert.equal(await again.$eval('#theme-select', (s) => s.value), 'light');
  assert.deepEqual(await corner(again, 'contour'), [255, 255, 255]);
  // Dark chosen under a light system.
  await again.emulateMedia({ colorScheme: 'light' });
  await again.selectOption('#theme-select', 'dark');
  await again.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await frames(again);
  assert.ok(lum(await corner(again, 'contour')) < 0.02);
  // Back to auto: the system's light.
  await again.selectOption('#theme-select', 'auto');
  await again.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  assert.equal(await again.evaluate(() => localStorage.getItem('gradlab-theme')), 'auto');
  await again.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test('?theme=dark makes an embed dark under a light system, without remembering it', async () => {
  const { page } = await openPage(ctx, BASE);
  await page.evaluate(() => localStorage.removeItem('gradlab-theme'));
  const link = await page.evaluate(() => window.gradlab.link());
  await page.close();
  for (const [scheme, forced] of [['light', 'dark'], ['dark', 'light']]) {
    const e = await ctx.newPage();
    await e.setViewportSize({ width: 600, height: 400 });
    await e.emulateMedia({ colorScheme: scheme });
    const errors = [];
    e.on('pageerror', (x) => errors.push(String(x)));
    await e.goto(`${BASE}?embed&plots=contour,convergence&theme=${forced}#${link}`);
    await e.evaluate(() => window.gradlab.ready);
    await settle(e);
    assert.equal(await theme(e), forced);
    const px = await corner(e, 'convergence');
    if (forced === 'dark') assert.ok(lum(px) < 0.02, `embed canvas ${px}`);
    else assert.deepEqual(px, [255, 255, 255]);
    const bg = (await pageColours(e)).bg;
    assert.ok(forced === 'dark' ? lum(bg) < 0.02 : lum(bg) > 0.8, `embed page ${bg}`);
    assert.equal(await e.evaluate(() => localStorage.getItem('gradlab-theme')), null, 'not remembered');
    assert.deepEqual(errors, []);
    await e.close();
  }
  // <gradlab-embed theme="dark"> passes it on to its iframe.
  const t = await ctx.newPage();
  await t.goto(`${BASE}tutorial/`);
  await t.waitForFunction(() => customElements.get('gradlab-embed'));
  const src = await t.evaluate((link) => {
    const el = document.createElement('gradlab-embed');
    el.setAttribute('link', link);
    el.setAttribute('theme', 'dark');
    el.setAttribute('description', 'a dark experiment');
    return el.frameSrc;
  }, link);
  assert.match(src, /\?embed&theme=dark#/);
  // The tutorial follows the reader's choice on the page (same origin), not only the system.
  const tutorialBg = () => t.evaluate(() => getComputedStyle(document.body).backgroundColor.match(/\d+/g).slice(0, 3).map(Number));
  await t.emulateMedia({ colorScheme: 'light' });
  assert.ok(lum(await tutorialBg()) > 0.8);
  await t.evaluate(() => localStorage.setItem('gradlab-theme', 'dark'));
  await t.reload();
  assert.ok(lum(await tutorialBg()) < 0.02, 'the tutorial dark by the stored choice');
  await t.evaluate(() => localStorage.removeItem('gradlab-theme'));
  await t.close();
});

test('reduced motion holds in dark: no transitions, play jumps to the end', async () => {
  const { page, errors } = await openPage(ctx, `${BASE}?theme=dark`);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await settle(page);
  assert.equal(await theme(page), 'dark');
  // The hint over a plot fades in (0.2 s) — not with reduced motion.
  const fade = () => page.evaluate(() => {
    const h = document.createElement('div');
    h.className = 'gesture-hint';
    document.body.append(h);
    const t = getComputedStyle(h).transitionDuration;
    h.remove();
    return t;
  });
  assert.equal(await fade(), '0s');
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  assert.equal(await fade(), '0.2s');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const K = (await page.evaluate(() => window.gradlab.lastRun())).solvers[0].iterations;
  await page.click('#pb-first');
  await page.click('#pb-play');
  assert.equal(await page.evaluate(() => window.gradlab.current().step()), K);
  assert.ok(lum(await corner(page, 'contour')) < 0.02);
  assert.deepEqual(errors, []);
  await page.close();
});

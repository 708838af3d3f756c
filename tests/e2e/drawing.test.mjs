// End-to-end: drawing (issue 13). The 3-D surfaces are 100×100 meshes on real canvases; while a
// gesture moves the view the plots are drawn from coarser grids, and once it pauses they are
// exactly what a fresh page draws for the same view (no stale, shifted or coarse pixels left).
// Frame times are not asserted here: they live in bench/frames.mjs and BENCHMARKS.md.
// Run with the built page served: GRADLAB_URL=http://127.0.0.1:PORT/ node --test tests/e2e/drawing.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE } from './browser.mjs';

let ctx;
before(async () => { ctx = await launch({ deviceScaleFactor: 2, viewport: { width: 1366, height: 800 } }); });
after(async () => { await ctx?.close(); });

/** FNV-1a of a canvas's pixels, and how many distinct colours it holds. */
function pixels(page, id) {
  return page.evaluate((id) => {
    const c = document.getElementById(id);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 0x811c9dc5;
    const colours = new Set();
    for (let i = 0; i < d.length; i++) {
      h ^= d[i];
      h = Math.imul(h, 0x01000193) >>> 0;
      if ((i & 3) === 0 && (i & 63) === 0) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    }
    return { hash: h, colours: colours.size, w: c.width, h: c.height };
  }, id);
}

const frames = (page, n = 2) => page.evaluate((n) => new Promise((r) => {
  let k = 0;
  const f = () => (++k >= n ? r() : requestAnimationFrame(f));
  requestAnimationFrame(f);
}), n);

async function open() {
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
  await page.goto(BASE);
  await page.evaluate(() => window.gradlab.ready);
  await page.evaluate(() => window.gradlab.settled());
  return { page, errors };
}

test('the 3-D surfaces are 100×100 meshes, rasterized and shaded on a real canvas', async () => {
  const { page, errors } = await open();
  const layout = await page.evaluate(() => window.gradlab.current().layout('surface3d'));
  assert.deepEqual(layout.mesh, [100, 100]);
  const px = await pixels(page, 'surface3d');
  assert.ok(px.colours > 200, `a shaded surface, not a few flat polygons: ${px.colours} colours`);
  await page.click('.tabs [data-lab="regression"]');
  await page.evaluate(() => window.gradlab.settled());
  await frames(page);
  assert.deepEqual((await page.evaluate(() => window.gradlab.current().layout('rg-surface'))).mesh, [100, 100]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('during a drag the plots follow on coarser grids; when it pauses they equal a fresh draw of the same view', async () => {
  const { page, errors } = await open();
  await page.evaluate(() => window.gradlab.setState({ lab: 'surfaces', config: { surface: 'peaks', start: [-0.2, -0.6], solvers: [{ method: 'gradient_descent' }, { method: 'adam' }, { method: 'bfgs' }] } }));
  await frames(page);
  const box = await page.locator('#contour').boundingBox();
  const x = box.x + box.width * 0.45;
  const y = box.y + box.height * 0.5;
  await page.mouse.move(x, y);
  await page.mouse.down();
  const meshes = [];
  for (let i = 1; i <= 12; i++) {
    await page.mouse.move(x + 9 * i, y + 5 * i);
    await frames(page, 1);
    meshes.push((await page.evaluate(() => window.gradlab.current().layout('surface3d'))).mesh[0]);
  }
  await page.mouse.up();
  assert.ok(meshes.includes(50), `draft meshes while dragging: ${meshes}`);
  // Ctrl + wheel zooms (a plain wheel would scroll the page).
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -200);
  await page.keyboard.up('Control');
  await page.waitForTimeout(500); // the gesture pauses: full resolution again
  await frames(page, 3);
  assert.deepEqual((await page.evaluate(() => window.gradlab.current().layout('surface3d'))).mesh, [100, 100]);
  const after = { contour: await pixels(page, 'contour'), surface: await pixels(page, 'surface3d') };
  const state = await page.evaluate(() => window.gradlab.getState());
  assert.notDeepEqual(state.config.view.view_box, { x_min: -3, x_max: 3, y_min: -3, y_max: 3 }, 'the view moved');

  const fresh = (await open()).page;
  assert.equal(await fresh.evaluate((s) => window.gradlab.setState(s), state), null);
  await frames(fresh, 3);
  const again = { contour: await pixels(fresh, 'contour'), surface: await pixels(fresh, 'surface3d') };
  assert.deepEqual(after, again, 'the same pixels as a fresh draw of that view');
  assert.deepEqual(errors, []);
  await page.close();
  await fresh.close();
});

test('the convergence plot measures f from the known minimum when the surface has one, else from the best value seen', async () => {
  const { page, errors } = await open();
  const title = async (config) => {
    const s = await page.evaluate(() => window.gradlab.getState());
    assert.equal(await page.evaluate((s) => window.gradlab.setState(s), { ...s, config: { ...s.config, ...config } }), null);
    await page.evaluate(() => window.gradlab.settled());
    const lay = await page.evaluate(() => window.gradlab.current().layout('convergence'));
    return lay.labels.find((l) => l.role === 'y_title').text;
  };
  // GD with α = 0.001 on Rosenbrock stops at the iteration limit: its gap is to f* = 0.
  const gd = { solvers: [{ method: 'gradient_descent', learning_rate: 0.001 }] };
  assert.match(await title({ ...gd, surface: 'rosenbrock', start: [-1.5, 2] }), /^f(\(xₖ\))? − f\*.*f\* = 0/);
  // A typed formula has no known minimum: relative to the best value seen.
  assert.match(await title({ ...gd, surface: 'formula', formula: '(1-x)^2 + 100*(y-x^2)^2', start: [-1.5, 2] }), /best/);
  assert.deepEqual(errors, []);
  await page.close();
});

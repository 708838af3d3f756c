// Issue 16: Chinese text on the canvas is drawn with glyphs, not tofu boxes. The plots' titles and
// axis names come from Rust's catalog and are drawn by plotters on a canvas with the system's
// sans-serif font (`cargo xtask test` installs fonts-wqy-microhei). Two checks: the glyphs exist
// (two different Chinese strings of the same length draw different pixels — tofu boxes would be
// identical), and the plot's Chinese axis title has ink where its layout says it is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, BASE } from './browser.mjs';

let ctx;
before(async () => { ctx = await launch(); });
after(async () => { await ctx?.close(); });

test('Chinese plot titles are drawn with glyphs, where the layout puts them', async () => {
  const { page, errors } = await openPage(ctx, `${BASE}?lang=zh-CN`);
  await page.evaluate(() => window.gradlab.settled());
  const r = await page.evaluate(() => {
    const cjk = /[\u4e00-\u9fff]/;
    const layout = window.gradlab.current().layout('convergence');
    const label = layout.labels.find((l) => l.role.endsWith('_title') && cjk.test(l.text));
    if (!label) return { labels: layout.labels.map((l) => `${l.role}:${l.text}`) };
    const canvas = document.getElementById('convergence');
    const k = canvas.width / layout.width;
    // Ink in the label's box on the plot (pixels unlike the corner's background).
    const g = canvas.getContext('2d');
    const bg = g.getImageData(1, 1, 1, 1).data;
    const box = g.getImageData(Math.floor(label.x * k), Math.floor(label.y * k), Math.max(1, Math.ceil(label.w * k)), Math.max(1, Math.ceil(label.h * k))).data;
    let ink = 0;
    for (let i = 0; i < box.length; i += 4) {
      if (Math.abs(box[i] - bg[0]) + Math.abs(box[i + 1] - bg[1]) + Math.abs(box[i + 2] - bg[2]) > 120) ink++;
    }
    // Glyphs, not boxes: the label's text and its reverse drawn in the same font differ.
    const draw = (text) => {
      const c = document.createElement('canvas');
      c.width = 400; c.height = 40;
      const x = c.getContext('2d');
      x.font = `${label.font_px}px sans-serif`;
      x.fillText(text, 2, 30);
      const d = x.getImageData(0, 0, 400, 40).data;
      let h = 2166136261;
      for (let i = 3; i < d.length; i += 4) h = Math.imul(h ^ d[i], 16777619);
      return h >>> 0;
    };
    const han = [...label.text].filter((c) => cjk.test(c));
    return { text: label.text, ink, pixels: box.length / 4, same: draw(han.join('')) === draw([...han].reverse().join('')), distinct: new Set(han).size };
  });
  assert.ok(r.text, `a Chinese axis title on the convergence plot: ${JSON.stringify(r.labels)}`);
  assert.ok(r.distinct >= 2, `the title has at least two different Chinese characters: ${r.text}`);
  assert.equal(r.same, false, `"${r.text}" draws as glyphs (a missing CJK font would draw identical boxes)`);
  assert.ok(r.ink > r.pixels * 0.05, `the title's box on the plot has ink: ${JSON.stringify(r)}`);
  assert.deepEqual(errors, []);
  await page.close();
});

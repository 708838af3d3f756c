// Screenshots of the page for a human to look at: node tests/e2e/screenshot.mjs OUT_DIR [URL]
import { launch, BASE } from './browser.mjs';
const out = process.argv[2] || '.';
const url = process.argv[3] || BASE;
const ctx = await launch();
const sizes = [['laptop', 1366, 800, 1], ['wide', 1920, 1080, 1], ['hidpi', 1280, 800, 2], ['iframe', 600, 400, 1]];
for (const [name, width, height, dpr] of sizes) {
  const page = await ctx.browser() ? await ctx.newPage() : await ctx.newPage();
  await page.setViewportSize({ width, height });
  if (dpr !== 1) await page.emulateMedia({});
  const p = dpr === 1 ? page : page;
  p.on('console', (m) => { if (m.type() === 'error') console.error(`[${name}] console error: ${m.text()}`); });
  await p.goto(url);
  await p.evaluate(() => window.gradlab.ready);
  await p.screenshot({ path: `${out}/${name}.png`, fullPage: name !== 'iframe' });
  await p.close();
}
await ctx.close();

// Screenshots of the page, to look at: node tests/e2e/screenshot.mjs OUT_DIR [URL]
// (with the page served, e.g. by `cargo xtask serve`).
import { launch, BASE } from './browser.mjs';

const out = process.argv[2] || '.';
const url = process.argv[3] || BASE;
const ctx = await launch();
const sizes = [['laptop', 1366, 800, 1], ['wide', 1920, 1080, 1], ['hidpi', 1280, 800, 2], ['iframe', 600, 400, 1]];
for (const [name, width, height, dpr] of sizes) {
  const page = await ctx.newPage();
  await page.setViewportSize({ width, height });
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: dpr, mobile: false });
  page.on('console', (m) => { if (m.type() === 'error') console.error(`[${name}] console error: ${m.text()}`); });
  await page.goto(url);
  await page.evaluate(() => window.gradlab.ready);
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: name !== 'iframe' });
  await page.close();
}
await ctx.close();

// Shared Playwright set-up: Debian's Chromium, headless, with the flags this machine needs.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BASE = process.env.GRADLAB_URL || 'http://127.0.0.1:8000/';

/** A fresh headless Chromium context; `options` add to Playwright's (e.g. isMobile, hasTouch). */
export async function launch(options = {}) {
  const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'gradlab-chromium-')), {
    ...options,
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    viewport: options.viewport || { width: 1400, height: 900 },
  });
  // Every Content-Security-Policy violation (issue 18) is a console error in every frame, so the
  // tests that assert "no console errors" also assert that gradlab's CSP is never violated.
  await ctx.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} in ${e.sourceFile || location.href}:${e.lineNumber}`);
    });
  });
  return ctx;
}

/** Opens `url` in a new page of `ctx`, collecting console errors and uncaught exceptions. */
export async function openPage(ctx, url = BASE, viewport = { width: 1366, height: 800 }) {
  const page = await ctx.newPage();
  await page.setViewportSize(viewport);
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.evaluate(() => window.gradlab.ready);
  return { page, errors };
}

/** Share of a canvas's pixels that are not white (a page or a frame). */
export function inkShare(target, id) {
  return target.evaluate((id) => {
    const c = document.getElementById(id);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245)) ink++;
    return ink / (d.length / 4);
  }, id);
}

/** A hash of a canvas's size and pixels (to tell whether it was redrawn differently). */
export function canvasHash(page, id) {
  return page.evaluate((id) => {
    const c = document.getElementById(id);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 2166136261;
    for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d[i], 16777619);
    return `${c.width}x${c.height}:${h >>> 0}`;
  }, id);
}

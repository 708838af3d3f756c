// End-to-end: no visible text in the full app under 11 CSS px, in every lab, from a 320 px phone
// to a 1366 px laptop (the root font is 15 px above 760 px, 14 px below). Every element with text
// of its own (a non-blank text node child) that is rendered and not visually hidden is checked,
// with every <details> opened and every solver switched on so their settings show too. Also: the
// three lab tabs fit on one line, uncut, down to 320 px.
// Run with the built page served: GRADLAB_URL=http://127.0.0.1:PORT/ node --test tests/e2e/text.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, BASE } from './browser.mjs';

const MIN_PX = 11;
const WIDTHS = [320, 390, 760, 1366];
const LABS = ['surfaces', 'regression', 'fit'];

let ctx;
before(async () => { ctx = await launch(); });
after(async () => { await ctx?.close(); });

/** Elements with visible own text smaller than MIN_PX: [{what, px, text}]. */
const smallText = (page, min) => page.evaluate((min) => {
  const lab = document.querySelector('#labs > [role=tabpanel]:not([hidden])');
  const roots = [document.querySelector('header.top'), document.querySelector('.embed-bar'), document.getElementById('embed-switcher'),
    document.getElementById('lesson'), lab].filter(Boolean);
  const out = [];
  for (const root of roots) {
    for (const e of [root, ...root.querySelectorAll('*')]) {
      if (['SCRIPT', 'STYLE', 'OPTION', 'CANVAS'].includes(e.tagName)) continue;
      const own = [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== '');
      const field = e.tagName === 'INPUT' && !['checkbox', 'radio', 'range', 'file', 'hidden'].includes(e.type);
      if (!own && !field && e.tagName !== 'SELECT' && e.tagName !== 'TEXTAREA') continue;
      const cs = getComputedStyle(e);
      if (cs.visibility !== 'visible' || Number(cs.opacity) === 0) continue;
      const r = e.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1 || e.getClientRects().length === 0) continue; // not rendered or visually hidden
      if (e.closest('[hidden], details:not([open]) > :not(summary)')) continue;
      const px = parseFloat(cs.fontSize);
      if (px < min - 0.01) {
        const id = e.id ? `#${e.id}` : '';
        const cls = typeof e.className === 'string' && e.className ? `.${e.className.trim().split(/\s+/).join('.')}` : '';
        const parent = e.parentElement;
        const where = parent ? `${parent.tagName.toLowerCase()}${parent.id ? `#${parent.id}` : ''}${typeof parent.className === 'string' && parent.className ? `.${parent.className.trim().split(/\s+/)[0]}` : ''} > ` : '';
        out.push({ what: `${where}${e.tagName.toLowerCase()}${id}${cls}`, px: Math.round(px * 100) / 100, text: (e.textContent || e.value || '').trim().slice(0, 30) });
      }
    }
  }
  return out;
}, min);

for (const width of WIDTHS) {
  test(`no visible text under ${MIN_PX} px at ${width} px, in all three labs`, async () => {
    const { page, errors } = await openPage(ctx, BASE, { width, height: 900 });
    // The three tabs fit on one line, none cut ("Curve fittin" at 320 px before).
    const tabs = await page.evaluate(() => {
      const bar = document.querySelector('.tabs');
      const r = bar.getBoundingClientRect();
      return [...bar.querySelectorAll('button')].map((b) => {
        const q = b.getBoundingClientRect();
        return { text: b.textContent, cut: b.scrollWidth > b.clientWidth + 0.5, inside: q.left >= r.left - 0.5 && q.right <= r.right + 0.5, top: Math.round(q.top) };
      });
    });
    for (const t of tabs) assert.ok(!t.cut && t.inside, `tab “${t.text}” fits at ${width} px: ${JSON.stringify(tabs)}`);
    assert.equal(new Set(tabs.map((t) => t.top)).size, 1, 'one line of tabs');
    const problems = [];
    for (const lab of LABS) {
      await page.click(`.tabs [data-lab="${lab}"]`);
      await page.evaluate(() => window.gradlab.settled());
      // Show what is folded away: every details element open, every solver on.
      await page.evaluate(() => {
        const main = document.querySelector('#labs > [role=tabpanel]:not([hidden])');
        for (const d of main.querySelectorAll('details')) d.open = true;
        for (const s of main.querySelectorAll('.solver')) s.classList.add('on');
      });
      await page.waitForTimeout(100);
      for (const p of await smallText(page, MIN_PX)) problems.push(`${lab}: ${p.what} ${p.px}px “${p.text}”`);
    }
    assert.deepEqual([...new Set(problems)], [], `text under ${MIN_PX} px at ${width} px`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test(`no visible text under ${MIN_PX} px in embeds (320 to 1000 px wide), controls and results open`, async () => {
  const { page: full } = await openPage(ctx, BASE);
  const links = {};
  for (const lab of LABS) {
    await full.click(`.tabs [data-lab="${lab}"]`);
    await full.evaluate(() => window.gradlab.settled());
    links[lab] = await full.evaluate(() => window.gradlab.link());
  }
  await full.close();
  const problems = [];
  for (const width of [320, 390, 600, 1000]) {
    for (const lab of LABS) {
      const page = await ctx.newPage();
      await page.setViewportSize({ width, height: width < 560 ? 640 : 500 });
      await page.goto(`${BASE}?embed#${links[lab]}`);
      await page.evaluate(() => window.gradlab.ready);
      for (const p of await smallText(page, MIN_PX)) problems.push(`${width} ${lab}: ${p.what} ${p.px}px “${p.text}”`);
      for (const which of ['controls', 'results']) {
        await page.click(`#embed-toggle-${which}`);
        for (const p of await smallText(page, MIN_PX)) problems.push(`${width} ${lab} ${which}: ${p.what} ${p.px}px “${p.text}”`);
        await page.click(`#embed-toggle-${which}`);
      }
      await page.close();
    }
  }
  assert.deepEqual([...new Set(problems)], [], `text under ${MIN_PX} px in embeds`);
});

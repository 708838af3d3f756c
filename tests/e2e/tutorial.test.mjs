// End-to-end: the <gradlab-embed> element (www/embed.js) on a cross-origin article, and the
// tutorial www/tutorial/ that is written with it, scrolled through at phone and laptop size.
// Run with the built page served: GRADLAB_URL=http://127.0.0.1:PORT/ node --test tests/e2e/tutorial.test.mjs
// Screenshots of the tutorial go to $TUTORIAL_SHOTS (default: a new temp dir, printed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { launch, BASE, openPage } from './browser.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 };
const LAPTOP = { viewport: { width: 1366, height: 800 } };
const SHOTS = process.env.TUTORIAL_SHOTS || mkdtempSync(join(tmpdir(), 'gradlab-tutorial-'));

let ctx;
let browser; // for contexts of a given size (the persistent context of launch() has one)
let article; // the second origin: a tiny server for test articles
const articles = new Map();
const links = {};

before(async () => {
  ctx = await launch();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  // A module script from another origin is fetched with CORS. Static hosts such as GitHub Pages
  // send `Access-Control-Allow-Origin: *`; the test servers (python's, xtask's) may not, so the
  // header is added here when missing — as the host of a real tutorial would send it.
  await ctx.route(`${BASE}embed.js`, async (route) => {
    const res = await route.fetch();
    const headers = { ...res.headers() };
    headers['access-control-allow-origin'] ??= '*';
    await route.fulfill({ response: res, headers });
  });
  article = createServer((req, res) => {
    const body = articles.get(req.url.split('?')[0]);
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body ?? 'not found');
  });
  await new Promise((r) => article.listen(0, '127.0.0.1', r));
  // Two experiments as links: the default one and the same with another start.
  const { page } = await openPage(ctx, BASE);
  links.peaks = await page.evaluate(() => window.gradlab.link());
  const state = await page.evaluate(() => window.gradlab.getState());
  assert.equal(await page.evaluate((s) => window.gradlab.setState(s),
    { ...state, config: { ...state.config, start: [1.5, 1.2] } }), null);
  links.other = await page.evaluate(() => window.gradlab.link());
  assert.notEqual(links.other, links.peaks);
  await page.close();
});
after(async () => { await ctx?.close(); await browser?.close(); article?.close(); });

const articleUrl = (path) => `http://127.0.0.1:${article.address().port}${path}`;

/** Serves `body` (an article's <body> content) at `path` on the article origin. */
function serveArticle(path, body) {
  articles.set(path, `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>test article</title><style>body { font: 18px/1.5 serif; max-width: 42rem; margin: 0 auto; padding: 1rem; }</style>
<script type="module" src="${BASE}embed.js"></script></head><body>${body}</body></html>`);
  return articleUrl(path);
}

/** A page of `ctx` opened at `url`, collecting console errors and warnings (page and frames). */
async function open(url, options = LAPTOP) {
  const page = await ctx.newPage();
  await page.setViewportSize(options.viewport);
  const errors = [];
  const warnings = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.location()?.url}: ${m.text()}`);
    if (m.type() === 'warning') warnings.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('gradlab-embed'));
  return { page, errors, warnings };
}

/** Every iframe in the document and in the shadow roots of its elements. */
const iframeCount = (page) => page.evaluate(() => {
  let n = document.querySelectorAll('iframe').length;
  for (const el of document.querySelectorAll('*')) if (el.shadowRoot) n += el.shadowRoot.querySelectorAll('iframe').length;
  return n;
});

/** The frame of the embed `selector` once its gradlab page has drawn its first run. */
async function embedFrame(page, selector) {
  const iframe = page.locator(`${selector} iframe`);
  await iframe.waitFor({ state: 'attached', timeout: 10000 });
  const frame = await (await iframe.elementHandle()).contentFrame();
  await frame.waitForFunction(() => window.gradlab && window.gradlab.ready, null, { timeout: 20000 });
  await frame.evaluate(() => window.gradlab.ready);
  await frame.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return frame;
}

/** The visible plot canvases of a gradlab frame and the share of their pixels that are not white. */
const canvasInk = (frame) => frame.evaluate(() => {
  const lab = document.querySelector('#labs > [role=tabpanel]:not([hidden])');
  return [...lab.querySelectorAll('section.plot canvas')]
    .filter((c) => c.offsetParent !== null && c.width > 0 && c.height > 0)
    .map((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245)) ink++;
      return { id: c.id, ink: ink / (d.length / 4) };
    });
});

function assertDrawn(plots, what) {
  assert.ok(plots.length >= 1, `${what}: at least one visible plot`);
  for (const p of plots) assert.ok(p.ink > 0.01, `${what}: ${p.id} has ink (${(p.ink * 100).toFixed(1)} %)`);
}

const box = (page, selector) => page.locator(selector).evaluate((el) => {
  const b = el.getBoundingClientRect();
  return { top: b.top + scrollY, width: b.width, height: b.height };
});
const frameHeight = (page, selector) => page.locator(`${selector} iframe`).evaluate((f) => f.getBoundingClientRect().height);

/** Stops a gradlab frame's own messages to its parent; `window.post(m)` still posts `m` to it. */
async function silence(frame) {
  const replaced = await frame.evaluate(() => {
    const parent = window.parent;
    window.post = (m) => parent.postMessage(m, '*');
    window.parent = { postMessage() {} };
    return window.parent !== parent;
  });
  assert.ok(replaced, 'the frame\'s parent was replaced');
}

const SPACER = '<div style="height: 2400px">Scroll down.</div>';

/**
 * The height the gradlab page in an embed of width `width` asks for (www/app.js preferredHeight),
 * which the element reserves before it loads: the bar (20 px), the regression lab's epoch row
 * (28 px), no lesson here, the plots (narrower than 560 px: one at a time, 0.95·width + 60), 8 px.
 */
function expectedHeight(width, aspect, lab = 'surfaces') {
  const plots = width < 560 ? width * 0.95 + 60 : width / aspect;
  return Math.max(240, 20 + (lab === 'regression' ? 28 : 0) + plots + 8);
}

test('<gradlab-embed> on a cross-origin article: lazy, draws, follows its own resize messages only', async () => {
  const url = serveArticle('/lazy.html', `<h1>An article</h1>${SPACER}
<gradlab-embed id="a" link="${links.peaks}" plots="contour,convergence" aspect="4/3"
  description="Gradient descent on peaks from (−0.2, −0.6)"></gradlab-embed>
<p>Between.</p>
<gradlab-embed id="b" link="${BASE}#${links.peaks}" description="The same experiment, a second time"></gradlab-embed>
${SPACER}`);
  const { page, errors } = await open(url);
  assert.notEqual(new URL(url).origin, new URL(BASE).origin, 'the article is cross-origin');
  // Nothing loaded yet: no iframe at all, but the boxes are reserved at the height the page will
  // ask for (bar + width / aspect) and show the description and a link to the full page.
  assert.equal(await iframeCount(page), 0, 'no iframe before the embeds are scrolled near');
  const before = await box(page, '#a');
  assert.ok(Math.abs(before.height - expectedHeight(before.width, 4 / 3)) < 2, `reserved 4/3 box: ${JSON.stringify(before)}`);
  assert.match(await page.locator('#a .description').textContent(), /Gradient descent on peaks/);
  assert.equal(await page.locator('#a a').getAttribute('href'), `${BASE}#${links.peaks}`);
  assert.equal(await page.locator('#b a').getAttribute('href'), `${BASE}#${links.peaks}`, 'a whole URL as link: its hash is taken');
  // Scrolling to 500 px above the first one still loads nothing.
  await page.evaluate((top) => scrollTo(0, top - innerHeight - 500), before.top);
  await page.waitForTimeout(300);
  assert.equal(await iframeCount(page), 0, 'no iframe 500 px away');
  // Near it: the iframe is created, with the description as its accessible name, and draws.
  await page.evaluate((top) => scrollTo(0, top - innerHeight + 50), before.top);
  const a = await embedFrame(page, '#a');
  const iframe = page.locator('#a iframe');
  assert.equal(await iframe.getAttribute('title'), 'Gradient descent on peaks from (−0.2, −0.6)');
  const src = new URL(await iframe.getAttribute('src'));
  assert.equal(src.origin + src.pathname, BASE);
  assert.equal(src.search, '?embed&plots=contour%2Cconvergence&aspect=4%2F3');
  assert.equal(src.hash, `#${links.peaks}`);
  assert.deepEqual(await a.evaluate(() => window.gradlab.lastRun().start), [-0.2, -0.6]);
  assertDrawn(await canvasInk(a), 'embed a');
  // The iframe fills the reserved box until the page says otherwise: no layout shift.
  const loaded = await box(page, '#a');
  assert.ok(Math.abs(loaded.top - before.top) < 1, 'the box did not move');
  // Height follows the iframe's own resize message (clamped to 200…3000). The page in the frame
  // sends its own height messages too (the next test checks those); here they are silenced, so the
  // fake ones below are the only ones: `parent` is [Replaceable], `post` keeps the real one.
  await silence(a);
  await a.evaluate(() => window.post({ type: 'gradlab:resize', height: 555 }, '*'));
  await page.waitForFunction(() => document.querySelector('#a').shadowRoot.querySelector('iframe').getBoundingClientRect().height === 555);
  assert.equal(Math.round((await box(page, '#a')).height), 555, 'the element follows its iframe');
  assert.equal(Math.round((await box(page, '#a')).width), Math.round(before.width), 'width stays 100 % of the column');
  // A message from any other window is ignored: the article itself, and the other embed's frame.
  await page.evaluate(() => window.postMessage({ type: 'gradlab:resize', height: 321 }, '*'));
  await page.evaluate(() => scrollTo(0, document.getElementById('b').getBoundingClientRect().top + scrollY - 100));
  const b = await embedFrame(page, '#b');
  await silence(b);
  await b.evaluate(() => window.post({ type: 'gradlab:resize', height: 444 }, '*'));
  await page.waitForFunction(() => document.querySelector('#b').shadowRoot.querySelector('iframe').getBoundingClientRect().height === 444);
  assert.equal(await frameHeight(page, '#a'), 555, 'messages from the article and from the other frame are ignored');
  await a.evaluate(() => window.post({ type: 'gradlab:resize', height: 20 }, '*'));
  await page.waitForFunction(() => document.querySelector('#a').shadowRoot.querySelector('iframe').getBoundingClientRect().height === 200);
  await a.evaluate(() => window.post({ type: 'gradlab:resize', height: 1e6 }, '*'));
  await page.waitForFunction(() => document.querySelector('#a').shadowRoot.querySelector('iframe').getBoundingClientRect().height === 3000);
  await a.evaluate(() => window.post({ type: 'gradlab:resize', height: 'tall' }, '*'));
  await page.waitForTimeout(100);
  assert.equal(await frameHeight(page, '#a'), 3000, 'a non-number height is ignored');
  assert.deepEqual(errors, []);
  await page.close();
});

test('<gradlab-embed> follows the height the gradlab page itself asks for, also after the column narrows', async () => {
  const url = serveArticle('/handshake.html', `<gradlab-embed id="a" link="${links.peaks}" plots="contour,convergence" aspect="16/9"
  description="Gradient descent on peaks"></gradlab-embed>`);
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 1000, height: 900 });
  // Record every resize message the page receives from the embed's frame (before embed.js runs).
  await page.addInitScript(() => {
    window.heights = [];
    addEventListener('message', (ev) => {
      const f = document.getElementById('a')?.iframe;
      if (f && ev.source === f.contentWindow && ev.data?.type === 'gradlab:resize') window.heights.push(ev.data.height);
    });
  });
  await page.goto(url);
  await embedFrame(page, '#a');
  await page.waitForFunction(() => window.heights.length > 0, null, { timeout: 10000 });
  const follows = () => page.waitForFunction(() => {
    const want = Math.min(3000, Math.max(200, Math.round(window.heights.at(-1))));
    return document.getElementById('a').iframe.getBoundingClientRect().height === want;
  });
  await follows();
  const wide = await frameHeight(page, '#a');
  // A phone-width column: the page asks for another height and the element follows.
  const n = await page.evaluate(() => window.heights.length);
  await page.setViewportSize({ width: 390, height: 900 });
  await page.waitForFunction((n) => window.heights.length > n, n, { timeout: 10000 });
  await follows();
  assert.notEqual(await frameHeight(page, '#a'), wide, 'a new height for a narrow column');
  await page.close();
});

test('two <gradlab-embed>s are independent; a changed link updates the iframe', async () => {
  const url = serveArticle('/two.html', `<p>Two experiments.</p>
<gradlab-embed id="a" link="${links.peaks}" description="First copy"></gradlab-embed>
<gradlab-embed id="b" link="${links.peaks}" description="Second copy"></gradlab-embed>`);
  const { page, errors } = await open(url, { viewport: { width: 800, height: 1600 } });
  const a = await embedFrame(page, '#a');
  const b = await embedFrame(page, '#b');
  // setState by postMessage to the first one only, as a tutorial's script would.
  await page.evaluate(() => {
    window.replies = [];
    addEventListener('message', (ev) => { if (ev.data?.type === 'gradlab:reply') window.replies.push(ev.data); });
    document.getElementById('a').iframe.contentWindow.postMessage({
      type: 'gradlab:setState', id: 'move',
      config: { lab: 'surfaces', config: { start: [1, -1], solvers: [{ method: 'gradient_descent', learning_rate: 0.02 }] } },
    }, '*');
  });
  await page.waitForFunction(() => window.replies.some((r) => r.id === 'move'));
  assert.equal((await page.evaluate(() => window.replies.find((r) => r.id === 'move'))).ok, true);
  assert.deepEqual(await a.evaluate(() => window.gradlab.lastRun().start), [1, -1]);
  assert.deepEqual(await b.evaluate(() => window.gradlab.lastRun().start), [-0.2, -0.6], 'the other embed is unchanged');
  assertDrawn(await canvasInk(a), 'a after setState');
  assertDrawn(await canvasInk(b), 'b');
  // The author (or a script) changes the link: the same iframe shows the new experiment.
  const element = await page.locator('#b iframe').elementHandle();
  await page.evaluate((l) => document.getElementById('b').setAttribute('link', l), links.other);
  await b.waitForFunction(() => {
    const run = window.gradlab.lastRun();
    return run && run.start[0] === 1.5 && run.start[1] === 1.2;
  });
  assert.ok(await element.evaluate((f) => f.isConnected), 'the iframe is kept');
  assert.match(await page.locator('#b iframe').getAttribute('src'), new RegExp(`#${links.other.replace(/[.]/g, '\\.')}$`));
  assert.equal(await page.locator('#b a').getAttribute('href'), `${BASE}#${links.other}`);
  assert.deepEqual(await a.evaluate(() => window.gradlab.lastRun().start), [1, -1]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('<gradlab-embed> placeholder: description, label, Load button and full-page link, light and dark', async () => {
  const url = serveArticle('/placeholder.html', `<p>Text above.</p>
<gradlab-embed id="a" link="${links.peaks}" aspect="16/9" description="Gradient descent on peaks, from (−0.2, −0.6) to the global minimum"></gradlab-embed>
<p>Text below.</p>`);
  for (const scheme of ['light', 'dark']) {
    const page = await ctx.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 390, height: 700 });
    // An observer that never fires: the element waits for its reader, as when scrolled far away.
    await page.addInitScript(() => { window.IntersectionObserver = class { observe() {} disconnect() {} }; });
    await page.goto(url);
    await page.waitForFunction(() => customElements.get('gradlab-embed'));
    const b = await box(page, '#a');
    assert.ok(Math.abs(b.height - expectedHeight(b.width, 16 / 9)) < 2, `narrow: one plot about as tall as wide: ${JSON.stringify(b)}`);
    assert.equal(await page.locator('#a .label').textContent(), 'gradlab');
    assert.ok(await page.locator('#a .description').isVisible());
    assert.equal(await page.locator('#a .note').isVisible(), false);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `embed-placeholder-${scheme}.png`) });
    assert.equal(await iframeCount(page), 0);
    // "Load" creates the iframe at once, in the same box.
    await page.locator('#a button').click();
    await embedFrame(page, '#a');
    assert.equal(await page.locator('#a button').isVisible(), false);
    assert.ok(await page.locator('#a .description').isHidden(), 'the placeholder hides once the page has loaded');
    await page.close();
  }
});

test('<gradlab-embed> without a description: a console warning and a visible note to the author', async () => {
  const url = serveArticle('/missing.html', `<gradlab-embed id="a" link="${links.peaks}"></gradlab-embed>
<gradlab-embed id="b" link="${links.peaks}" description="Described"></gradlab-embed>`);
  const { page, warnings } = await open(url);
  await page.waitForFunction(() => document.querySelectorAll('gradlab-embed').length === 2);
  const note = page.locator('#a .note');
  assert.ok(await note.isVisible(), 'the note is visible');
  assert.match(await note.textContent(), /gradlab-embed: add a description attribute/);
  assert.equal(await page.locator('#b .note').isVisible(), false, 'no note when there is a description');
  mkdirSync(SHOTS, { recursive: true });
  assert.equal(warnings.filter((w) => /gradlab-embed: the description attribute is missing/.test(w)).length, 1,
    `one warning: ${JSON.stringify(warnings)}`);
  // Still usable: it loads, with a generic accessible name.
  await embedFrame(page, '#a');
  assert.equal(await page.locator('#a iframe').getAttribute('title'), 'gradlab experiment');
  assert.ok(await note.isVisible(), 'the note stays visible after the iframe has loaded');
  await page.screenshot({ path: join(SHOTS, 'embed-missing-description.png') });
  await page.close();
});

test('<gradlab-embed> in a file:// article (embed.js by its absolute URL) loads and draws', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradlab-article-'));
  const file = join(dir, 'article.html');
  writeFileSync(file, `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="${BASE}embed.js"></script></head><body><p>A saved article.</p>
<gradlab-embed id="a" link="${links.other}" description="Gradient descent on peaks from (1.5, 1.2)"></gradlab-embed></body></html>`);
  const { page, errors } = await open(pathToFileURL(file).href);
  const a = await embedFrame(page, '#a');
  assert.deepEqual(await a.evaluate(() => window.gradlab.lastRun().start), [1.5, 1.2]);
  assertDrawn(await canvasInk(a), 'file:// article');
  assert.ok((await page.locator('#a iframe').getAttribute('src')).startsWith(`${BASE}?embed#`));
  assert.deepEqual(errors, []);
  await page.close();
});

test('<gradlab-embed> when embed.js does not load: the fallback link inside the element shows', async () => {
  const url = articleUrl('/fallback.html');
  articles.set('/fallback.html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>fallback</title><script type="module" src="${BASE}no-such-embed.js"></script></head><body><p>Before.</p>
<gradlab-embed id="a" link="${links.peaks}" description="Gradient descent on peaks"><a href="${BASE}#${links.peaks}">Gradient descent on peaks — open the experiment in gradlab ↗</a></gradlab-embed>
<p>After.</p></body></html>`);
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 390, height: 700 });
  await page.goto(url);
  await page.waitForLoadState('networkidle');
  assert.equal(await page.evaluate(() => !!customElements.get('gradlab-embed')), false, 'the element is not defined');
  const link = page.locator('#a > a');
  assert.ok(await link.isVisible(), 'the fallback link is visible');
  assert.match(await link.textContent(), /Gradient descent on peaks — open the experiment in gradlab/);
  assert.equal(await link.getAttribute('href'), `${BASE}#${links.peaks}`);
  const b = await link.boundingBox();
  assert.ok(b.width > 50 && b.height >= 10, `the link takes space: ${JSON.stringify(b)}`);
  await page.close();
});

test('<gradlab-embed> with embed.js loaded: the fallback link is not shown, the tutorial has one per embed', async () => {
  const url = serveArticle('/with-fallback.html', `<gradlab-embed id="a" link="${links.peaks}" description="Gradient descent on peaks"><a id="fb" href="${BASE}#${links.peaks}">Gradient descent on peaks — open the experiment in gradlab ↗</a></gradlab-embed>`);
  const { page } = await open(url, { viewport: { width: 390, height: 700 } });
  assert.equal(await page.locator('#fb').isVisible(), false, 'light-DOM fallback hidden (no slot)');
  await page.goto(`${BASE}tutorial/`);
  const fallbacks = await page.evaluate(() => [...document.querySelectorAll('gradlab-embed')].map((e) => {
    const a = e.querySelector(':scope > a');
    return a && a.href.includes('#v2.') && a.textContent.startsWith(e.getAttribute('description'));
  }));
  assert.ok(fallbacks.length >= 4 && fallbacks.every(Boolean), `every tutorial embed has a fallback link: ${fallbacks}`);
  assert.equal(await page.locator('span[lang="zh"]').textContent(), '梯度下降');
  assert.match(await page.locator('#peaks ~ figure figcaption').first().textContent(), /two fingers on a phone\) to turn it/);
  await page.close();
});

/** Scrolls the tutorial top to bottom like a reader; checks every embed loads lazily and draws. */
async function readTutorial(options, name) {
  // A context per size: isMobile/hasTouch/deviceScaleFactor are context options.
  const context = await browser.newContext(options);
  const target = await context.newPage();
  const errors = [];
  target.on('console', (m) => { if (m.type() === 'error') errors.push(`${m.location()?.url}: ${m.text()}`); });
  target.on('pageerror', (e) => errors.push(String(e)));
  // Layout shifts of the article (Cumulative Layout Shift: the share of the screen that moved,
  // weighted by how far), from the first paint on.
  await target.addInitScript(() => {
    if (window !== top) return;
    window.shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.shifts.push(e.value);
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await target.goto(`${BASE}tutorial/`);
  await target.waitForFunction(() => customElements.get('gradlab-embed'));
  const ids = await target.evaluate(() => [...document.querySelectorAll('gradlab-embed')].map((e, i) => {
    if (!e.id) e.id = `embed-${i}`;
    return e.id;
  }));
  // The height each embed reserves before its page has said how tall it wants to be.
  const reserved = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, (await box(target, `#${id}`)).height])));
  assert.ok(ids.length >= 4 && ids.length <= 6, `4–6 embeds (${ids.length})`);
  for (const id of ids) {
    assert.ok(await target.evaluate((id) => document.getElementById(id).hasAttribute('description'), id), `${id} has a description`);
  }
  const last = ids[ids.length - 1];
  assert.equal(await target.locator(`#${last} iframe`).count(), 0, 'the last embed has no iframe at the top of the article');
  // Scroll down in steps of most of a screen, as a reader does.
  const seen = new Set();
  const labs = {};
  for (let i = 0; i < 200; i++) {
    const { y, max } = await target.evaluate(() => ({ y: scrollY, max: document.scrollingElement.scrollHeight - innerHeight }));
    for (const id of ids) {
      if (seen.has(id)) continue;
      const near = await target.evaluate((id) => {
        const b = document.getElementById(id).getBoundingClientRect();
        return b.top < innerHeight && b.bottom > 0;
      }, id);
      if (!near) continue;
      const frame = await embedFrame(target, `#${id}`);
      assertDrawn(await canvasInk(frame), `${name}: ${id}`);
      // Its page has asked for a height: the one reserved was (nearly) right, nothing jumps.
      await target.waitForFunction((id) => document.getElementById(id).shadowRoot.querySelector('.box.sized'), id, { timeout: 10000 });
      const sized = (await box(target, `#${id}`)).height;
      assert.ok(Math.abs(sized - reserved[id]) < 24, `${name}: ${id} reserved ${reserved[id]} px, its page asked for ${sized} px`);
      labs[id] = await frame.evaluate(() => {
        const run = window.gradlab.lastRun();
        return `${window.gradlab.lab()}:${run.surface ?? run.model_name ?? run.n}`;
      });
      seen.add(id);
      // A screenshot of the screen with this embed in the middle, as the reader sees it.
      mkdirSync(SHOTS, { recursive: true });
      await target.locator(`#${id}`).evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await target.waitForTimeout(300);
      await target.screenshot({ path: join(SHOTS, `tutorial-${name}-${id}.png`), scale: 'css' });
    }
    if (y >= max - 1) break;
    await target.evaluate(() => scrollBy(0, Math.round(innerHeight * 0.8)));
    await target.waitForTimeout(120);
  }
  assert.deepEqual([...seen].sort(), [...ids].sort(), 'every embed was scrolled to and drew');
  const cls = await target.evaluate(() => window.shifts.reduce((a, b) => a + b, 0));
  assert.ok(cls < 0.05, `${name}: cumulative layout shift ${cls.toFixed(4)} while reading (< 0.05)`);
  // Each link opens the experiment its section is about (the NIST file is loaded for Misra1a).
  assert.deepEqual(ids.map((id) => labs[id]),
    ['regression:50', 'surfaces:formula', 'surfaces:formula', 'regression:200', 'fit:Misra1a']);
  // No horizontal overflow of the article.
  const overflow = await target.evaluate(() => document.scrollingElement.scrollWidth - innerWidth);
  assert.ok(overflow <= 0, `${name}: no horizontal scroll (${overflow} px)`);
  await target.evaluate(() => scrollTo(0, 0));
  await target.screenshot({ path: join(SHOTS, `tutorial-${name}-top.png`), scale: 'css' });
  await target.screenshot({ path: join(SHOTS, `tutorial-${name}.png`), fullPage: true, scale: 'css' });
  console.log(`# screenshots: ${SHOTS}/tutorial-${name}*.png`);
  assert.deepEqual(errors, [], `${name}: no console errors`);
  await context.close();
}

test('the tutorial at phone size: every embed draws when scrolled to, no console errors', async () => {
  await readTutorial(PHONE, 'phone');
});

test('the tutorial at laptop size: every embed draws when scrolled to, no console errors', async () => {
  await readTutorial(LAPTOP, 'laptop');
});

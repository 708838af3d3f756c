// End-to-end: plots that respect the page around them (issue 12). A blog-style article on a second
// origin embeds gradlab in iframes; wheel and one-finger swipes over every plot scroll the article,
// Ctrl+wheel and pinch zoom the map, a tap sets the start point. Also: the page's layout from 320 px
// to a laptop (no horizontal overflow, no tiny text), keyboard use of plots and tabs, playback keys
// after clicking a playback button, lessons that travel with links, the embed builder and the
// iframe's resize message.
// Run with the built page served: GRADLAB_URL=http://127.0.0.1:PORT/ node --test tests/e2e/gestures.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { launch, BASE, openPage } from './browser.mjs';

let desktop;
let phone;
let article; // the second origin serving test articles
let ARTICLE;

const filler = (n) => Array.from({ length: n }, (_, i) => `<p>Paragraph ${i + 1}: gradient descent takes a step against the gradient, w ← w − α∇f(w), and repeats until the gradient is small.</p>`).join('\n');

/** An article with one plain iframe embed of `search` (`?embed…`) and `link`, text above and below. */
function articleHtml(search, link, height = 420) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>article</title><link rel="icon" href="data:,"><style>body{font:17px/1.5 Georgia,serif;margin:0 auto;max-width:40rem;padding:0 1rem} iframe{display:block;width:100%;border:1px solid #ccc}</style></head>
<body><h1>Gradients from scratch</h1>${filler(6)}
<iframe id="embed" src="${BASE}${search}#${link}" height="${height}" title="gradlab experiment"></iframe>
${filler(14)}</body></html>`;
}

before(async () => {
  desktop = await launch();
  phone = await launch({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
  const pages = new Map();
  article = createServer((req, res) => {
    const body = pages.get(req.url.split('?')[0]);
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body || 'not found');
  });
  await new Promise((r) => article.listen(0, '127.0.0.1', r));
  ARTICLE = (name, html) => { pages.set(`/${name}.html`, html); return `http://127.0.0.1:${article.address().port}/${name}.html`; };
});
after(async () => {
  await desktop?.close();
  await phone?.close();
  article?.close();
});

/** The default experiment's link (computed by the page itself). */
async function defaultLink(ctx) {
  const { page } = await openPage(ctx, BASE);
  const link = await page.evaluate(() => window.gradlab.link());
  await page.close();
  return link;
}

/** Opens an article page and waits for its embed to be drawn; returns {page, frame, errors}. */
async function openArticle(ctx, url, viewport) {
  const page = await ctx.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  const handle = await page.waitForSelector('#embed');
  const frame = await handle.contentFrame();
  await frame.waitForFunction(() => window.gradlab && window.gradlab.ready);
  await frame.evaluate(() => window.gradlab.ready);
  return { page, frame, errors };
}

/** The surfaces view box of the embed. */
const viewBox = (frame) => frame.evaluate(() => window.gradlab.getState().config.view.view_box);

/** A canvas's box in the article's viewport coordinates (the iframe's offset added). */
async function boxIn(page, frame, id) {
  const outer = await (await page.$('#embed')).boundingBox();
  const inner = await frame.evaluate((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  }, id);
  const border = 1;
  return { x: outer.x + border + inner.x, y: outer.y + border + inner.y, width: inner.width, height: inner.height };
}

async function scrollToEmbed(page) {
  await page.evaluate(() => {
    const r = document.getElementById('embed').getBoundingClientRect();
    window.scrollBy(0, r.top - 80);
  });
  await scrollStill(page);
}

/**
 * Waits until the article has stopped scrolling (a swipe's fling can go on after the finger
 * lifts): the same scrollY over 200 ms, so boxes measured next are where the fingers will land.
 */
async function scrollStill(page) {
  await page.waitForFunction(() => new Promise((done) => {
    const y = scrollY;
    setTimeout(() => done(scrollY === y), 200);
  }), null, { timeout: 10_000 });
}

test('desktop article: a wheel over every plot of an embed scrolls the article; Ctrl+wheel zooms the map', async () => {
  const link = await defaultLink(desktop);
  const url = ARTICLE('desktop', articleHtml('?embed', link, 480));
  const { page, frame, errors } = await openArticle(desktop, url, { width: 1200, height: 800 });
  const before = await viewBox(frame);
  for (const id of ['contour', 'surface3d', 'convergence']) {
    await scrollToEmbed(page);
    const box = await boxIn(page, frame, id);
    const y0 = await page.evaluate(() => scrollY);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, 120);
    await page.waitForFunction((y) => scrollY > y + 100, y0, { timeout: 5000 });
    assert.deepEqual(await viewBox(frame), before, `a plain wheel over ${id} must not change the view`);
  }
  // The hint says how to zoom instead (text, shown briefly).
  await scrollToEmbed(page);
  const map = await boxIn(page, frame, 'contour');
  await page.mouse.move(map.x + map.width / 2, map.y + map.height / 2);
  await page.mouse.wheel(0, 100);
  await frame.waitForFunction(() => document.querySelector('.gesture-hint.on')?.textContent.includes('scroll to zoom'));
  await page.waitForTimeout(400); // that wheel's scroll settles
  // Ctrl + wheel zooms the map (out for a positive delta) and does not scroll the article.
  const y0 = await page.evaluate(() => scrollY);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, 100);
  await page.keyboard.up('Control');
  await frame.waitForFunction((w) => {
    const b = window.gradlab.getState().config.view.view_box;
    return b.x_max - b.x_min > w * 1.1;
  }, before.x_max - before.x_min);
  assert.equal(await page.evaluate(() => scrollY), y0);
  assert.deepEqual(errors, []);
  await page.close();
});

/** A one-finger touch swipe (CDP), from (x, y) by dy, in article viewport coordinates. */
async function swipe(cdp, x, y, dy, steps = 8) {
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  for (let i = 1; i <= steps; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y + (dy * i) / steps }] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

test('phone article: a one-finger swipe over each plot scrolls the article, pinch zooms the map, a tap sets the start', async () => {
  const link = await defaultLink(phone);
  const url = ARTICLE('phone', articleHtml('?embed', link, 520));
  const { page, frame, errors } = await openArticle(phone, url);
  const cdp = await phone.newCDPSession(page);
  // A narrow embed shows one plot at a time; its switcher has a button per plot.
  const names = await frame.$$eval('#embed-switcher button', (bs) => bs.map((b) => b.textContent));
  assert.ok(names.length >= 3, `plot switcher: ${names}`);
  const before = await viewBox(frame);
  for (let i = 0; i < names.length; i++) {
    await scrollToEmbed(page);
    await frame.click(`#embed-switcher button:nth-child(${i + 1})`);
    const id = await frame.evaluate(() => [...document.querySelectorAll('#lab-surfaces > section.plot')].find((s) => !s.classList.contains('embed-away') && s.offsetParent)?.querySelector('canvas').id);
    assert.ok(id, `plot ${names[i]} is shown`);
    const box = await boxIn(page, frame, id);
    const y0 = await page.evaluate(() => scrollY);
    await swipe(cdp, box.x + box.width / 2, box.y + box.height * 0.7, -Math.min(250, box.height * 0.6));
    await page.waitForFunction((y) => scrollY > y + 40, y0, { timeout: 5000 })
      .catch(async () => assert.fail(`a swipe over ${id} did not scroll the article (scrollY ${y0} → ${await page.evaluate(() => scrollY)})`));
    assert.deepEqual(await viewBox(frame), before, `a one-finger swipe over ${id} must not pan the map`);
  }
  // The map keeps equal x and y scales in the narrow embed too.
  const lay = await frame.evaluate(() => window.gradlab.current().layout('contour'));
  assert.ok(Math.abs(lay.x_units_per_px / lay.y_units_per_px - 1) < 1e-9, 'square data aspect in a phone embed');
  // Pinch (two fingers moving apart) over the map zooms in.
  await scrollToEmbed(page);
  await frame.click('#embed-switcher button:nth-child(1)');
  await scrollStill(page); // a click scrolls its button into view first
  const map = await boxIn(page, frame, 'contour');
  const cx = map.x + map.width / 2;
  const cy = map.y + map.height / 2;
  await frame.evaluate(() => {
    window.touchLog = [];
    const c = document.getElementById('contour');
    for (const t of ['touchstart', 'touchmove', 'touchend']) c.addEventListener(t, (e) => window.touchLog.push(`${t}:${e.touches.length}`), { passive: true });
  });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: cx - 30, y: cy, id: 0 }, { x: cx + 30, y: cy, id: 1 }] });
  for (let i = 1; i <= 8; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: cx - 30 - i * 10, y: cy, id: 0 }, { x: cx + 30 + i * 10, y: cy, id: 1 }] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  const width = (b) => b.x_max - b.x_min;
  await frame.waitForFunction((w0) => {
    const b = window.gradlab.getState().config.view.view_box;
    return b.x_max - b.x_min < w0 * 0.7;
  }, width(before), { timeout: 5000 }).catch(() => {});
  const zoomed = await viewBox(frame);
  assert.ok(width(zoomed) < width(before) * 0.7, `pinch zooms in: ${width(before)} → ${width(zoomed)}; the map saw ${await frame.evaluate(() => window.touchLog.join(' '))}; map box ${JSON.stringify(map)}, scrollY ${await page.evaluate(() => scrollY)}`);
  // A tap sets the start point.
  const start0 = await frame.evaluate(() => window.gradlab.getState().config.start);
  const m2 = await boxIn(page, frame, 'contour');
  await page.touchscreen.tap(m2.x + m2.width * 0.3, m2.y + m2.height * 0.35);
  await frame.waitForFunction((s) => JSON.stringify(window.gradlab.getState().config.start) !== JSON.stringify(s), start0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('layout: at 320, 390, 760 and 1366 px the page has no horizontal overflow and no text under 11 px in the plots\' chrome', async () => {
  for (const lab of ['surfaces', 'regression', 'fit']) {
    for (const width of [320, 390, 760, 1366]) {
      const { page, errors } = await openPage(desktop, BASE, { width, height: 800 });
      await page.click(`.tabs [data-lab="${lab}"]`);
      await page.waitForTimeout(150);
      const m = await page.evaluate((lab) => {
        const root = document.getElementById(`lab-${lab}`);
        const small = [];
        for (const e of root.querySelectorAll('section.plot h3, section.plot h3 *, .player *, .gesture-hint, .basin-legend')) {
          if (!e.offsetParent || !e.textContent.trim()) continue;
          const px = parseFloat(getComputedStyle(e).fontSize);
          if (px < 11) small.push(`${e.tagName}.${e.className}: ${px}px`);
        }
        const cut = [...root.querySelectorAll('section.panel')].filter((s) => s.offsetParent && s.getBoundingClientRect().right > innerWidth + 0.5).map((s) => s.getAttribute('aria-label'));
        return { overflow: document.scrollingElement.scrollWidth - innerWidth, small, cut, columns: getComputedStyle(root).gridTemplateColumns.split(' ').length };
      }, lab);
      // The drawing code's own layout numbers: tick labels never collide, nothing under 11 px,
      // every label inside its canvas; the surfaces map has equal x and y scales.
      const plots = await page.evaluate((lab) => [...document.querySelectorAll(`#lab-${lab} section.plot canvas`)]
        .filter((c) => c.offsetParent && c.width > 0)
        .map((c) => ({ id: c.id, w: c.clientWidth, h: c.clientHeight, layout: window.gradlab.current().layout(c.id) })), lab);
      assert.ok(plots.filter((p) => p.layout).length >= 2, `${lab} at ${width}px reports its layouts`);
      for (const { id, w, h, layout } of plots) {
        if (!layout) continue;
        assert.ok(layout.min_font_px >= 11, `${lab}/${id} at ${width}px: ${layout.min_font_px}px text`);
        const ls = layout.labels;
        for (const a of ls) {
          assert.ok(a.x >= -0.5 && a.y >= -0.5 && a.x + a.w <= w + 0.5 && a.y + a.h <= h + 0.5, `${lab}/${id} at ${width}px: “${a.text}” outside the canvas`);
        }
        for (let i = 0; i < ls.length; i++) {
          for (let j = i + 1; j < ls.length; j++) {
            const [a, b] = [ls[i], ls[j]];
            const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
            assert.ok(!overlap, `${lab}/${id} at ${width}px: “${a.text}” overlaps “${b.text}”`);
          }
        }
        if (id === 'contour') {
          const r = layout.x_units_per_px / layout.y_units_per_px;
          assert.ok(Math.abs(r - 1) < 1e-9, `contour map at ${width}px: data aspect ${r}`);
        }
      }
      assert.ok(m.overflow <= 0, `${lab} at ${width}px: page overflows by ${m.overflow}px`);
      assert.deepEqual(m.cut, [], `${lab} at ${width}px: panels cut off`);
      assert.deepEqual(m.small, [], `${lab} at ${width}px: text under 11 px`);
      if (width < 760) assert.equal(m.columns, 1, `${lab} at ${width}px is one column`);
      assert.deepEqual(errors, []);
      await page.close();
    }
  }
});

test('keyboard: tabs follow the WAI-ARIA pattern, a focused map pans/zooms/resets with keys, playback keys work after clicking a playback button', async () => {
  const { page, errors } = await openPage(desktop, BASE);
  await page.focus('#tab-surfaces');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => window.gradlab.lab()), 'regression');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-regression');
  assert.equal(await page.getAttribute('#tab-regression', 'tabindex'), '0');
  assert.equal(await page.getAttribute('#tab-surfaces', 'tabindex'), '-1');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.evaluate(() => window.gradlab.lab()), 'surfaces');

  const box = () => page.evaluate(() => window.gradlab.getState().config.view.view_box);
  const b0 = await box();
  await page.focus('#contour');
  const k0 = await page.evaluate(() => window.gradlab.current().step());
  await page.keyboard.press('ArrowRight');
  const b1 = await box();
  assert.ok(b1.x_min > b0.x_min && b1.x_max > b0.x_max, 'ArrowRight moves the view right');
  assert.equal(await page.evaluate(() => window.gradlab.current().step()), k0, 'arrows on the map pan, not step');
  await page.keyboard.press('+');
  const b2 = await box();
  assert.ok(b2.x_max - b2.x_min < b1.x_max - b1.x_min, '+ zooms in');
  await page.keyboard.press('0');
  assert.deepEqual(await box(), b0, '0 resets the view');
  // The ⟲ button on the map resets too.
  await page.keyboard.press('ArrowUp');
  assert.notDeepEqual(await box(), b0);
  await page.click('#map-reset');
  assert.deepEqual(await box(), b0);

  // Space / Home / End on a focused plot drive playback and never scroll the page.
  await page.focus('#contour');
  await page.evaluate(() => scrollBy(0, 20));
  const y = await page.evaluate(() => scrollY);
  await page.keyboard.press('Home');
  assert.equal(await page.evaluate(() => window.gradlab.current().step()), 0, 'Home on the map: first iteration');
  await page.keyboard.press('End');
  assert.ok(await page.evaluate(() => window.gradlab.current().step()) > 0, 'End on the map: last iteration');
  assert.equal(await page.evaluate(() => scrollY), y, 'the page did not scroll');
  // Playback keys after clicking a playback button.
  await page.click('#pb-first');
  assert.equal(await page.evaluate(() => window.gradlab.current().step()), 0);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => window.gradlab.current().step()), 2);
  await page.keyboard.press('End');
  const end = await page.evaluate(() => window.gradlab.current().step());
  assert.ok(end > 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a course lesson travels with its link and embed (as its id), and says when the setup was changed', async () => {
  const { page, errors } = await openPage(desktop, BASE);
  await page.selectOption('#course-menu', 'lesson:wrong-jacobian');
  await page.waitForFunction(() => !document.getElementById('lesson').hidden);
  const title = await page.textContent('#lesson-title');
  assert.match(title, /Jacobian/);
  const state = await page.evaluate(() => window.gradlab.getState());
  assert.equal(state.course, 'wrong-jacobian');
  assert.equal(state.lesson, undefined, 'the texts come from the catalog, not the link');
  const link = await page.evaluate(() => window.gradlab.link());

  // The link opens with the lesson, unchanged.
  const other = await openPage(desktop, `${BASE}#${link}`);
  assert.equal(await other.page.textContent('#lesson-title'), title);
  assert.equal(await other.page.isVisible('#lesson-changed'), false);
  // In an embed too.
  const emb = await openPage(desktop, `${BASE}?embed#${link}`, { width: 640, height: 480 });
  assert.equal(await emb.page.isVisible('#lesson'), true);
  assert.equal(await emb.page.textContent('#lesson-title'), title);
  // …unless the embed asks for no lesson (and then nothing is veiled).
  const bare = await openPage(desktop, `${BASE}?embed&lesson=0#${link}`, { width: 640, height: 480 });
  assert.equal(await bare.page.isVisible('#lesson'), false);
  assert.equal(await bare.page.evaluate(() => document.querySelector('.predicting')), null);

  // Editing the experiment marks the lesson — also for whoever opens the edited link; restore
  // brings the lesson's own setup back.
  await other.page.evaluate(() => {
    const s = window.gradlab.getState();
    s.config.solvers = s.config.solvers.slice(0, 1);
    return window.gradlab.setState(s.config);
  });
  await other.page.waitForFunction(() => !document.getElementById('lesson-changed').hidden);
  const changedLink = await other.page.evaluate(() => window.gradlab.link());
  const third = await openPage(desktop, `${BASE}#${changedLink}`);
  assert.equal(await third.page.isVisible('#lesson-changed'), true);
  await other.page.click('#lesson-restore');
  await other.page.waitForFunction(() => document.getElementById('lesson-changed').hidden);
  assert.equal((await other.page.evaluate(() => window.gradlab.getState())).config.solvers.length, 2);
  assert.deepEqual([...errors, ...other.errors, ...emb.errors, ...bare.errors, ...third.errors], []);
  for (const p of [page, other.page, emb.page, bare.page, third.page]) await p.close();
});

test('the embed builder: snippets and Copy first, Copy waits for a description, a fallback link, where the run starts', async () => {
  const { page, errors } = await openPage(desktop, BASE);
  // The page shows iteration 3: the link holds it, and the builder offers it or the end.
  await page.evaluate(() => window.gradlab.current().setStep(3));
  await page.click('#embed-snippet');
  await page.waitForSelector('#embed-builder[open]');
  const snippets = () => page.$$eval('#embed-builder textarea', (ts) => ts.map((t) => t.value));
  const copy = (label) => page.locator('#embed-builder button.copy-button', { hasText: label });
  // No description yet: an empty box with an example, a message, and Copy turned off.
  const description = page.locator('#embed-builder input[name="description"]');
  assert.equal(await description.inputValue(), '');
  assert.match(await description.getAttribute('placeholder'), /^What the reader will see, e\.g\. “/);
  assert.ok(await page.isVisible('#embed-builder .msg:text("Add a description")'));
  assert.ok(await copy('Copy <gradlab-embed>').isDisabled(), 'Copy <gradlab-embed> off without a description');
  assert.ok(await copy('Copy iframe').isDisabled(), 'Copy iframe off without a description');
  let [element, iframe] = await snippets();
  assert.match(element, /<script type="module" src="[^"]+\/embed\.js"><\/script>/);
  assert.match(element, /<gradlab-embed link="v3\.[A-Za-z0-9_-]+"/);
  assert.match(element, /\bstep="3"/, 'starts at the iteration shown');
  assert.match(iframe, /^<iframe src="[^"]+\?embed&amp;step=3#v3\.[A-Za-z0-9_-]+" width="640" height="\d+"/);
  // Snippets and Copy buttons come before the preview and are on screen without scrolling the dialog.
  const layout = await page.evaluate(() => {
    const d = document.getElementById('embed-builder').getBoundingClientRect();
    const r = (e) => e.getBoundingClientRect();
    const parts = [...document.querySelectorAll('#embed-builder textarea, #embed-builder button.copy-button')].map(r);
    return { dialogBottom: Math.min(d.bottom, innerHeight), lowest: Math.max(...parts.map((b) => b.bottom)), preview: r(document.querySelector('#embed-builder iframe')).top };
  });
  assert.ok(layout.lowest <= layout.dialogBottom, `snippets and Copy visible without scrolling: ${JSON.stringify(layout)}`);
  assert.ok(layout.preview > layout.lowest, `the preview is below them: ${JSON.stringify(layout)}`);
  await page.uncheck('#embed-builder input[name="plot-surface"]');
  await page.uncheck('#embed-builder input[name="controls"]');
  await page.fill('#embed-builder input[name="description"]', 'GD on "peaks" <3');
  assert.ok(await copy('Copy <gradlab-embed>').isEnabled(), 'Copy on once described');
  assert.ok(await copy('Copy iframe').isEnabled());
  assert.equal(await page.isVisible('#embed-builder .msg:text("Add a description")'), false);
  [element, iframe] = await snippets();
  assert.match(element, /plots="contour,convergence"/);
  assert.match(element, /controls="0"/);
  assert.match(element, /description="GD on &quot;peaks&quot; &lt;3"/);
  // A fallback link inside the element: the full page of the same experiment.
  const link = element.match(/link="(v3\.[A-Za-z0-9_-]+)"/)[1];
  const fallback = element.match(/>\s*(<a href="([^"]+)">([^<]*)<\/a>)\s*<\/gradlab-embed>$/);
  assert.ok(fallback, `a fallback link inside the element: ${element}`);
  assert.equal(fallback[2], `${BASE}#${link}`);
  assert.equal(fallback[3], 'GD on &quot;peaks&quot; &lt;3 — open the experiment in gradlab ↗');
  assert.match(iframe, /\?embed&amp;plots=contour%2Cconvergence&amp;controls=0&amp;step=3#v3\./);
  // "the end of the run": no step attribute, and a link without one.
  await page.selectOption('#embed-builder select[name="step"]', 'end');
  const [atEnd, iframeAtEnd] = await snippets();
  assert.doesNotMatch(atEnd, /step=/);
  assert.doesNotMatch(iframeAtEnd, /step=/);
  const endLink = atEnd.match(/link="(v3\.[A-Za-z0-9_-]+)"/)[1];
  assert.notEqual(endLink, link, 'a link without the shown iteration');
  // The live preview is the embed with those options: two plots, no controls toggle.
  const frame = await (await page.waitForSelector('#embed-builder iframe')).contentFrame();
  await frame.waitForFunction(() => window.gradlab && document.querySelector('#embed-toggle-controls')?.hidden === true, null, { timeout: 10000 });
  const shown = await frame.$$eval('#lab-surfaces > section.plot', (ss) => ss.filter((s) => s.offsetParent).map((s) => s.querySelector('canvas').id));
  assert.deepEqual(shown, ['contour', 'convergence']);
  // The preview opens at the end of the run: its state has no step (one before the end would).
  await frame.waitForFunction(() => location.search.includes('plots=') && !location.search.includes('step=') && window.gradlab?.ready, null, { timeout: 10000 });
  await frame.evaluate(() => window.gradlab.ready);
  assert.equal(await frame.evaluate(() => window.gradlab.getState().step), undefined);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an embed tells its parent the height it wants (resize message), following its width', async () => {
  const link = await defaultLink(desktop);
  const page = await desktop.newPage();
  await page.setViewportSize({ width: 1000, height: 800 });
  const url = ARTICLE('resize', `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<iframe id="embed" style="width:640px;height:300px" src="${BASE}?embed&aspect=16/9#${link}"></iframe>
<script>window.heights = []; addEventListener('message', (e) => { if (e.data && e.data.type === 'gradlab:resize') heights.push(e.data.height); });</script></body></html>`);
  await page.goto(url);
  await page.waitForFunction(() => window.heights.length > 0);
  const wide = await page.evaluate(() => window.heights.at(-1));
  // 640 px wide at 16:9: 360 px of plots plus the bar.
  assert.ok(wide > 360 && wide < 460, `preferred height at 640 px, 16:9: ${wide}`);
  await page.evaluate(() => { document.getElementById('embed').style.width = '380px'; });
  await page.waitForFunction((w) => window.heights.at(-1) !== w, wide);
  const narrow = await page.evaluate(() => window.heights.at(-1));
  assert.ok(narrow > 380, `a phone-width embed shows one plot about as tall as wide: ${narrow}`);
  await page.close();
});

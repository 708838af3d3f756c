// Languages (issue 16, first part): English and 简体中文 from Rust's catalogs. The language follows
// the link's `lang`, then `?lang=`, then the reader's choice (remembered), then navigator.languages;
// links stay language-neutral unless an author chose a language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, BASE } from './browser.mjs';

let ctx;
before(async () => { ctx = await launch({ locale: 'zh-CN' }); });
after(async () => { await ctx?.close(); });

test('a Chinese browser gets Chinese labels, lessons and challenges; switching to English restores them and is remembered', async () => {
  const { page, errors } = await openPage(ctx, BASE);
  await page.evaluate(() => localStorage.removeItem('gradlab-lang'));
  await page.reload();
  await page.evaluate(() => window.gradlab.ready);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.equal((await page.textContent('#tab-surfaces')).trim(), '曲面');
  assert.match(await page.textContent('#lab-surfaces section.map h3'), /等高线图/);
  assert.match(await page.$eval('#course-menu optgroup', (g) => g.label), /课程/);
  // A lesson in Chinese: title, question and choices from the catalog; the numbers are the run's.
  await page.selectOption('#course-menu', 'lesson:step-size');
  await page.waitForFunction(() => !document.getElementById('lesson').hidden);
  assert.match(await page.textContent('#lesson-kind'), /第 3 课（共 \d+ 课）/);
  assert.match(await page.textContent('#lesson-title'), /步长与发散/);
  assert.match(await page.textContent('#teach-question'), /α = 0\.21 只比 α = 0\.19 大 10 %/);
  await page.click('#teach-choices button:has-text("发散")');
  await page.waitForFunction(() => !document.getElementById('teach-result').hidden);
  assert.match(await page.textContent('#teach-verdict'), /你的预测：“发散”。/);
  assert.match(await page.textContent('#teach-lines'), /\|1 − 0\.21·10\| = 1\.1/);
  // The run's sentences too (Rust's say.* templates): the outcome and the coach.
  assert.match(await page.textContent('#teach-lines'), /次迭代内收敛/);
  assert.match(await page.textContent('#coach'), /发散/);
  assert.match(await page.textContent('#coach'), /试试 α ≤ 0\.18/);
  // The link stays language-neutral.
  assert.equal((await page.evaluate(() => window.gradlab.getState())).lang, undefined);
  // Switch to English: labels and the lesson come back in English, and the choice is remembered.
  await page.selectOption('#lang-select', 'en');
  assert.equal((await page.textContent('#tab-surfaces')).trim(), 'Surfaces');
  assert.match(await page.textContent('#lesson-title'), /Step size and divergence/);
  await page.reload();
  await page.evaluate(() => window.gradlab.ready);
  assert.equal((await page.textContent('#tab-surfaces')).trim(), 'Surfaces');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link can choose the language (a Chinese tutorial embeds a Chinese experiment); ?lang= too', async () => {
  const { page, errors } = await openPage(ctx, `${BASE}?lang=en`);
  assert.equal((await page.textContent('#tab-surfaces')).trim(), 'Surfaces');
  const link = await page.evaluate(async () => {
    const s = window.gradlab.getState();
    await window.gradlab.setState({ ...s, lang: 'zh-CN' });
    return window.gradlab.link();
  });
  assert.equal((await page.textContent('#tab-surfaces')).trim(), '曲面');
  const emb = await openPage(ctx, `${BASE}?embed#${link}`, { width: 640, height: 480 });
  assert.equal(await emb.page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.equal((await emb.page.evaluate(() => window.gradlab.getState())).lang, 'zh-CN');
  // The same numbers in either language.
  const en = await openPage(ctx, `${BASE}?lang=en#${link}`);
  assert.deepEqual(await en.page.evaluate(() => window.gradlab.fingerprints()), await emb.page.evaluate(() => window.gradlab.fingerprints()));
  assert.deepEqual([...errors, ...emb.errors, ...en.errors], []);
  for (const p of [page, emb.page, en.page]) await p.close();
});

// ---- Simplified Chinese is complete (issue 16): per lab, after a run, with the update written
// out and a field error shown, no visible text is an English catalog text or holds English prose.
// Names of methods, people, problems and abbreviations stay as they are (the glossary keeps them).
import { readFileSync } from 'node:fs';

const CATALOG = (f) => JSON.parse(readFileSync(new URL(`../../src/i18n/${f}`, import.meta.url), 'utf8'));
const EN = CATALOG('en.json');
const ZH = CATALOG('zh-CN.json');
/** English catalog texts that read differently in Chinese (a name such as "Adam" does not). */
const ENGLISH_ONLY = new Set(Object.entries(EN)
  .filter(([k, v]) => ZH[k] !== v && !v.includes('{') && /[A-Za-z]{3,}/.test(v))
  .map(([, v]) => v.replace(/\s+/g, ' ').trim()));
const ALLOWED = new Set(['gradlab', 'Rust', 'WebAssembly', 'Armijo', 'Wolfe', 'Nesterov', 'AdaGrad', 'RMSProp', 'Adam',
  'BFGS', 'L-BFGS', 'Fletcher', 'Reeves', 'Polak', 'Ribière', 'Nelder', 'Mead', 'Nielsen', 'Marquardt', 'Levenberg', 'Moré', 'Ctrl', 'Tab', 'Shift', 'Enter', 'Escape', 'Home', 'End',
  'peaks', 'Rosenbrock', 'Himmelblau', 'Michaelis', 'Menten', 'Moré', 'MINPACK', 'SGD', 'CSV', 'NIST', 'MSE', 'RMS', 'SSR', 'SVD', 'QR',
  'NaN', 'grad', 'min', 'max', 'exp', 'log', 'nfev', 'njev', 'ftol', 'xtol', 'gtol', 'LRE', 'JSON', 'PNG', 'URL']);

/** Visible text of the page (and the plots' text descriptions, which screen readers read). */
function visibleTexts(page) {
  return page.evaluate(() => {
    const out = [];
    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const el = n.parentElement;
      const t = n.data.replace(/\s+/g, ' ').trim();
      if (!t || !el || el.closest('script, style, textarea, [hidden]')) continue;
      if (el.closest('.plot-desc') || el.checkVisibility()) out.push(t);
    }
    // What a field says before anything is typed, and the names screen readers read for controls.
    for (const el of document.querySelectorAll('input, select, button, textarea')) {
      if (!el.checkVisibility()) continue;
      for (const a of ['placeholder', 'aria-label', 'title']) {
        const t = (el.getAttribute(a) || '').replace(/\s+/g, ' ').trim();
        if (t) out.push(t);
      }
    }
    return out;
  });
}

function englishLeft(texts) {
  const bad = [];
  for (const t of texts) {
    if (ENGLISH_ONLY.has(t)) { bad.push(`catalog text: ${t}`); continue; }
    const words = (t.match(/[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’]{2,}/g) || []).filter((w) => !ALLOWED.has(w));
    if (words.length) bad.push(`${t.slice(0, 160)}  [${words.join(' ')}]`);
  }
  return bad;
}

const LABS = [
  { lab: 'surfaces', field: '#start_x', value: '1e300', msg: '.msg[data-for="start_x"]',
    // Six solvers (Newton's shift, BFGS's line search, Nelder–Mead's moves…) at step 3, the lens on.
    prepare: async (page) => {
      await page.evaluate(async () => {
        const s = window.gradlab.getState();
        const solvers = ['gradient_descent', 'newton', 'bfgs', 'nelder_mead', 'adam', 'nesterov'].map((method) => ({ method }));
        await window.gradlab.setState({ ...s, config: { ...s.config, solvers } });
        await window.gradlab.settled();
        window.gradlab.current().setStep(3);
      });
      await page.click('#lens-btn');
      await page.waitForFunction(() => !document.getElementById('lens-box').hidden);
    },
    explain: '#explain' },
  { lab: 'regression', field: '#rg-learning_rate', value: '1e9', msg: '#lab-regression .msg[data-for="learning_rate"]', explain: '#rg-update' },
  { lab: 'fit', field: '#fit-n', value: '1e9', msg: '#lab-fit .msg[data-for="n"]', explain: '#fit-explain',
    // Every solver's settings open (labels, choices and their hints are read too).
    prepare: async (page) => { await page.evaluate(() => { for (const d of document.querySelectorAll('#fit-solver-list details')) d.open = true; }); } },
];

for (const { lab, field, value, msg, prepare, explain } of LABS) {
  test(`zh-CN ${lab}: after a run, with the update written out and a field error shown, no English prose is left`, async () => {
    const { page, errors } = await openPage(ctx, `${BASE}?lang=zh-CN`);
    await page.click(`#tab-${lab}`);
    await page.evaluate(() => window.gradlab.settled());
    if (prepare) await prepare(page);
    await page.fill(field, value);
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.trim(), msg);
    // The error and the update rules are in Chinese, the numbers as they were.
    assert.match(await page.textContent(msg), /[\u4e00-\u9fff]/);
    assert.match(await page.textContent(explain), /[\u4e00-\u9fff]/);
    const texts = await visibleTexts(page);
    assert.ok(texts.length > 100, `${texts.length} texts`);
    assert.deepEqual(englishLeft(texts), []);
    // The same check finds English when the page is English (it is not vacuous).
    await page.selectOption('#lang-select', 'en');
    assert.ok(englishLeft(await visibleTexts(page)).length > 20);
    await page.evaluate(() => localStorage.removeItem('gradlab-lang'));
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('zh-CN embed builder: its labels, hints and buttons are Chinese', async () => {
  const { page, errors } = await openPage(ctx, `${BASE}?lang=zh-CN`);
  await page.click('#embed-snippet');
  await page.waitForFunction(() => document.getElementById('embed-builder')?.open);
  const texts = await page.evaluate(() => {
    const out = [];
    const d = document.getElementById('embed-builder');
    const w = document.createTreeWalker(d, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const t = n.data.replace(/\s+/g, ' ').trim();
      if (t && !n.parentElement.closest('textarea, pre, code') && n.parentElement.checkVisibility()) out.push(t);
    }
    return out;
  });
  assert.ok(texts.length > 10, `${texts.length} texts`);
  // <gradlab-embed> and iframe are the names of what is copied.
  assert.deepEqual(englishLeft(texts.map((t) => t.replace(/<?gradlab-embed>?|iframe/g, ''))), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the tutorial in Chinese (tutorial/zh-CN.html): Chinese prose, and its embeds open in Chinese', async () => {
  const { page, errors } = await (async () => {
    const p = await ctx.newPage();
    const errs = [];
    p.on('console', (m) => { if (m.type() === 'error') errs.push(m.text()); });
    p.on('pageerror', (e) => errs.push(String(e)));
    await p.goto(`${BASE}tutorial/zh-CN.html`);
    return { page: p, errors: errs };
  })();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  const prose = await page.evaluate(() => {
    const out = [];
    const w = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const t = n.data.replace(/\s+/g, ' ').trim();
      // Code is Python; a link to the English version is in English on purpose.
      if (t && !n.parentElement.closest('pre, code, [lang="en"], gradlab-embed')) out.push(t);
    }
    return out;
  });
  assert.ok(prose.join('').length > 1500, `the whole article (${prose.join('').length} characters)`);
  const extra = new Set(['NumPy', 'MATLAB', 'Misra1a', 'gradlab']);
  assert.deepEqual(englishLeft(prose.map((t) => t.replace(/[A-Za-z][A-Za-z0-9]+/g, (w) => (extra.has(w) ? '' : w)))), []);
  // Each embed asks its page for Chinese (lang="zh-CN" → ?lang=zh-CN), placeholder included.
  const langs = await page.evaluate(() => [...document.querySelectorAll('gradlab-embed')].map((e) => e.getAttribute('lang')));
  assert.deepEqual(langs, ['zh-CN', 'zh-CN', 'zh-CN', 'zh-CN', 'zh-CN']);
  await page.locator('gradlab-embed').first().scrollIntoViewIfNeeded();
  const frame = await (await page.waitForSelector('gradlab-embed iframe')).contentFrame();
  await frame.waitForFunction(() => window.gradlab?.ready);
  await frame.evaluate(() => window.gradlab.ready);
  assert.equal(await frame.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.deepEqual(errors, []);
  await page.close();
});

test('zh-CN: a link that cannot be opened is explained in Chinese, in the page and in an embed', async () => {
  for (const url of [`${BASE}?lang=zh-CN#v3.garbage`, `${BASE}?embed&lang=zh-CN#v9.abc`]) {
    const { page, errors } = await openPage(ctx, url);
    await page.waitForFunction(() => !document.getElementById('share-msg').hidden);
    const text = (await page.textContent('#share-msg .text')).trim();
    assert.match(text, /这个链接无法打开：.*现在显示默认实验。/, text);
    // (base64url: the name of the encoding, kept as the glossary keeps names.)
    assert.deepEqual(englishLeft([text.replace('base64url', '')]), []);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

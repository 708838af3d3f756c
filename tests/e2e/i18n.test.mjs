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

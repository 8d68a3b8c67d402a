import * as assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { watchCsp } from './csp';
import { recordMetric } from './metrics';
import { ROOT, Workbench } from './workbench';

const WORKSPACE = join(ROOT, 'test', 'e2e', 'fixtures', 'workspace');
const VSIX = join(ROOT, 'ml-concept-lens.vsix');
const SEED = join(ROOT, '..', 'shared', 'seed', '000_6fada3179e4d45f5.txt');
const LIGHT = { 'workbench.colorTheme': 'Default Light Modern', 'editor.hover.delay': 300 };
const REPEATS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Milliseconds from `action` to the first `selector` shown (laid out, visible) in any frame: the
 * webview frames the action creates, or those already there. The same clock and the same wait for
 * our panel and for VS Code's own Markdown preview.
 */
let lastStart = 0;
async function timeToFirst(wb: Workbench, selector: string, action: () => Promise<void>): Promise<number> {
  const page = wb.page;
  let t0 = 0;
  let finished = false;
  let onFrame: (f: Frame) => void = () => undefined;
  const shown = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${selector} did not show within 30 s`)), 30_000);
    onFrame = (f: Frame) => {
      f.waitForSelector(selector, { state: 'visible', timeout: 30_000 }).then(
        () => {
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          resolve(Date.now() - t0);
        },
        () => undefined,
      );
    };
  });
  page.on('frameattached', onFrame);
  try {
    for (const f of page.frames()) if (f !== page.mainFrame()) onFrame(f);
    t0 = lastStart = Date.now();
    await action();
    return await shown;
  } finally {
    finished = true;
    page.off('frameattached', onFrame);
  }
}

/**
 * Where the time to a panel's first paint goes, from the panel frame's own clock: the command until
 * VS Code starts loading the webview's page, until our script says ready, until the page message
 * arrives, until it is painted.
 */
async function breakdown(frame: Frame, start: number): Promise<Record<string, number>> {
  const at = await frame.evaluate(() => {
    const mark = (name: string) => performance.getEntriesByName(name).at(-1)?.startTime ?? NaN;
    return { origin: performance.timeOrigin, ready: mark('panel:ready'), page: mark('panel:page'), painted: mark('panel:painted') };
  });
  const load = at.origin - start;
  return { webview_load: Math.round(load), script_ready: Math.round(at.ready), page_message: Math.round(at.page - at.ready), insert_paint: Math.round(at.painted - at.page) };
}

describe('The explanation panel: speed against the Markdown preview, CSP, languages', function () {
  this.timeout(300_000);
  let wb: Workbench;
  let csp: ReturnType<typeof watchCsp>;
  const panelFrame = (selector: string, timeout = 20_000) => wb.webviewFrame(selector, { frameHas: '#content', timeout });
  const closeAll = async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.page.locator('.webview').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  };

  before(async () => {
    wb = await Workbench.start({ workspace: WORKSPACE, vsix: [VSIX], settings: LIGHT });
    csp = watchCsp(wb.page);
    copyFileSync(SEED, join(wb.workspace, 'seed-QA.md'));
  });
  after(async () => {
    recordMetric('panel_csp_errors', csp?.violations.length ?? -1);
    await wb?.stop();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const name = `failed-panel-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`;
      await wb.screenshot(name);
      wb.saveLogs(name);
    }
    await wb.page.mouse.move(5, 5);
    await wb.page.keyboard.press('Escape');
  });

  it('warms up: the first webview of the window pays for the service worker and fonts', async () => {
    await wb.openFile('seed-QA.md');
    await timeToFirst(wb, '.katex', () => wb.page.keyboard.press('Control+K').then(() => wb.page.keyboard.press('V')));
    await closeAll();
    await wb.runCommand('ML Concept Lens: Open Explanation Panel');
    await panelFrame('#content a[data-concept]');
    await closeAll();
  });

  it('(c) VS Code\'s Markdown preview of the seed notes → first .katex painted', async () => {
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      await closeAll();
      await wb.openFile('seed-QA.md');
      await wb.page.waitForTimeout(300);
      times.push(await timeToFirst(wb, '.katex', async () => {
        await wb.page.keyboard.press('Control+K');
        await wb.page.keyboard.press('V');
      }));
    }
    console.log(`      preview: ${times.join(', ')} ms`);
    recordMetric('preview_katex_ms', median(times));
  });

  it('(b) Explain Term at Cursor → first KaTeX painted', async () => {
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      await closeAll();
      await wb.openFile('train_vae.py', { expectText: 'def kl_divergence' });
      await wb.clickText('kl_divergence', { line: 'def kl_divergence' });
      await wb.page.waitForTimeout(300);
      times.push(await timeToFirst(wb, '#content .katex', () => wb.page.keyboard.press('Control+Alt+E')));
      console.log(`      explain breakdown: ${JSON.stringify(await breakdown(await panelFrame('#content .katex'), lastStart))}`);
    }
    console.log(`      explain: ${times.join(', ')} ms`);
    recordMetric('panel_explain_ms', median(times));
  });

  it('(a) the hover\'s "Open explanation" link → first KaTeX painted', async () => {
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      await closeAll();
      await wb.openFile('train_vae.py', { expectText: 'def reparameterize' });
      await wb.tryHoverText('reparameterize', { line: 'def reparameterize', timeout: 10_000, until: /Open explanation/ });
      const link = wb.page.locator('.monaco-hover-content a', { hasText: 'Open explanation' }).filter({ visible: true }).first();
      await link.waitFor();
      // A plain mouse click where the link is, like the key presses of (b) and (c): Playwright's
      // locator.click() would first wait for the element to be stable, on our clock.
      const box = (await link.boundingBox())!;
      await wb.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      times.push(await timeToFirst(wb, '#content .katex', () => wb.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)));
    }
    console.log(`      hover link: ${times.join(', ')} ms`);
    recordMetric('panel_hover_ms', median(times));
  });

  it('(d) in an open panel, a related link → the new concept\'s first KaTeX painted', async () => {
    await closeAll();
    await wb.runCommand('ML Concept Lens: Open Explanation Panel');
    const frame = await panelFrame('#content a[data-concept="elbo"]');
    await frame.locator('#content a[data-concept="elbo"]').first().click();
    await frame.locator('article[data-concept="elbo"] .related a').first().waitFor();
    const times: number[] = [];
    const inPage: number[] = [];
    // ELBO ↔ its related concepts with formulas, back and forth, each click a fresh page.
    const related = await frame.locator('article[data-concept="elbo"] .related a').evaluateAll(as => as.map(a => (a as HTMLElement).dataset.concept!));
    assert.ok(related.length >= 2, `related: ${related}`);
    for (let i = 0; i < REPEATS; i++) {
      const from = i % 2 ? related[0] : 'elbo';
      const to = i % 2 ? 'elbo' : related[0];
      await frame.locator(`article[data-concept="${from}"]`).waitFor();
      await frame.locator(`article[data-concept="${from}"] .related a[data-concept="${to}"]`).waitFor();
      await wb.page.waitForTimeout(300);
      times.push(await timeToFirst(wb, `article[data-concept="${to}"] .katex`, () =>
        frame.locator(`article[data-concept="${from}"] .related a[data-concept="${to}"]`).click()));
      // The panel's own clock: the click event until the frame that shows the new page's formulas.
      inPage.push(await frame.evaluate(() => Math.round(performance.getEntriesByName('panel:painted').at(-1)!.startTime - performance.getEntriesByName('panel:click').at(-1)!.startTime)));
    }
    console.log(`      navigate: ${times.join(', ')} ms (Playwright's clock); ${inPage.join(', ')} ms (the panel's clock)`);
    recordMetric('panel_navigate_e2e_ms', median(times));
    recordMetric('panel_navigate_ms', median(inPage));
  });

  /** The id of the question heading at the top of the panel's view (below the toolbar). */
  const questionAtTop = (frame: Frame) =>
    frame.evaluate(() => {
      const top = document.querySelector('.toolbar')!.getBoundingClientRect().bottom;
      let at = '';
      for (const q of Array.from(document.querySelectorAll('section.qa'))) if (q.getBoundingClientRect().top <= top + 1) at = q.querySelector('.question')?.id ?? '';
      return at;
    });

  it('a built-in page shows "From your notes" with the note\'s math typeset by the notes renderer', async () => {
    await closeAll();
    await wb.openFile('train_vae.py', { expectText: 'def neg_elbo' });
    await wb.clickText('neg_elbo', { line: 'def neg_elbo' });
    await wb.page.keyboard.press('Control+Alt+E');
    const frame = await panelFrame('article[data-concept="elbo"] .from-notes .katex', 30_000);
    assert.match(await frame.locator('.from-notes .section-title').first().innerText(), /From your notes/i);
  });

  it('switching the content language re-renders the open panel at once, on the same question', async () => {
    const frame = await panelFrame('article[data-concept="elbo"] #q3');
    await frame.evaluate(() => {
      const top = document.querySelector('.toolbar')!.getBoundingClientRect().bottom;
      window.scrollTo(0, window.scrollY + document.getElementById('q3')!.getBoundingClientRect().top - top + 40);
    });
    assert.equal(await questionAtTop(frame), 'q3');
    await wb.setSettings({ 'mlConceptLens.contentLanguage': 'zh-cn' });
    await frame.locator('h1', { hasText: '证据下界' }).waitFor({ timeout: 15_000 });
    assert.equal(await questionAtTop(frame), 'q3', 'the Chinese page is not on the same question');
    assert.match(await frame.locator('section.qa').first().innerText(), /[\u4e00-\u9fff]/);
    await wb.page.waitForTimeout(300);
    await wb.screenshot('panel-zh-live');
    await wb.setSettings({ 'mlConceptLens.contentLanguage': 'en' });
    await frame.locator('h1', { hasText: 'Evidence lower bound' }).waitFor({ timeout: 15_000 });
    assert.equal(await questionAtTop(frame), 'q3', 'back in English, not on the same question');
  });

  it('with the content language zh-cn, the panel, tree, status bar and hover speak Chinese', async () => {
    await wb.setSettings({ 'mlConceptLens.contentLanguage': 'zh-cn' });
    const frame = await panelFrame('article[data-concept="elbo"]');
    await frame.locator('h1', { hasText: '证据下界' }).waitFor({ timeout: 15_000 });
    await frame.evaluate(() => window.scrollTo(0, 0));
    // The panel's own words: toolbar, section titles, buttons, tab title.
    assert.equal(await frame.locator('#index').innerText(), '索引');
    assert.equal(await frame.locator('#language').innerText(), 'English');
    assert.match((await frame.locator('#search').getAttribute('placeholder')) ?? '', /^搜索概念/);
    assert.match((await frame.locator('#back').getAttribute('title')) ?? '', /^后退$/);
    const titles = await frame.locator('.section-title').allInnerTexts();
    assert.ok(titles.length >= 3, titles.join());
    for (const t of titles) assert.match(t, /^[\u4e00-\u9fff]+$/, `section title "${t}"`);
    assert.match(await frame.locator('.copy-latex').first().textContent() ?? '', /复制 LaTeX/);
    assert.match(await frame.locator('.snippets button').first().innerText(), /^插入/);
    await wb.page.locator('.tabs-container .tab.active', { hasText: '证据下界' }).waitFor({ timeout: 10_000 });
    await wb.page.waitForTimeout(300);
    await wb.screenshot('panel-zh-light');
    // The index and the search results.
    await frame.locator('#index').click();
    await frame.locator('h1', { hasText: '全部概念' }).waitFor();
    assert.ok(await frame.locator('h2', { hasText: '你的笔记' }).count(), 'no 你的笔记 section in the index');
    await frame.locator('#search').fill('zzzz-no-such-concept');
    await frame.locator('#results .empty', { hasText: '没有匹配的概念' }).waitFor();
    await frame.locator('#search').fill('滑动窗口');
    await frame.locator('#results a', { hasText: '滑动窗口' }).first().waitFor();
    await frame.locator('#search').press('Escape');
    // The tree: topic titles and "你的笔记".
    await wb.runCommand('View: Close All Editors');
    const folderHeader = wb.page.locator('.pane-header', { hasText: /^\s*workspace/i }).first();
    await folderHeader.click();
    await wb.page.locator('.pane-header', { hasText: 'ML Concepts' }).click();
    await wb.page.locator('.monaco-list-row', { hasText: '你的笔记' }).first().waitFor({ timeout: 15_000 });
    await wb.page.locator('.monaco-list-row', { hasText: '生成模型' }).first().waitFor();
    await wb.screenshot('tree-zh');
    await wb.page.locator('.pane-header', { hasText: 'ML Concepts' }).click();
    await folderHeader.click();
    // The status bar item's tooltip.
    const status = wb.page.locator('.statusbar-item', { hasText: /^\s*ML\s*$/ }).first();
    await status.hover();
    await wb.page.locator('.workbench-hover, .monaco-hover', { hasText: '机器学习概念悬停提示已开启（点击关闭）' }).first().waitFor({ timeout: 10_000 });
    await wb.page.mouse.move(5, 5);
    // The hover: Chinese labels and punctuation.
    await wb.openFile('train_vae.py', { expectText: 'def neg_elbo' });
    const hover = (await wb.tryHoverText('neg_elbo', { line: 'def neg_elbo', timeout: 20_000, until: /^证据下界/ })) ?? '';
    assert.match(hover, /打开讲解/);
    assert.match(hover, /相关：/);
    assert.doesNotMatch(hover, /Open explanation|Related|Insert implementation/);
    await wb.screenshot('hover-zh');
    await wb.setSettings({ 'mlConceptLens.contentLanguage': undefined });
  });

  it('logged no CSP violation in any frame during the whole run', () => {
    csp.assertNone();
  });
});

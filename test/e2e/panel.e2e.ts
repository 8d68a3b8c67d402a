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
 * webview frames the action creates, or those already there, by Playwright's clock. Playwright sees an
 * element as visible in its own document, while VS Code keeps a new webview's frame hidden until the
 * document's load event, and it notices with a lag of its own; `shown` (see watchWebviewShown) is
 * what a person sees, read off the webview's own clock, for a new webview.
 */
let lastStart = 0;
async function timeToFirst(wb: Workbench, selector: string, action: () => Promise<void>): Promise<{ frame: Frame; ms: number }> {
  const page = wb.page;
  let t0 = 0;
  let finished = false;
  let onFrame: (f: Frame) => void = () => undefined;
  const found = new Promise<{ frame: Frame; at: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${selector} did not show within 30 s`)), 30_000);
    onFrame = (f: Frame) => {
      f.waitForSelector(selector, { state: 'visible', timeout: 30_000 }).then(
        () => {
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          resolve({ frame: f, at: Date.now() - t0 });
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
    const { frame, at } = await found;
    return { frame, ms: at };
  } finally {
    finished = true;
    page.off('frameattached', onFrame);
  }
}

/** Milliseconds from the last timeToFirst's action until a new webview showed `frame`'s formulas (see watchWebviewShown). */
async function timeToShown(frame: Frame): Promise<number> {
  const host = frame.parentFrame();
  const at = host && (await host.waitForFunction(() => (window as { mlclKatexShownAt?: number }).mlclKatexShownAt, undefined, { timeout: 10_000 }).then(h => h.jsonValue()));
  if (!at) throw new Error('the webview host frame did not record when its content was shown');
  return Math.round(at - lastStart);
}

/** Both clocks of one measurement, repeated: `shown` is the metric, Playwright's is kept beside it. */
class Clocks {
  private readonly shown: number[] = [];
  private readonly playwright: number[] = [];
  constructor(private readonly label: string) {}

  async add(found: { frame: Frame; ms: number }): Promise<{ frame: Frame }> {
    this.shown.push(await timeToShown(found.frame));
    this.playwright.push(found.ms);
    return found;
  }

  record(metric: string): void {
    console.log(`      ${this.label}: shown ${this.shown.join(', ')} ms; Playwright's clock ${this.playwright.join(', ')} ms`);
    recordMetric(metric, median(this.shown));
    recordMetric(metric.replace(/_ms$/, '_playwright_ms'), median(this.playwright));
  }
}

/**
 * In every webview host frame (VS Code's pre/index.html, the parent of the content frame) created from
 * now on: the epoch time of the first animation frame in which its visible content frame has a
 * `.katex` laid out. The same watch serves our panel and VS Code's Markdown preview.
 */
async function watchWebviewShown(wb: Workbench): Promise<void> {
  await wb.page.context().addInitScript(() => {
    if (window === window.top || !document.location.pathname.endsWith('/pre/index.html')) return;
    const w = window as { mlclKatexShownAt?: number };
    const started = performance.now();
    const tick = () => {
      const frame = document.getElementById('active-frame') as HTMLIFrameElement | null;
      const katex = frame?.style.visibility === 'visible' ? frame.contentDocument?.querySelector('.katex') : undefined;
      if (katex && katex.getBoundingClientRect().width > 0) w.mlclKatexShownAt = performance.timeOrigin + performance.now();
      else if (performance.now() - started < 30_000) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/**
 * Where the time to a panel's first paint goes, from the panel frame's own clock: the command until
 * VS Code starts loading the webview's page, until the first page (inside the HTML) is painted, until
 * our script says ready, and until the page message with the rest of the page arrives.
 */
async function breakdown(frame: Frame, start: number): Promise<Record<string, number>> {
  const at = await frame.evaluate(() => {
    const mark = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
    return { origin: performance.timeOrigin, ready: mark('panel:ready'), page: mark('panel:page'), painted: mark('panel:painted') };
  });
  return {
    webview_load: Math.round(at.origin - start),
    painted: Math.round(at.painted),
    script_ready: Math.round(at.ready),
    page_message: Math.round(at.page - at.ready),
  };
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
    await watchWebviewShown(wb);
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
    const clocks = new Clocks('preview');
    for (let i = 0; i < REPEATS; i++) {
      await closeAll();
      await wb.openFile('seed-QA.md');
      await wb.page.waitForTimeout(300);
      await clocks.add(await timeToFirst(wb, '.katex', async () => {
        await wb.page.keyboard.press('Control+K');
        await wb.page.keyboard.press('V');
      }));
    }
    clocks.record('preview_katex_ms');
  });

  it('(b) Explain Term at Cursor → first KaTeX painted', async () => {
    const clocks = new Clocks('explain');
    for (let i = 0; i < REPEATS; i++) {
      await closeAll();
      await wb.openFile('train_vae.py', { expectText: 'def kl_divergence' });
      await wb.clickText('kl_divergence', { line: 'def kl_divergence' });
      await wb.page.waitForTimeout(300);
      const { frame } = await clocks.add(await timeToFirst(wb, '#content .katex', () => wb.page.keyboard.press('Control+Alt+E')));
      console.log(`      explain breakdown: ${JSON.stringify(await breakdown(frame, lastStart))}`);
    }
    clocks.record('panel_explain_ms');
  });

  it('(a) the hover\'s "Open explanation" link → first KaTeX painted', async () => {
    const clocks = new Clocks('hover link');
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
      const { frame } = await clocks.add(await timeToFirst(wb, '#content .katex', () => wb.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)));
      console.log(`      hover link breakdown: ${JSON.stringify(await breakdown(frame, lastStart))}`);
      await wb.page.locator('.monaco-hover-content a', { hasText: 'Open explanation' }).filter({ visible: true }).first().waitFor({ state: 'hidden', timeout: 5000 });
    }
    clocks.record('panel_hover_ms');
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
      const { ms } = await timeToFirst(wb, `article[data-concept="${to}"] .katex`, () => frame.locator(`article[data-concept="${from}"] .related a[data-concept="${to}"]`).click());
      times.push(ms);
      // The panel's own clock: the click event until the frame that shows the new page's formulas.
      inPage.push(await frame.evaluate(() => Math.round(performance.getEntriesByName('panel:painted').at(-1)!.startTime - performance.getEntriesByName('panel:click').at(-1)!.startTime)));
    }
    console.log(`      navigate: ${times.join(', ')} ms (Playwright's clock); ${inPage.join(', ')} ms (the panel's clock)`);
    recordMetric('panel_navigate_e2e_ms', median(times));
    recordMetric('panel_navigate_ms', median(inPage));
  });

  it('a first page painted from the panel\'s HTML lays out its formulas exactly as one sent by message, with no font fetched', async () => {
    /** Every box inside the page's first formulas, relative to the page. */
    const boxes = (frame: Frame) =>
      frame.evaluate(() => {
        const article = document.querySelector('article[data-concept="elbo"]')!.getBoundingClientRect();
        const formulas = Array.from(document.querySelectorAll('article[data-concept="elbo"] .katex')).slice(0, 3);
        return formulas.flatMap(f => [f, ...Array.from(f.querySelectorAll('*'))]).map(el => {
          const r = el.getBoundingClientRect();
          return [r.x - article.x, r.y - article.y, r.width, r.height].map(v => Math.round(v * 10) / 10).join(',');
        });
      });
    await closeAll();
    await wb.openFile('train_vae.py', { expectText: 'def neg_elbo' });
    await wb.clickText('neg_elbo', { line: 'def neg_elbo' });
    await wb.page.keyboard.press('Control+Alt+E');
    const frame = await panelFrame('article[data-concept="elbo"] section.qa');
    assert.equal(await frame.locator('#content').getAttribute('data-first'), 'elbo', 'the first page did not come with the HTML');
    const styledByClass = () =>
      frame.evaluate(() => Array.from(document.querySelectorAll('article[data-concept="elbo"] .katex *')).filter(el => Array.from(el.classList).some(c => /^k\d+$/.test(c))).length);
    assert.ok((await styledByClass()) > 30, 'the first formulas are not styled by the page\'s classes');
    const fromHtml = await boxes(frame);
    await frame.locator('#index').click();
    await frame.locator('#content a[data-concept="elbo"]').first().click();
    await frame.locator('article[data-concept="elbo"] section.qa').first().waitFor();
    const fromMessage = await boxes(frame);
    assert.equal(await styledByClass(), 0, 'the page sent by message should carry its styles as data-s, set by the script');
    assert.ok(fromHtml.length > 30, `only ${fromHtml.length} boxes`);
    assert.deepEqual(fromHtml, fromMessage);
    // Its fonts came with the stylesheet: none was fetched, so none held the webview's load event.
    assert.deepEqual(await frame.evaluate(() => performance.getEntriesByType('resource').map(e => e.name).filter(n => /\.woff2?\b/.test(n))), []);
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

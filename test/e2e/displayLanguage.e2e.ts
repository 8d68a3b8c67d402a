import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { watchCsp } from './csp';
import { ROOT, Workbench, packageExtension } from './workbench';

const WORKSPACE = join(ROOT, 'test', 'e2e', 'fixtures', 'workspace');
const VSIX = join(ROOT, 'ml-concept-lens.vsix');
const nlsZh = JSON.parse(readFileSync(join(ROOT, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
const zh = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const HAN = /[\u4e00-\u9fff]/;

/**
 * VS Code itself in Chinese, the way a user gets there: a zh-cn language pack installed into the running
 * window, then a reload, with code-server started with `--locale zh-cn`. The pack is a test fixture
 * without translations (the real one is not reachable offline), so VS Code's own strings stay English
 * and every Chinese string on screen is ours. `mlConceptLens.contentLanguage` stays `auto`.
 */
describe('VS Code in Chinese (display language zh-cn, content language auto)', function () {
  this.timeout(300_000);
  let wb: Workbench;
  let csp: ReturnType<typeof watchCsp>;

  before(async () => {
    const pack = packageExtension(join(ROOT, 'test', 'e2e', 'fixtures', 'zh-cn-display-language'), join(ROOT, 'test-results', 'zh-cn-display-language.vsix'));
    wb = await Workbench.start({ workspace: WORKSPACE, vsix: [VSIX], locale: 'zh-cn', settings: { 'workbench.colorTheme': 'Default Light Modern', 'editor.hover.delay': 300 } });
    assert.equal(await wb.displayLanguage(), 'en', 'without a language pack, --locale zh-cn should not change the display language');
    await wb.installExtension(pack);
    await wb.reload();
    csp = watchCsp(wb.page);
  });
  after(async () => wb?.stop());
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const name = `failed-zh-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`;
      await wb.screenshot(name);
      wb.saveLogs(name);
    }
    await wb.page.mouse.move(5, 5);
    await wb.page.keyboard.press('Escape');
  });

  it('VS Code reports zh-cn, and the command palette and the view name are Chinese', async () => {
    assert.equal(await wb.displayLanguage(), 'zh-cn');
    const input = await wb.openQuickInput('F1');
    await input.fill('>ML Concept Lens');
    for (const key of ['cmd.lookUp', 'cmd.explain', 'cmd.openPanel', 'cmd.insert', 'cmd.toggle', 'cmd.reload'])
      await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: `ML Concept Lens: ${nlsZh[key]}` }).first().waitFor({ timeout: 10_000 });
    await wb.screenshot('zh-display-palette');
    await wb.page.keyboard.press('Escape');
    await wb.page.locator('.pane-header', { hasText: nlsZh['view.concepts'] }).waitFor();
  });

  it('the tree, the status bar and a command\'s message are Chinese', async () => {
    const folderHeader = wb.page.locator('.pane-header', { hasText: /^\s*workspace/i }).first();
    await folderHeader.click();
    await wb.page.locator('.pane-header', { hasText: nlsZh['view.concepts'] }).click();
    await wb.page.locator('.monaco-list-row', { hasText: zh['Your notes'] }).first().waitFor({ timeout: 15_000 });
    await wb.page.locator('.monaco-list-row', { hasText: '生成模型' }).first().waitFor();
    await wb.screenshot('zh-display-tree');
    await wb.page.locator('.pane-header', { hasText: nlsZh['view.concepts'] }).click();
    await folderHeader.click();

    const status = wb.page.locator('.statusbar-item', { hasText: /^\s*ML\s*$/ }).first();
    await status.hover();
    await wb.page.locator('.workbench-hover, .monaco-hover', { hasText: zh['ML concept hovers are on (click to turn off)'] }).first().waitFor({ timeout: 10_000 });
    await wb.page.mouse.move(5, 5);

    await wb.runCommand('View: Close All Editors');
    await wb.runCommand(`ML Concept Lens: ${nlsZh['cmd.explain']}`);
    await wb.notification(zh['Open a file and put the cursor on a term to explain it.']);
  });

  it('the hover and the panel it opens are Chinese, with Chinese punctuation', async () => {
    await wb.openFile('train_vae.py', { expectText: 'def neg_elbo' });
    const hover = (await wb.tryHoverText('neg_elbo', { line: 'def neg_elbo', timeout: 20_000, until: /^证据下界/ })) ?? '';
    assert.match(hover, /打开讲解/);
    assert.match(hover, /相关：/);
    assert.doesNotMatch(hover, /Open explanation|Related|Insert implementation/);
    await wb.screenshot('zh-display-hover');
    const link = wb.page.locator('.monaco-hover-content a', { hasText: '打开讲解' }).filter({ visible: true }).first();
    await link.click();
    await wb.page.mouse.move(5, 5);
    const frame = await wb.webviewFrame('article[data-concept="elbo"] .section-title', { frameHas: '#content', timeout: 20_000 });
    assert.equal(await frame.locator('#index').innerText(), zh.Index);
    assert.equal(await frame.locator('#language').innerText(), 'English');
    assert.equal(await frame.locator('#search').getAttribute('placeholder'), zh['Search concepts (English or 中文)…']);
    assert.match(await frame.locator('h1').first().innerText(), /^证据下界/);
    for (const t of await frame.locator('.section-title').allInnerTexts()) assert.match(t, /^[\u4e00-\u9fff]+$/, `section title "${t}"`);
    await wb.page.locator('.tabs-container .tab.active', { hasText: '证据下界' }).waitFor({ timeout: 10_000 });
    await wb.page.waitForTimeout(300);
    await wb.screenshot('zh-display-panel');
  });

  it('the settings page is titled "ML Concept Lens" and describes every setting in Chinese', async () => {
    await wb.runCommand('View: Close All Editors');
    // Browsing, not searching: search results label each setting with its whole key ("Ml Concept Lens ›").
    await wb.executeCommand('workbench.action.openSettings2');
    const toc = wb.page.locator('.settings-editor .settings-toc-container');
    await toc.locator('.monaco-list-row', { hasText: /^\s*Extensions/ }).first().click({ timeout: 15_000 });
    // The table of contents is a virtual list: scroll it until our entry is rendered.
    const entry = toc.getByText('ML Concept Lens', { exact: true }).first();
    const box = (await toc.boundingBox())!;
    await wb.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 40 && !(await entry.isVisible()); i++) {
      await wb.page.mouse.wheel(0, 150);
      await wb.page.waitForTimeout(50);
    }
    await entry.click();
    const settings = wb.page.locator('.settings-editor');
    await settings.locator('.settings-group-title-label', { hasText: /^ML Concept Lens$/ }).first().waitFor({ timeout: 10_000 });
    await settings.getByText(nlsZh['cfg.group.hover'], { exact: true }).first().waitFor();
    await wb.page.waitForTimeout(500);
    await wb.screenshot('zh-display-settings');
    const labels = await settings.locator('.setting-item-label').allInnerTexts();
    assert.ok(labels.length >= 3, labels.join());
    for (const l of labels) assert.doesNotMatch(l, /Ml Concept Lens/, `setting label "${l}"`);
    const descriptions = await settings.locator('.setting-item-description').allInnerTexts();
    for (const d of descriptions) assert.match(d, HAN, `setting description "${d}"`);
    assert.ok(descriptions.some(d => d.includes(nlsZh['cfg.hoverEnabled'])), descriptions.join('\n'));
  });

  it('the walkthrough is Chinese', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.executeCommand('workbench.action.openWalkthrough', 'ml-concept-lens.ml-concept-lens#gettingStarted', false);
    await wb.page.locator('.gettingStartedContainer', { hasText: nlsZh['walk.title'] }).first().waitFor({ timeout: 15_000 });
    for (const key of ['walk.hover.title', 'walk.lookUp.title', 'walk.insert.title'])
      await wb.page.locator('.gettingStartedContainer', { hasText: nlsZh[key] }).first().waitFor();
    await wb.screenshot('zh-display-walkthrough');
  });

  it('logged no CSP violation in any frame', () => csp.assertNone());
});

import * as assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bigNotes } from './bigNotes';
import { recordMetric } from './metrics';
import { ROOT, Workbench, formatInHostResults, runExtensionTests, tempDir } from './workbench';

const WORKSPACE = join(ROOT, 'test', 'e2e', 'fixtures', 'reliability');
/**
 * The packaged extension (`npm run package`), installed into code-server the way users install it.
 * E2E_VSIX points at another build, e.g. the main branch's, to measure the in-host figures before a change.
 */
const VSIX = process.env.E2E_VSIX ?? join(ROOT, 'ml-concept-lens.vsix');
const SETTINGS = { 'workbench.colorTheme': 'Default Light Modern', 'editor.hover.delay': 300 };
const SPECTRAL = { line: 'labels = spectral', timeout: 3000 };

describe('reliability in a real VS Code: Restricted Mode, huge notes files, symbolic links', function () {
  this.timeout(300_000);
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.start({ workspace: WORKSPACE, vsix: [VSIX], restricted: true, settings: SETTINGS });
  });
  after(async () => {
    await wb?.stop();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const name = `failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`;
      await wb.screenshot(name);
      wb.saveLogs(name);
    }
    await wb.page.mouse.move(5, 5);
    await wb.page.keyboard.press('Escape');
  });

  /** Hovers spectral_clustering until `want` holds (a notes hover present or absent), for up to `tries` hovers. */
  async function notesHoverUntil(want: boolean, tries: number): Promise<boolean> {
    await wb.openFile('uses_notes.py', { expectText: 'spectral_clustering' });
    for (let i = 0; i < tries; i++) {
      const text = await wb.tryHoverText('spectral_clustering', SPECTRAL);
      if (/谱聚类/.test(text ?? '') === want) return true;
      await wb.page.mouse.move(5, 5);
    }
    return false;
  }

  it('in Restricted Mode indexes no workspace notes file until the user names it or trusts the folder', async () => {
    await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ timeout: 30_000 });
    // The extension runs in Restricted Mode: a built-in term hovers (so it is active and has indexed).
    await wb.openFile('vae_loss.py', { expectText: 'def neg_elbo' });
    const builtin = await wb.tryHoverText('neg_elbo', { line: 'def neg_elbo', timeout: 30_000 });
    assert.match(builtin ?? '', /Evidence lower bound/i);
    // study-QA.md matches the default glob **/*QA*.md, which must not apply to an untrusted folder.
    await wb.openFile('uses_notes.py', { expectText: 'spectral_clustering' });
    for (let i = 0; i < 4; i++) {
      const text = await wb.tryHoverText('spectral_clustering', SPECTRAL);
      assert.doesNotMatch(text ?? '', /谱聚类|From your notes/, 'a notes file of an untrusted folder was indexed');
    }
    await wb.screenshot('reliability-restricted-no-notes');

    // The user's own settings may name the file: then it is indexed, trusted or not.
    await wb.setSettings({ 'mlConceptLens.notes.files': ['*QA*.md'] });
    assert.ok(await notesHoverUntil(true, 15), 'a notes file named by user settings was not indexed in Restricted Mode');
    await wb.setSettings({ 'mlConceptLens.notes.files': undefined });
    assert.ok(await notesHoverUntil(false, 15), 'the notes hover stayed after the user setting was removed');

    // Trusting the folder brings the default globs back, without a reload of the window.
    await wb.runCommand('Workspaces: Manage Workspace Trust');
    const trust = wb.page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust( Folder)?$/ }).first();
    await trust.click({ timeout: 20_000 });
    await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ state: 'hidden', timeout: 20_000 });
    await wb.page.keyboard.press('Control+W');
    assert.ok(await notesHoverUntil(true, 20), 'the notes file was not indexed after the folder was trusted');
    await wb.screenshot('reliability-trusted-notes-hover');
  });

  it('refuses a 3 MB notes file with one diagnostic, unread, while hovers keep working', async () => {
    await wb.openFile('vae_loss.py', { expectText: 'def neg_elbo' });
    let t = Date.now();
    assert.match((await wb.tryHoverText('neg_elbo', { line: 'def neg_elbo', timeout: 15_000 })) ?? '', /Evidence lower bound/i);
    recordMetric('reliability_hover_idle_ms', Date.now() - t);
    await wb.page.mouse.move(5, 5);

    const big = bigNotes(3 * 1024 * 1024, '巨型', 'Huge');
    writeFileSync(join(wb.workspace, 'huge-QA.md'), big);
    const written = Date.now();
    t = Date.now();
    assert.match((await wb.tryHoverText('neg_elbo', { line: 'def neg_elbo', timeout: 15_000 })) ?? '', /Evidence lower bound/i);
    recordMetric('reliability_hover_after_3mb_ms', Date.now() - t);

    await wb.page.keyboard.press('Control+Shift+M'); // the Problems panel
    const panel = wb.page.locator('.markers-panel');
    const refusal = panel.locator('.monaco-list-row', { hasText: 'over the 2 MB limit' });
    await refusal.first().waitFor({ timeout: 30_000 });
    recordMetric('reliability_3mb_diagnostic_ms', Date.now() - written);
    assert.equal(await refusal.count(), 1);
    assert.match((await refusal.first().textContent()) ?? '', /3 MB/);
    // The file's row in the Problems panel counts its problems: exactly the one.
    const fileRow = panel.locator('.monaco-list-row', { hasText: 'huge-QA.md' }).filter({ has: wb.page.locator('.monaco-count-badge') });
    assert.equal((await fileRow.locator('.monaco-count-badge').textContent())?.trim(), '1');
    await wb.screenshot('reliability-3mb-one-diagnostic');

    // Nothing else is lost: the small notes file's term still hovers, the huge file's terms do not.
    assert.ok(await notesHoverUntil(true, 10), 'the small notes file was lost');
    writeFileSync(join(wb.workspace, 'uses_notes.py'), 'import numpy as np\n\nlabels = spectral_clustering(affinity)\nterm = huge_term_7\n');
    await wb.page.locator('.view-line', { hasText: 'huge_term_7' }).waitFor({ timeout: 15_000 });
    // (The next test shows the same kind of term from an indexed file does hover.)
    assert.equal(await wb.tryHoverText('huge_term_7', { line: 'term = ', timeout: 3000 }), undefined);
  });

  it('indexes a 1.5 MB notes file in slices while built-in hovers keep answering', async () => {
    const big = bigNotes(1.5 * 1024 * 1024, '大型', 'Large');
    writeFileSync(join(wb.workspace, 'large-QA.md'), big);
    await wb.openFile('vae_loss.py', { expectText: 'def neg_elbo' });
    const t = Date.now();
    assert.match((await wb.tryHoverText('neg_elbo', { line: 'def neg_elbo', timeout: 15_000 })) ?? '', /Evidence lower bound/i);
    recordMetric('reliability_hover_during_1_5mb_ms', Date.now() - t);
    writeFileSync(join(wb.workspace, 'uses_notes.py'), 'import numpy as np\n\nlabels = spectral_clustering(affinity)\nterm = large_term_1234\n');
    await wb.openFile('uses_notes.py', { expectText: 'large_term_1234' });
    const written = Date.now();
    const text = await wb.tryHoverText('large_term_1234', { line: 'term = ', timeout: 60_000, until: /大型术语1234/ });
    assert.match(text ?? '', /大型术语1234/);
    recordMetric('reliability_1_5mb_indexed_ms', Date.now() - written);
    await wb.screenshot('reliability-1_5mb-notes-hover');
  });

  it('does not follow a symbolic link out of the folder', async () => {
    const outside = tempDir('mlcl-outside-');
    writeFileSync(join(outside, 'secret-QA.md'), '> 什么是外部术语？\n\n**外部术语（Outside Term）** 不应被索引。\n');
    mkdirSync(join(wb.workspace, 'linked'), { recursive: true });
    symlinkSync(outside, join(wb.workspace, 'linked', 'elsewhere'));
    symlinkSync(join(outside, 'secret-QA.md'), join(wb.workspace, 'link-QA.md'));
    await wb.runCommand('ML Concept Lens: Reload Notes');
    await wb.page.keyboard.press('Control+Shift+M');
    const links = wb.page.locator('.markers-panel .monaco-list-row', { hasText: 'symbolic link' });
    await links.nth(1).waitFor({ timeout: 30_000 });
    assert.equal(await links.count(), 2);
    writeFileSync(join(wb.workspace, 'uses_notes.py'), 'import numpy as np\n\nlabels = spectral_clustering(affinity)\nterm = outside_term\n');
    await wb.openFile('uses_notes.py', { expectText: 'outside_term' });
    assert.equal(await wb.tryHoverText('outside_term', { line: 'term = ', timeout: 3000 }), undefined);
    await wb.screenshot('reliability-symlinks-refused');
  });

  it('logged no CSP violation in the workbench or any webview during this spec', () => wb.csp.assertNone());
});

describe('reliability inside the extension host (vscode API)', function () {
  this.timeout(300_000);
  it('passes the in-host suite: openNote clamped, notes globs per workspace folder, host stalls while indexing large notes, a binary file refused', async () => {
    const run = await runExtensionTests({
      workspace: join(ROOT, 'test', 'e2e', 'fixtures', 'multiroot'),
      workspaceFile: 'multi.code-workspace',
      vsix: [VSIX],
      files: [join(__dirname, 'inhost', 'reliability.inhost.js')],
    });
    const report = formatInHostResults(run);
    console.log(report.replace(/^/gm, '      '));
    assert.equal(run.exitCode, 0, report);
    assert.equal(run.results?.failures, 0, report);
    assert.equal(run.results?.passes, 4, report);
  });
});

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordMetric } from './metrics';
import { ROOT, Workbench, formatInHostResults, runExtensionTests } from './workbench';

const WORKSPACE = join(ROOT, 'test', 'e2e', 'fixtures', 'workspace');
/** The packaged extension (`npm run package`), installed into code-server the way users install it. */
const VSIX = join(ROOT, 'ml-concept-lens.vsix');
const LIGHT = { 'workbench.colorTheme': 'Default Light Modern' };
const PYTHON = '/usr/bin/python3';

/** Runs a saved Python file with `check` appended: the inserted code is definitions only, no demo. */
function runWith(path: string, check: string) {
  return spawnSync(PYTHON, ['-c', `${readFileSync(path, 'utf8')}\n\n${check}`], { encoding: 'utf8', timeout: 120_000 });
}

describe('ML Concept Lens in a real VS Code (code-server + Chromium)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  const dialogs: string[] = [];
  /** Our explanation panel's webview frame (its root is #content), once `selector` exists in it. */
  const panelFrame = (selector: string, timeout = 20_000) => wb.webviewFrame(selector, { frameHas: '#content', timeout });

  before(async () => {
    wb = await Workbench.start({ workspace: WORKSPACE, vsix: [VSIX], settings: { ...LIGHT, 'editor.hover.delay': 300 } });
    wb.page.on('dialog', d => {
      dialogs.push(d.message());
      void d.dismiss();
    });
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

  describe('hovers', () => {
    it('hovering neg_elbo in Python shows the ELBO title, summary, typeset formula and links', async () => {
      await wb.openFile('train_vae.py', { expectText: 'def neg_elbo' });
      const text = await wb.tryHoverText('neg_elbo', { line: 'def neg_elbo', timeout: 10_000 });
      assert.ok(text, 'no hover appeared');
      assert.match(text, /Evidence lower bound/i);
      assert.match(text, /证据下界/);
      assert.match(text, /Open explanation/);
      assert.match(text, /Insert implementation/);
      assert.match(text, /Related:/);
      const img = wb.page.locator('.monaco-hover-content img').first();
      const src = (await img.getAttribute('src')) ?? '';
      assert.match(src, /^data:image\/svg\+xml;base64,/);
      assert.match(Buffer.from(src.split(',')[1], 'base64').toString(), /#1f1f1f/, 'light theme ink');
      assert.ok((await img.evaluate((i: HTMLImageElement) => i.naturalWidth)) > 50, 'formula image did not load');
      assert.equal(await wb.page.locator('.monaco-hover-content', { hasText: 'Evidence lower bound' }).count(), 1, 'hover shown twice');
      await wb.screenshot('hover-light');
    });

    it('inks the formula for a dark theme', async () => {
      await wb.setSettings({ 'workbench.colorTheme': 'Default Dark Modern' });
      await wb.page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 15_000 });
      const text = await wb.tryHoverText('neg_elbo', { line: 'def neg_elbo', timeout: 10_000 });
      assert.match(text ?? '', /Evidence lower bound/i);
      const src = (await wb.page.locator('.monaco-hover-content img').first().getAttribute('src')) ?? '';
      assert.match(Buffer.from(src.split(',')[1], 'base64').toString(), /#cccccc/);
      await wb.screenshot('hover-dark');
      await wb.setSettings(LIGHT);
      await wb.page.locator('.monaco-workbench.vs').waitFor({ timeout: 15_000 });
    });

    it('hovers new concepts in a transformer training step, a library call with its pitfall first', async () => {
      await wb.openFile('gpt_train.py', { expectText: 'class CausalSelfAttention' });
      const cases: [word: string, line: string, title: RegExp, name: string][] = [
        ['softmax', 'att = F.softmax', /Softmax/, 'softmax'],
        ['AdamW', 'optimizer = torch.optim.AdamW', /AdamW/, 'adamw'],
        ['cross_entropy', 'loss = F.cross_entropy', /logits/, 'cross-entropy-pitfall'],
      ];
      for (const theme of ['light', 'dark'] as const) {
        if (theme === 'dark') {
          await wb.setSettings({ 'workbench.colorTheme': 'Default Dark Modern' });
          await wb.page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 15_000 });
        }
        for (const [word, line, title, name] of cases) {
          const text = await wb.tryHoverText(word, { line, timeout: 10_000, until: title });
          assert.match(text ?? '', title, `${word}: ${text}`);
          const img = wb.page.locator('.monaco-hover-content img').first();
          assert.ok((await img.evaluate((i: HTMLImageElement) => i.naturalWidth)) > 20, `${word}: formula image did not load`);
          await wb.screenshot(`hover-${name}-${theme}`);
          await wb.page.mouse.move(5, 5);
          await wb.page.keyboard.press('Escape');
        }
      }
      const pitfall = await wb.tryHoverText('cross_entropy', { line: 'loss = F.cross_entropy', timeout: 10_000, until: /logits/ });
      assert.match(pitfall?.split('\n')[0] ?? '', /cross_entropy/, 'the pitfall leads the hover');
      await wb.setSettings(LIGHT);
      await wb.page.locator('.monaco-workbench.vs').waitFor({ timeout: 15_000 });
    });

    it('stays silent on fid in code that opens a file descriptor', async () => {
      await wb.openFile('io_utils.py', { expectText: 'os.open' });
      assert.equal(await wb.tryHoverText('fid', { line: 'fid = os.open', timeout: 4000 }), undefined);
    });

    it('hovers computeElbo in TypeScript', async () => {
      await wb.openFile('metrics.ts', { expectText: 'computeElbo' });
      assert.match((await wb.tryHoverText('computeElbo', { line: 'export function computeElbo', timeout: 10_000, until: /Evidence lower bound/i })) ?? '', /Evidence lower bound/i);
    });

    it('hovers a term inside a Jupyter notebook cell (built-in ipynb notebook editor)', async () => {
      await wb.openFile('analysis.ipynb', { expectText: 'covmean' });
      await wb.page.locator('.notebook-editor').first().waitFor();
      const text = await wb.tryHoverText('covmean', { line: 'covmean = linalg', timeout: 10_000 });
      assert.match(text ?? '', /Fr[ée]chet/i);
      await wb.screenshot('notebook-hover');
    });
  });

  describe('commands and the explanation panel', () => {
    it('Look Up Concept (Ctrl+Alt+M) finds 变分下界 and opens the panel with typeset math', async () => {
      await wb.openFile('train_vae.py', { expectText: 'def neg_elbo' });
      await wb.page.keyboard.press('Control+Alt+M');
      await wb.pick('变分下界', 'Evidence lower bound (ELBO)');
      const frame = await panelFrame('.katex');
      assert.match(await frame.locator('h1').first().innerText(), /Evidence lower bound/i);
      await frame.locator('section.qa').first().waitFor(); // the questions follow the first paint
      assert.ok((await frame.locator('.katex').count()) > 5);
      assert.ok(!(await frame.locator('#content').innerText()).includes('$$'));
      await wb.page.waitForTimeout(500);
      await wb.screenshot('panel-en-light');
    });

    it('follows a related link, goes back, and searches in Chinese', async () => {
      const frame = await panelFrame('.related a');
      const first = frame.locator('.related a').first();
      const target = await first.innerText();
      await first.click();
      await frame.locator('h1', { hasText: target }).waitFor();
      await frame.locator('#back').click();
      await frame.locator('h1', { hasText: 'Evidence lower bound' }).waitFor();
      await frame.locator('#search').fill('滑动窗口');
      const result = frame.locator('#results a').first();
      await result.waitFor();
      assert.match(await result.innerText(), /Sliding window/i);
      await frame.locator('#search').press('Escape');
      assert.equal(await frame.locator('#results').isHidden(), true);
    });

    it('Explain Term at Cursor from the editor context menu opens the concept under the cursor', async () => {
      await wb.runCommand('View: Close All Editors');
      await wb.openFile('train_vae.py', { expectText: 'def kl_divergence' });
      await wb.contextMenu('kl_divergence', 'Explain Term at Cursor', { line: 'def kl_divergence' });
      const frame = await panelFrame('h1');
      await frame.locator('h1', { hasText: /Kullback.Leibler \(KL\) divergence/ }).waitFor();
    });

    it('opens the panel from the hover link', async () => {
      await wb.runCommand('View: Close All Editors');
      await wb.openFile('train_vae.py', { expectText: 'def reparameterize' });
      await wb.tryHoverText('reparameterize', { line: 'def reparameterize', timeout: 10_000 });
      await wb.page.locator('.monaco-hover-content a', { hasText: 'Open explanation' }).filter({ visible: true }).first().click();
      const frame = await panelFrame('h1');
      await frame.locator('h1', { hasText: /Reparameteri[sz]ation trick/i }).waitFor();
    });

    it('opens the panel from the ML Concepts tree', async () => {
      // Fold the folder's file list so the ML Concepts view has room to render its rows.
      const folderHeader = wb.page.locator('.pane-header', { hasText: /^\s*workspace/i }).first();
      await folderHeader.click();
      await wb.page.locator('.pane-header', { hasText: 'ML Concepts' }).click();
      const topic = wb.page.locator('.monaco-list-row', { hasText: 'Long context' }).first();
      await topic.waitFor();
      await topic.click();
      await wb.page.locator('.monaco-list-row', { hasText: 'KV cache' }).first().click();
      const frame = await panelFrame('h1');
      await frame.locator('h1', { hasText: /KV cache/i }).waitFor();
      await wb.page.locator('.pane-header', { hasText: 'ML Concepts' }).click();
      await folderHeader.click();
    });

    it('follows a dark theme and switches the page to Chinese', async () => {
      await wb.setSettings({ 'workbench.colorTheme': 'Default Dark Modern' });
      await wb.page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 15_000 });
      await wb.page.keyboard.press('Control+Alt+M');
      await wb.pick('ELBO', 'Evidence lower bound (ELBO)');
      const frame = await panelFrame('.katex');
      await frame.locator('h1', { hasText: 'Evidence lower bound' }).waitFor();
      // KaTeX inherits the theme's foreground: light ink on a dark page.
      const ink = await frame.locator('.katex').first().evaluate(e => getComputedStyle(e).color);
      const [r, g, b] = (ink.match(/\d+/g) ?? []).map(Number);
      assert.ok(r + g + b > 3 * 150, `formula ink ${ink} is not light`);
      await wb.page.waitForTimeout(300);
      await wb.screenshot('panel-en-dark');
      await frame.locator('#language').click();
      await frame.locator('h1', { hasText: '证据下界' }).waitFor();
      await frame.locator('section.qa').first().waitFor();
      assert.match(await frame.locator('#content').innerText(), /为什么/);
      await wb.page.waitForTimeout(300);
      await wb.screenshot('panel-zh-dark');
      await wb.setSettings(LIGHT);
      await wb.page.locator('.monaco-workbench.vs').waitFor({ timeout: 15_000 });
      await wb.page.waitForTimeout(500);
      await wb.screenshot('panel-zh-light');
      await frame.locator('#language').click();
      await frame.locator('h1', { hasText: 'Evidence lower bound' }).waitFor();
    });

    it('inserts an implementation from the panel into the last editor', async () => {
      await wb.runCommand('View: Close All Editors');
      await wb.openFile('scratch_kmeans.py');
      await wb.page.keyboard.press('Control+Alt+M');
      await wb.pick('k-means', 'k-means clustering');
      const frame = await panelFrame('button[data-snippet="kmeans-numpy"]');
      await frame.locator('button[data-snippet="kmeans-numpy"]').click();
      assert.equal(await frame.locator('#back').isDisabled(), true, 'the click also navigated the panel');
      await wb.editorLine('import numpy').waitFor();
      await wb.page.keyboard.press('Escape');
      await wb.save();
      const path = join(wb.workspace, 'scratch_kmeans.py');
      const run = runWith(path, [
        'rng = np.random.default_rng(0)',
        'X = np.concatenate([rng.normal(size=(50, 2)), rng.normal(size=(50, 2)) + 6])',
        'centres, labels, history = kmeans(X, 2, rng)',
        'print("clusters", sorted(np.bincount(labels).tolist()), "J non-increasing", all(b <= a + 1e-9 for a, b in zip(history, history[1:])))',
      ].join('\n'));
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /clusters \[50, 50\] J non-increasing True/);
    });

    it('restores the panel on the same concept and scroll position after a window reload', async () => {
      const before = await panelFrame('h1');
      const title = await before.locator('h1').first().innerText();
      await before.locator('section.qa').first().waitFor();
      await before.evaluate(() => window.scrollTo(0, 300));
      await wb.page.waitForTimeout(600); // the panel saves its scroll position after scrolling stops
      await wb.runCommand('Developer: Reload Window');
      await wb.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      const frame = await panelFrame('h1', 60_000);
      await frame.locator('h1', { hasText: title }).waitFor({ timeout: 30_000 });
      assert.ok((await frame.evaluate(() => window.scrollY)) > 100, 'scroll position not restored');
    });
  });

  describe('reference implementations', () => {
    for (const [file, snippetTitle, snippetId, call, check] of [
      ['scratch_numpy.py', 'Fréchet', 'fid-numpy', 'X = np.random.default_rng(0).normal(size=(500, 4))\nprint(f"FID(X, X) = {fid_from_features(X, X):.6f}")', /FID\(X, X\) = -?0\.0000/],
      ['scratch_torch.py', 'VAE', 'vae-loss-torch', 'print(f"KL = {kl_to_standard_normal(torch.zeros(2, 3), torch.zeros(2, 3)).sum().item():.4f}")', /KL = 0\.0000/],
    ] as const) {
      it(`inserts ${snippetId} into ${file}: code only, no docstring or demo; the saved file runs`, async () => {
        await wb.openFile(file);
        await wb.runCommand('ML Concept Lens: Insert Reference Implementation…');
        await wb.pick(snippetId, snippetTitle);
        await wb.editorLine('import').waitFor();
        await wb.page.keyboard.press('Escape');
        await wb.save();
        const path = join(wb.workspace, file);
        const source = readFileSync(path, 'utf8');
        assert.ok(source.length > 200, 'nothing was inserted');
        assert.doesNotMatch(source, /__main__/, 'the demo was inserted');
        assert.doesNotMatch(source, /^"""/m, 'the module docstring was inserted');
        const run = runWith(path, call);
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, check);
      });
    }

    it('inserting next to a same-named function renames the inserted one (a tab stop) and the file runs', async () => {
      await wb.openFile('scratch_clash.py', { expectText: 'def gaussian_stats' });
      await wb.page.keyboard.press('Control+End');
      await wb.runCommand('ML Concept Lens: Insert Reference Implementation…');
      await wb.pick('fid-numpy', 'Fréchet');
      await wb.editorLine('def gaussian_stats_2').waitFor();
      await wb.notification(/gaussian_stats → gaussian_stats_2/);
      await wb.page.keyboard.press('Escape');
      await wb.save();
      const path = join(wb.workspace, 'scratch_clash.py');
      const source = readFileSync(path, 'utf8');
      assert.equal(source.match(/^def gaussian_stats\(/gm)?.length, 1, 'the user\'s function was redefined');
      assert.match(source, /return frechet_distance\(\*gaussian_stats_2\(features1\), \*gaussian_stats_2\(features2\)\)/);
      const run = runWith(path, 'X = np.random.default_rng(1).normal(size=(400, 3))\nprint("user", gaussian_stats([1, 3]), "fid", round(fid_from_features(X, X), 6))');
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /user \(2\.0, 1\.0\) fid -?0\.0/);
    });

    it('inserts into a notebook cell, reusing the notebook\'s imports; the saved notebook runs', async () => {
      await wb.runCommand('View: Close All Editors');
      await wb.openFile('analysis.ipynb', { expectText: 'covmean' });
      await wb.clickText('np.trace', { line: 'return ((mu1' });
      await wb.page.keyboard.press('End');
      await wb.runCommand('ML Concept Lens: Insert Reference Implementation…');
      await wb.pick('kid-numpy', 'Kernel Inception');
      await wb.editorLine('def kernel_inception_distance').waitFor();
      await wb.page.keyboard.press('Escape');
      await wb.save();
      const notebook = JSON.parse(readFileSync(join(wb.workspace, 'analysis.ipynb'), 'utf8')) as { cells: Array<{ source: string[] | string }> };
      const cells = notebook.cells.map(c => (Array.isArray(c.source) ? c.source.join('') : c.source));
      assert.equal(cells.length, 2, 'the notebook grew or lost a cell');
      assert.match(cells[1], /^from typing import Optional\n/, 'the missing import is not at the top of the cell');
      assert.match(cells[1], /def kernel_inception_distance/);
      assert.equal(cells.join('\n').match(/^import numpy as np$/gm)?.length, 1, 'numpy imported again');
      assert.doesNotMatch(cells[1], /__main__/, 'the demo was inserted');
      const check = [
        'rng = np.random.default_rng(0)',
        'X, Y = rng.normal(size=(300, 4)), rng.normal(size=(300, 4))',
        'same = kernel_inception_distance(X, Y, n_subsets=5, subset_size=100, rng=rng)[0]',
        'shifted = kernel_inception_distance(X, Y + 2, n_subsets=5, subset_size=100, rng=rng)[0]',
        'print("KID(same distribution) < KID(shifted):", same < shifted)',
      ].join('\n');
      const run = spawnSync(PYTHON, ['-c', `${cells.join('\n\n')}\n\n${check}`], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /KID\(same distribution\) < KID\(shifted\): True/, cells[1]);
      await wb.screenshot('notebook-insert');
    });

    it('says so when no editor is open instead of failing', async () => {
      await wb.runCommand('View: Close All Editors');
      await wb.runCommand('ML Concept Lens: Insert Reference Implementation…');
      await wb.notification('Open a Python file');
    });
    it('says so in a read-only editor and leaves the file alone', async () => {
      await wb.setSettings({ 'files.readonlyInclude': { '**/readonly_*.py': true } });
      const path = join(wb.workspace, 'readonly_model.py');
      const before = readFileSync(path, 'utf8');
      await wb.openFile('readonly_model.py', { expectText: 'weights' });
      await wb.runCommand('ML Concept Lens: Insert Reference Implementation…');
      await wb.pick('kmeans-numpy', 'k-means (Lloyd');
      await wb.notification(/read-only/);
      assert.equal(readFileSync(path, 'utf8'), before);
      assert.equal(await wb.editorLine('def kmeans').count(), 0, 'the editor shows an insertion');
      await wb.setSettings({ 'files.readonlyInclude': undefined });
    });
  });

  describe('languages', () => {
    it('shows Chinese first when the content language is zh-cn', async () => {
      await wb.setSettings({ 'mlConceptLens.contentLanguage': 'zh-cn' });
      await wb.openFile('train_vae.py', { expectText: 'def neg_elbo' });
      // The setting reaches the extension asynchronously: re-hover until the Chinese title leads.
      const text = await wb.tryHoverText('neg_elbo', { line: 'def neg_elbo', timeout: 30_000, until: /^证据下界/ });
      assert.match(text ?? '', /^证据下界/);
      assert.match(text ?? '', /打开讲解/);
      await wb.screenshot('hover-zh-cn');
      await wb.setSettings({ 'mlConceptLens.contentLanguage': undefined });
    });
  });

  describe('your notes', () => {
    const notesFile = () => join(wb.workspace, 'notes', 'live-QA.md');

    it('a new notes term becomes hoverable, follows edits, and goes away with the file', async () => {
      mkdirSync(join(wb.workspace, 'notes'), { recursive: true });
      writeFileSync(notesFile(), '> 什么是谱聚类？\n\n**谱聚类（Spectral Clustering）** 用图拉普拉斯的特征向量做聚类。\n');
      await wb.openFile('uses_notes.py', { expectText: 'spectral_clustering' });
      // Notes are indexed in the background: re-hover until the note shows.
      const spectral = { line: 'labels = spectral', timeout: 40_000 };
      let text = await wb.tryHoverText('spectral_clustering', { ...spectral, until: /谱聚类/ });
      assert.match(text ?? '', /谱聚类/);
      assert.match(text ?? '', /From your notes/);

      writeFileSync(notesFile(), '> 什么是谱聚类？\n\n**谱聚类（Spectral Clustering）** 先构图，再对拉普拉斯矩阵做特征分解。\n');
      text = await wb.tryHoverText('spectral_clustering', { ...spectral, until: /特征分解/ });
      assert.match(text ?? '', /特征分解/);

      writeFileSync(notesFile(), '> 什么是谱聚类？\n\n**谱聚类（Spectral Clustering）** 的公式：\n\n$$\nL = D - W\n');
      await wb.page.keyboard.press('Control+Shift+M'); // the Problems panel
      await wb.page.locator('.markers-panel', { hasText: 'unclosed $$' }).waitFor({ timeout: 20_000 });

      spawnSync('rm', ['-f', notesFile()]);
      let gone = false;
      for (let attempt = 0; attempt < 20 && !gone; attempt++) gone = (await wb.tryHoverText('spectral_clustering', { ...spectral, timeout: 1500 })) === undefined;
      assert.ok(gone, 'hover still shown after the notes file was deleted');
    });

    it('renders a notes file full of hostile input without running any of it', async () => {
      const hostile = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'hostile-inputs.json'), 'utf8')) as string[];
      writeFileSync(join(wb.workspace, 'notes', 'hostile-QA.md'), `> What is the Hostile Term?\n\n**Hostile Term** is a test.\n\n${hostile.join('\n\n')}\n`);
      // The file is indexed in the background: retry the lookup until the new term is there.
      for (let attempt = 0; ; attempt++) {
        await wb.page.keyboard.press('Control+Alt+M');
        if (await wb.tryPick('Hostile Term', 'Hostile Term', 3000)) break;
        assert.ok(attempt < 10, 'the hostile notes term never appeared in Look Up Concept');
        await wb.page.keyboard.press('Escape');
      }
      const frame = await panelFrame('.note-entry, .answer');
      await frame.locator('h1', { hasText: 'Hostile Term' }).waitFor();
      await wb.page.waitForTimeout(1500);
      for (const f of wb.page.frames()) {
        const pwned = await f.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned).catch(() => undefined);
        assert.equal(pwned, undefined, `script ran in ${f.url()}`);
      }
      assert.deepEqual(dialogs, []);
      // VS Code's own acquireVsCodeApi script (#_vscodeApiScript) is the one script without our nonce.
      const active = await frame.locator('script:not([nonce]):not(#_vscodeApiScript), iframe, img, object, embed').evaluateAll(els => els.map(e => e.outerHTML.slice(0, 200)));
      assert.deepEqual(active, []);
      await wb.screenshot('panel-hostile');
    });
  });

  describe('activation', () => {
    it('activates lazily and reports its activation time', async () => {
      await wb.runCommand('Developer: Show Running Extensions');
      const row = wb.page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'ML Concept Lens' }).first();
      await row.waitFor({ timeout: 20_000 });
      const text = await row.innerText();
      const ms = /(\d+)\s*ms/.exec(text);
      assert.ok(ms, `no activation time in: ${text}`);
      recordMetric('activation_ms', Number(ms[1]));
    });
  });

  it('logged no CSP violation in the workbench or any webview during this spec', () => wb.csp.assertNone());
});

describe('ML Concept Lens inside the extension host (vscode API)', function () {
  this.timeout(300_000);
  it('passes the in-host suite: hover results, insertion with imports, multi-cursor, undo, notes quick fix, panel paint time', async () => {
    const run = await runExtensionTests({ workspace: WORKSPACE, vsix: [VSIX], files: [join(__dirname, 'inhost', 'extension.inhost.js')] });
    const report = formatInHostResults(run);
    console.log(report.replace(/^/gm, '      '));
    assert.equal(run.exitCode, 0, report);
    assert.equal(run.results?.failures, 0, report);
    assert.equal(run.results?.passes, 7, report);
  });
});

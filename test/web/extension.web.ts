/**
 * ML Concept Lens in VS Code for the Web (web-worker extension host, virtual file system), used as a
 * person would, against the packaged extension (the .vsix's minified web bundle).
 */
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Frame } from 'playwright-core';
import { recordMetric } from '../e2e/metrics';
import { RESULTS, WORKSPACE, WebWorkbench, diskText, unpackVsix } from './webWorkbench';
import { errorLinesOfOurs } from './workerLog';

const NOTES = '> 什么是谱聚类？\n\n**谱聚类（Spectral Clustering）** 用图拉普拉斯的特征向量做聚类。\n';
const SCRATCH = 'import numpy as np\n\nx = np.zeros(3)\n\n';

describe('ML Concept Lens in VS Code for the Web (packaged .vsix)', function () {
  this.timeout(180_000);
  let wb: WebWorkbench;
  let extensionPath: string;
  const panelFrame = (selector: string) => wb.webviewFrame(selector, '#content');

  before(async () => {
    extensionPath = unpackVsix();
    wb = await WebWorkbench.start({
      extensionPath,
      workspace: WORKSPACE,
      files: { 'notes/spectral-QA.md': NOTES, 'scratch_web.py': SCRATCH },
      settings: { 'workbench.colorTheme': 'Default Light Modern', 'editor.hover.delay': 300 },
    });
    recordMetric('web_workbench_start_ms', wb.startMs);
  });
  after(async () => {
    await wb?.stop();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await wb.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
      writeFileSync(join(RESULTS, `failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}.log`), wb.log.join('\n'));
    }
    await wb.page.mouse.move(5, 5);
    await wb.page.keyboard.press('Escape');
  });

  it('ships only fonts its KaTeX stylesheet names, and names only fonts it ships', () => {
    const css = readFileSync(join(extensionPath, 'media', 'katex', 'katex.min.css'), 'utf8');
    const named = new Set([...css.matchAll(/url\(fonts\/([^)]+)\)/g)].map(m => m[1]));
    const shipped = new Set(readdirSync(join(extensionPath, 'media', 'katex', 'fonts')));
    assert.ok(named.size > 10, `only ${named.size} fonts named`);
    assert.deepEqual([...named].filter(f => !shipped.has(f)), [], 'named but not shipped');
    assert.deepEqual([...shipped].filter(f => !named.has(f)), [], 'shipped but never named');
  });

  it('hovering neg_elbo shows the ELBO hover with its formula image loaded', async () => {
    await wb.openFile('train_vae.py', 'def neg_elbo');
    const text = await wb.hoverText('neg_elbo', { line: 'def neg_elbo', until: /Open explanation/, timeout: 30_000 });
    assert.match(text, /Evidence lower bound/i);
    assert.match(text, /证据下界/);
    const img = wb.hoverWidget.locator('img').first();
    assert.match((await img.getAttribute('src')) ?? '', /^data:image\/svg\+xml;base64,/);
    assert.ok(await img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 50), 'formula image did not load');
    await wb.screenshot('hover-neg_elbo');
  });

  it('the hover opens the panel, with KaTeX painted in its own fonts', async () => {
    await wb.openFile('train_vae.py', 'def neg_elbo');
    await wb.hoverText('neg_elbo', { line: 'def neg_elbo', until: /Open explanation/ });
    await wb.hoverWidget.locator('a', { hasText: 'Open explanation' }).first().click();
    const frame = await panelFrame('#content .katex');
    assert.match(await frame.locator('#content h1').first().innerText(), /Evidence lower bound/i);
    const fonts = await katexFonts(frame);
    assert.equal(fonts.katexErrors, 0, 'KaTeX parse errors in the panel');
    assert.ok(fonts.formulas > 0, 'no typeset formula');
    assert.ok(fonts.loaded.some(f => /^KaTeX_/.test(f)), `no KaTeX font loaded: ${JSON.stringify(fonts)}`);
    assert.deepEqual(fonts.failed, [], 'KaTeX fonts that failed to load');
    // Off the hover onto the editor's empty lines (the window's right edge is the panel now), so it closes.
    await wb.page.mouse.move(600, 800);
    await wb.hoverWidget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    await wb.screenshot('panel-katex');
  });

  it('Look Up Concept finds 变分下界 and the panel shows the ELBO', async () => {
    await wb.runCommand('ML Concept Lens: Look Up Concept…');
    const rows = await wb.settledRows('变分下界', 'Evidence lower bound (ELBO)');
    assert.match(rows[0], /Evidence lower bound \(ELBO\)/, `first row: ${rows[0]}`);
    await wb.screenshot('lookup-变分下界');
    await wb.quickPickRow('Evidence lower bound (ELBO)').click();
    const frame = await panelFrame('#content h1');
    await frame.locator('#content h1', { hasText: /Evidence lower bound/i }).waitFor({ timeout: 15_000 });
    await frame.locator('section.qa').first().waitFor({ timeout: 15_000 });
    await wb.screenshot('lookup-panel');
  });

  it('a term from a *QA*.md notes file is hoverable in Python', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.openFile('uses_notes.py', 'spectral_clustering');
    const text = await wb.hoverText('spectral_clustering', { until: /From your notes/, timeout: 30_000 });
    assert.match(text, /谱聚类（Spectral Clustering） 用图拉普拉斯的特征向量做聚类。/);
    assert.match(text, /From your notes: 什么是谱聚类？ — 谱聚类（Spectral Clustering）.*open note/);
    await wb.screenshot('notes-hover');
  });

  it('inserts an implementation into a Python file, saved to the virtual file system and read back from it', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.openFile('scratch_web.py', 'np.zeros');
    await wb.gotoLine(5);
    await wb.runCommand('ML Concept Lens: Insert Reference Implementation…');
    await wb.pick('Lloyd', 'Lloyd');
    await wb.page.locator('.editor-group-container.active .view-line', { hasText: 'def kmeans(' }).first().waitFor({ timeout: 15_000 });
    await wb.page.keyboard.press('Escape'); // leave the snippet's tab stops
    await wb.screenshot('inserted');
    await wb.save();
    // Closed and opened again, the editor reads the file from the workspace's file system provider.
    await wb.runCommand('View: Close All Editors');
    await wb.openFile('scratch_web.py');
    const text = await wb.editorText();
    assert.equal(text.match(/^def kmeans\(/gm)?.length, 1, text.slice(0, 400));
    assert.equal(text.match(/^import numpy as np$/gm)?.length, 1, 'numpy imported twice');
    assert.match(text, /^from typing import Optional$/m, 'the missing import was not added');
    assert.ok(text.indexOf('from typing import Optional') < text.indexOf('x = np.zeros(3)'), 'the import is not at the top');
    assert.ok(text.indexOf('x = np.zeros(3)') < text.indexOf('def kmeans('), 'not inserted at the cursor');
    // The mount is the browser's: nothing reaches the folder on disk.
    assert.equal(diskText(wb, 'scratch_web.py'), SCRATCH);
    await wb.screenshot('inserted-read-back');
  });

  it('leaves no error or warning line of ours in the Extension Host (Worker) output, nor a missing file', async () => {
    const output = await wb.outputChannel('Extension Host (Worker)');
    writeFileSync(join(RESULTS, 'exthost-worker-output.txt'), output);
    await wb.screenshot('exthost-worker-output');
    assert.match(output, /ml-concept-lens/i, 'the output does not mention our extension at all: read the wrong channel?');
    assert.deepEqual(errorLinesOfOurs(output.split('\n')), []);
    assert.deepEqual(wb.missing, []);
  });
});

/** The panel's typeset formulas and the state of the KaTeX fonts it asked for. */
async function katexFonts(frame: Frame) {
  return frame.evaluate(async () => {
    await document.fonts.ready;
    const all: FontFace[] = [];
    document.fonts.forEach(f => all.push(f));
    const faces = all.filter(f => f.family.replace(/"/g, '').startsWith('KaTeX_'));
    const name = (f: FontFace) => `${f.family.replace(/"/g, '')} ${f.weight} ${f.style}`;
    return {
      formulas: document.querySelectorAll('#content .katex').length,
      katexErrors: document.querySelectorAll('#content .katex-error').length,
      loaded: faces.filter(f => f.status === 'loaded').map(f => f.family.replace(/"/g, '')),
      failed: faces.filter(f => f.status === 'error').map(name),
    };
  });
}

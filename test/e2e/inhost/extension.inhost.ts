/**
 * Runs INSIDE the extension host of code-server with the packaged ML Concept Lens (see
 * runExtensionTests and extension.e2e.ts): what the hover provider returns and what insertion does to
 * a document, through the real `vscode` API.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { recordMetric } from '../metrics';
import { until } from './until';

const EXTENSION = 'ml-concept-lens.ml-concept-lens';

function markdownOf(hover: vscode.Hover): string {
  return hover.contents.map(c => (typeof c === 'string' ? c : c.value)).join('\n');
}


const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

describe('ML Concept Lens inside the extension host', () => {
  let folder: vscode.Uri;

  before(async () => {
    const workspace = vscode.workspace.workspaceFolders?.[0];
    assert.ok(workspace, 'no workspace folder open');
    folder = workspace.uri;
    const extension = vscode.extensions.getExtension(EXTENSION);
    assert.ok(extension, `${EXTENSION} is not installed`);
    await extension.activate();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** Our hovers at the middle of `word` on the first line containing `line`. */
  async function hoversAt(file: string, line: string, word: string): Promise<string[]> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, file));
    await vscode.window.showTextDocument(document);
    const row = document.getText().split('\n').findIndex(l => l.includes(line));
    assert.ok(row >= 0, `${line} not in ${file}`);
    const position = new vscode.Position(row, document.lineAt(row).text.indexOf(word, document.lineAt(row).text.indexOf(line)) + 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    return hovers.map(markdownOf).filter(md => md.includes('command:mlConceptLens.'));
  }

  it('returns one ELBO hover on neg_elbo, with the typeset formula and its command links', async () => {
    const ours = await hoversAt('train_vae.py', 'def neg_elbo', 'neg_elbo');
    assert.equal(ours.length, 1, `expected one hover of ours, got ${ours.length}`);
    assert.match(ours[0], /Evidence lower bound/);
    assert.match(ours[0], /!\[[^\]]*\]\(data:image\/svg\+xml;base64,/);
    assert.match(ours[0], /command:mlConceptLens\.openPanel\?/);
    assert.match(ours[0], /command:mlConceptLens\.insertImplementation\?/);
  });

  it('returns nothing on fid where it is a file descriptor', async () => {
    assert.deepEqual(await hoversAt('io_utils.py', 'fid = os.open', 'fid'), []);
  });

  it('stays silent on fid, cfg and chunkSize in a WAV reader and upload client that imports numpy', async () => {
    assert.deepEqual(await hoversAt('wav_upload.py', 'chunk_id = fid.read', 'fid'), []);
    assert.deepEqual(await hoversAt('wav_upload.py', 'cfg.AUDIO', 'cfg'), []);
    assert.deepEqual(await hoversAt('wav_upload.py', 'chunk_size = struct', 'chunk_size'), []);
    assert.deepEqual(await hoversAt('wav_upload.py', 'for offset in range', 'chunkSize'), []);
  });

  it('leads with the pitfall when the hovered term is a library call', async () => {
    const ours = await hoversAt('train_vae.py', 'F.kl_div(', 'kl_div');
    assert.equal(ours.length, 1);
    // The hover is Markdown: the call and the text are escaped, `code` stays code.
    assert.match(ours[0].split('\n')[0], /^\$\(warning\) \*\*F\\\.kl\\_div\\\(input, target\\\)\*\* — `input` must be log\\-probabilities/);
  });

  it('inserts at the primary cursor only, adds missing imports once, and undoes in one step', async () => {
    const original = '"""Scratch."""\nimport numpy as np\n\nx = 1\ny = 2\n';
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: original });
    const editor = await vscode.window.showTextDocument(document);
    editor.selections = [new vscode.Selection(3, 0, 3, 0), new vscode.Selection(4, 0, 4, 0)];
    await vscode.commands.executeCommand('mlConceptLens.insertImplementation', 'kmeans');
    const text = await until(() => (document.getText() !== original ? document.getText() : undefined), 'the insertion');
    assert.equal(count(text, /^import numpy as np$/gm), 1, 'numpy imported twice');
    assert.equal(count(text, /^def kmeans\(/gm), 1, 'inserted at more than one cursor');
    const lines = text.split('\n');
    const x = lines.indexOf('x = 1');
    const def = lines.findIndex(l => l.startsWith('def kmeans('));
    const added = lines.indexOf('from typing import Optional');
    assert.ok(added > 0 && added < lines.indexOf('import numpy as np') + 2, 'the missing import is not with the others');
    assert.ok(added < def && def < x, 'not inserted at the first cursor');
    assert.equal(lines[x + 1], 'y = 2', 'inserted at the second cursor');
    await vscode.commands.executeCommand('leaveSnippet');
    await vscode.commands.executeCommand('undo');
    await until(() => document.getText() === original, 'one undo to restore the document');
  });

  it('offers a quick fix that closes an unclosed $$ in a notes file, and the warning goes away', async () => {
    const uri = vscode.Uri.joinPath(folder, 'notes', 'unclosed-math-QA.md');
    const broken = '> What is the evidence?\n\n**Model evidence** is p(x):\n\n$$\np(x) = \\int p(x, z)\\,dz\n\nIt is usually intractable.\n';
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(broken));
    try {
      const ours = () => vscode.languages.getDiagnostics(uri).filter(d => d.source === 'ML Concept Lens');
      const [diagnostic] = await until(() => (ours().length ? ours() : undefined), 'the unclosed $$ warning', 15_000);
      assert.match(diagnostic.message, /unclosed \$\$/);
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      // The workbench learns of the diagnostic asynchronously; code actions see it once it has.
      let titles: string[] = [];
      const fix = await until(async () => {
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range);
        titles = actions.map(a => a.title);
        return actions.find(a => /display math/.test(a.title));
      }, 'the quick fix', 15_000).catch(() => assert.fail(`no quick fix among: ${titles.join(', ')}`));
      assert.ok(fix.edit);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(document.getText(), broken.replace('\n\nIt is', () => '\n$$\n\nIt is')); // a function: '$$' in a replacement string means '$'
      await document.save();
      await until(() => ours().length === 0, 'the warning to clear', 15_000);
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
  });

  it('opens the panel from the command and reports command → KaTeX painted', async () => {
    const api = vscode.extensions.getExtension<{ paintMs(): number | undefined }>(EXTENSION)!.exports;
    const open = async () => {
      const before = api.paintMs();
      await vscode.commands.executeCommand('mlConceptLens.openPanel', 'elbo');
      return until(() => (api.paintMs() !== before ? api.paintMs() : undefined), 'the panel to paint', 30_000);
    };
    // The first webview of a fresh window also pays for the workbench's webview service worker and
    // KaTeX's fonts; a panel opened after that shows what a user waits for on later openings.
    const cold = await open();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const warm = await open();
    assert.ok(cold > 0 && warm > 0 && warm < 30_000, `paint times ${cold} / ${warm} ms`);
    recordMetric('panel_paint_cold_ms', cold);
    recordMetric('panel_paint_ms', warm);
  });
});

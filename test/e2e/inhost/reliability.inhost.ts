/**
 * Runs INSIDE the extension host of code-server with the packaged ML Concept Lens (see
 * reliability.e2e.ts): openNote with stale or hostile positions, and notes globs read per workspace
 * folder in a multi-root window, through the real `vscode` API.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { bigNotes } from '../bigNotes';
import { recordMetric } from '../metrics';
import { until } from './until';

const EXTENSION = 'ml-concept-lens.ml-concept-lens';

/** Our hover's markdown at `word` on the first line of `uri` that contains it ('' when there is none). */
async function ourHover(uri: vscode.Uri, word: string): Promise<string> {
  const document = await vscode.workspace.openTextDocument(uri);
  const row = document.getText().split('\n').findIndex(l => l.includes(word));
  assert.ok(row >= 0, `${word} not in ${uri.path}`);
  const position = new vscode.Position(row, document.lineAt(row).text.indexOf(word) + 1);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers
    .flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : c.value)))
    .filter(md => md.includes('command:mlConceptLens.'))
    .join('\n');
}

describe('reliability inside the extension host', () => {
  let folder: vscode.Uri;
  let notes: vscode.Uri;

  before(async () => {
    folder = vscode.workspace.workspaceFolders![0].uri;
    notes = vscode.Uri.joinPath(folder, 'study-QA.md');
    await vscode.extensions.getExtension(EXTENSION)!.activate();
    await until(async () => /谱聚类/.test(await ourHover(vscode.Uri.joinPath(folder, 'uses_notes.py'), 'spectral_clustering')), 'the notes to be indexed', 30_000);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** Runs openNote and returns where the active editor's cursor ended up (undefined: nothing opened). */
  async function openNoteAt(...args: unknown[]): Promise<vscode.Position | undefined> {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('mlConceptLens.openNote', ...args);
    const editor = vscode.window.activeTextEditor;
    return editor && editor.document.uri.toString() === args[0] ? editor.selection.active : undefined;
  }

  it('clamps openNote to the file: lines past the end, columns past the line, and hostile numbers', async () => {
    const document = await vscode.workspace.openTextDocument(notes);
    const last = document.lineCount - 1;
    const file = notes.toString();
    assert.deepEqual(await openNoteAt(file, 3), new vscode.Position(2, 0), 'an ordinary line');
    assert.deepEqual(await openNoteAt(file, 1_000_000), new vscode.Position(last, 0), 'a line past the end (a stale index)');
    assert.deepEqual(await openNoteAt(file, 3, 10_000), new vscode.Position(2, document.lineAt(2).text.length), 'a column past the line');
    for (const [line, col] of [
      [-5, -5],
      [Number.NaN, 1],
      [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
      ['3', {}],
      [2.7, 1.2],
      [Number.MAX_VALUE, Number.MAX_VALUE],
    ]) {
      const at = await openNoteAt(file, line, col);
      assert.ok(at, `openNote(${String(line)}, ${String(col)}) opened nothing`);
      assert.deepEqual(document.validatePosition(at), at, `openNote(${String(line)}, ${String(col)}) put the cursor outside the file`);
    }
    // A file that is not an indexed note is not opened at all.
    assert.equal(await openNoteAt(vscode.Uri.joinPath(folder, 'vae_loss.py').toString(), 1), undefined);
  });

  it('reads notes.files per workspace folder: each folder’s own globs apply to that folder only', async () => {
    // multi.code-workspace: `second` names only `mine/*.md` in its folder settings; `first` keeps the defaults.
    const [first, second] = vscode.workspace.workspaceFolders ?? [];
    assert.ok(second, 'not a multi-root window');
    assert.deepEqual(vscode.workspace.getConfiguration('mlConceptLens', second.uri).get('notes.files'), ['mine/*.md']);
    const code = vscode.Uri.joinPath(second.uri, 'use.py');
    await until(async () => /亲和传播/.test(await ourHover(code, 'affinity_propagation')), 'the second folder’s own notes glob', 30_000);
    assert.match(await ourHover(code, 'spectral_clustering'), /谱聚类/, `the first folder (${first.name}) lost its default globs`);
    assert.doesNotMatch(await ourHover(code, 'agglomerative_information_bottleneck'), /凝聚信息瓶颈/, 'the default glob applied to a folder that replaced it');
    assert.doesNotMatch(await ourHover(code, 'mean_shift'), /均值漂移/, 'the second folder’s glob applied to the first folder');
  });

  /** The longest time the extension host's event loop was held while `work` ran (a 5 ms timer's lateness). */
  async function longestStall(work: () => Promise<unknown>): Promise<number> {
    let worst = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last - 5);
      last = now;
    }, 5);
    try {
      await work();
    } finally {
      clearInterval(timer);
    }
    return Math.round(worst);
  }

  it('indexes a 1.5 MB notes file and refuses a 3 MB one; records how long the host was held', async () => {
    // A new file: an open document would show its old text until the file watcher catches up.
    const code = vscode.Uri.joinPath(folder, 'uses_big_notes.py');
    writeFileSync(code.fsPath, 'labels = spectral_clustering(affinity)\na = large_term_1234\nb = huge_term_7\n');
    const large = vscode.Uri.joinPath(folder, 'large-QA.md');
    const stall15 = await longestStall(async () => {
      writeFileSync(large.fsPath, bigNotes(1.5 * 1024 * 1024, '大型', 'Large'));
      await until(async () => /大型术语1234/.test(await ourHover(code, 'large_term_1234')), 'the 1.5 MB file’s term', 60_000);
    });
    recordMetric('notes_1_5mb_host_stall_ms', stall15);
    const huge = vscode.Uri.joinPath(folder, 'huge-QA.md');
    const stall3 = await longestStall(async () => {
      writeFileSync(huge.fsPath, bigNotes(3 * 1024 * 1024, '巨型', 'Huge'));
      // Either outcome ends the wait, so the same test measures a build that still reads the file.
      await until(async () => vscode.languages.getDiagnostics(huge).length > 0 || /巨型术语7/.test(await ourHover(code, 'huge_term_7')), 'the 3 MB file handled', 60_000);
    });
    recordMetric('notes_3mb_host_stall_ms', stall3);
    const problems = vscode.languages.getDiagnostics(huge);
    assert.deepEqual(problems.map(p => p.message), [problems[0]?.message]);
    assert.match(problems[0].message, /over the 2 MB limit/);
    assert.doesNotMatch(await ourHover(code, 'huge_term_7'), /巨型术语7/);
  });

  it('refuses a binary file named like notes with one diagnostic and no entries', async () => {
    // Past the first slice, question-like lines would become garbage entries if only the head were checked.
    const blob = vscode.Uri.joinPath(folder, 'blob-QA.md');
    const body = '\n\n> 什么是垃圾术语？\n\n**垃圾术语（Garbage Term）** x\n'.repeat(4000);
    writeFileSync(blob.fsPath, Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0]), Buffer.from(body)]));
    const code = vscode.Uri.joinPath(folder, 'uses_blob.py');
    writeFileSync(code.fsPath, 'x = garbage_term\n');
    await until(() => vscode.languages.getDiagnostics(blob).length > 0, 'a diagnostic on the binary file', 30_000);
    const problems = vscode.languages.getDiagnostics(blob);
    assert.equal(problems.length, 1, problems.map(p => p.message).join('\n'));
    assert.match(problems[0].message, /binary/);
    assert.doesNotMatch(await ourHover(code, 'garbage_term'), /垃圾术语/);
  });
});

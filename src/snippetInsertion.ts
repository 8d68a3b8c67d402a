import * as vscode from 'vscode';
import type { ContentLanguage } from './core/concept';
import { ui } from './localize';
import { SnippetInfo, importInsertionLine, missingImports, renameClashes, snippetCode } from './core/planSnippetInsertion';

/** Reads dist/snippets.json once. */
export class SnippetCatalog {
  private snippets: SnippetInfo[] | undefined;
  constructor(private readonly extensionUri: vscode.Uri) {}

  async all(): Promise<SnippetInfo[]> {
    if (!this.snippets) {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.extensionUri, 'dist', 'snippets.json'));
      this.snippets = JSON.parse(new TextDecoder().decode(bytes)) as SnippetInfo[];
    }
    return this.snippets;
  }

  async ids(): Promise<ReadonlySet<string>> {
    return new Set((await this.all()).map(s => s.id));
  }
}

export function snippetFits(editor: vscode.TextEditor): 'python' | 'markdown' | undefined {
  const language = editor.document.languageId;
  if (language === 'python') return 'python';
  if (language === 'markdown') return 'markdown';
  return undefined;
}

export function snippetLabel(snippet: SnippetInfo, lang: ContentLanguage): vscode.QuickPickItem & { snippet: SnippetInfo } {
  return { label: snippet.description[lang], description: snippet.prefix, detail: snippet.framework, snippet };
}

/**
 * The text whose imports count as present: the file, or for a notebook cell every code cell of its
 * notebook (an `import numpy as np` in the first cell serves them all).
 */
function importContext(document: vscode.TextDocument): string {
  const notebook = vscode.workspace.notebookDocuments.find(nb => nb.getCells().some(c => c.document === document));
  if (!notebook) return document.getText();
  return notebook
    .getCells()
    .filter(c => c.kind === vscode.NotebookCellKind.Code)
    .map(c => c.document.getText())
    .join('\n');
}

/** Tells the user which inserted definitions were renamed because the file already had the name. */
function reportRenames(renames: readonly { from: string; to: string }[]): void {
  if (!renames.length) return;
  const list = renames.map(r => ui('{0} → {1}', r.from, r.to)).join(', ');
  void vscode.window.showInformationMessage(
    ui('This file already defines these names, so the inserted code uses new ones (press Tab to edit them): {0}', list),
  );
}

/**
 * Inserts a reference implementation's code — its definitions, not its module docstring or its
 * `__main__` demo — at the primary cursor as one undo step. In Python (files and notebook cells) the
 * imports it needs go to the top, after the module docstring and the existing imports, unless already
 * there; in Markdown it becomes a fenced python block. Definitions whose names the file already has
 * are inserted under new names, as tab stops.
 */
export async function insertSnippet(editor: vscode.TextEditor, snippet: SnippetInfo): Promise<boolean> {
  const document = editor.document;
  const split = snippetCode(snippet.body);
  const { code, renames } = renameClashes(split.code, importContext(document));
  if (snippetFits(editor) === 'markdown') {
    const source = split.imports.length ? `${split.imports.join('\n')}\n\n\n${code}` : code;
    const fenced = `\`\`\`python\n${source.endsWith('\n') ? source : `${source}\n`}\`\`\`\n`;
    const ok = await editor.insertSnippet(new vscode.SnippetString(fenced), editor.selection, { undoStopBefore: true, undoStopAfter: true, keepWhitespace: true });
    if (ok) reportRenames(renames);
    return ok;
  }
  const { imports } = split;
  const missing = missingImports(imports, importContext(document));
  // At the primary cursor only: a whole implementation per cursor is never what a multi-cursor user
  // wants. Its offset is carried past the import lines ourselves rather than trusting that the
  // selection event has arrived by the time edit() resolves.
  const { start, end, isEmpty } = editor.selection;
  let [from, to] = [document.offsetAt(start), document.offsetAt(end)];
  // A cursor in or after code on a line (End was pressed, say) means "after this line", not "split it".
  const line = document.lineAt(start.line);
  const lead = isEmpty && start.character > line.firstNonWhitespaceCharacterIndex ? '\n\n' : '';
  if (lead) from = to = document.offsetAt(line.range.end);
  if (missing.length) {
    const importLine = importInsertionLine(document.getText());
    const atEnd = importLine >= document.lineCount;
    const position = atEnd ? document.lineAt(document.lineCount - 1).range.end : new vscode.Position(importLine, 0);
    const prefix = atEnd && document.lineAt(document.lineCount - 1).text ? '\n' : '';
    const text = `${prefix}${missing.join('\n')}\n`;
    const at = document.offsetAt(position);
    const ok = await editor.edit(b => b.insert(position, text), { undoStopBefore: true, undoStopAfter: false });
    if (!ok) return false;
    // VS Code stores the inserted newlines in the document's own EOL.
    const added = text.length + (document.eol === vscode.EndOfLine.CRLF ? missing.length + (prefix ? 1 : 0) : 0);
    if (at <= from) from += added;
    if (at <= to) to += added;
  }
  const target = new vscode.Range(document.positionAt(from), document.positionAt(to));
  const body = `${lead}${code.endsWith('\n') ? code : `${code}\n`}`;
  const ok = await editor.insertSnippet(new vscode.SnippetString(body), target, {
    undoStopBefore: missing.length === 0,
    undoStopAfter: true,
    // Module-level code: never re-indent it to the line the cursor was on.
    keepWhitespace: true,
  });
  if (ok) reportRenames(renames);
  return ok;
}

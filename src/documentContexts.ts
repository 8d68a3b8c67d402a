import * as vscode from 'vscode';
import type { ConceptIndex } from './core/conceptIndex';
import { DocumentContext, buildDocumentContext } from './core/documentContext';

interface Cached {
  version: number;
  index: ConceptIndex;
  context: DocumentContext;
}

const cache = new WeakMap<vscode.TextDocument, Cached>();

/**
 * A notebook cell alone rarely shows its imports (they sit in the first cell), so a cell's context is
 * read from all cells of its notebook.
 */
function contextText(document: vscode.TextDocument): string {
  if (document.uri.scheme !== 'vscode-notebook-cell') return document.getText();
  const notebook = vscode.workspace.notebookDocuments.find(nb => nb.getCells().some(c => c.document === document));
  return notebook ? notebook.getCells().map(c => c.document.getText()).join('\n') : document.getText();
}

/** The document's context, computed once per document version and index. */
export function documentContextFor(document: vscode.TextDocument, index: ConceptIndex): DocumentContext {
  const cached = cache.get(document);
  if (cached && cached.version === document.version && cached.index === index && document.uri.scheme !== 'vscode-notebook-cell')
    return cached.context;
  // A cell's context is read from the whole notebook, but its rows are the cell's own.
  const ownLines =
    document.uri.scheme === 'vscode-notebook-cell'
      ? { lineAt: (row: number) => (row >= 0 && row < document.lineCount ? document.lineAt(row).text : undefined) }
      : undefined;
  const context = buildDocumentContext(contextText(document), document.languageId, index, ownLines);
  cache.set(document, { version: document.version, index, context });
  return context;
}

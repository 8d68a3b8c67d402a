import * as vscode from 'vscode';
import { NotesFix, importQaNotes } from './core/importQaNotes';
import { lintNotesFiles } from './core/lintNotes';
import { conceptsFromNotes } from './core/notesConcepts';
import type { KnowledgeStore } from './knowledgeStore';
import { NOTES_ENABLED, NOTES_FILES, SECTION, affects } from './settings';

const DEBOUNCE_MS = 250;
/** Files read between yields to the event loop, so indexing a large notes folder never blocks a hover. */
const BATCH = 25;

/**
 * Keeps the user's Q&A notes indexed: finds them by the `notes.files` globs, re-reads only the file
 * that changed (debounced), and reports lint problems in the Problems panel. Nothing is ever written.
 */
export class NotesIndexer implements vscode.Disposable, vscode.CodeActionProvider {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('ml-concept-lens-notes');
  private readonly fixes = new Map<string, NotesFix>();
  private readonly texts = new Map<string, string>();
  private watchers: vscode.Disposable[] = [];
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: KnowledgeStore) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration(e => {
        if (affects(e, NOTES_ENABLED) || affects(e, NOTES_FILES)) void this.reload();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reload()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reload()),
      vscode.languages.registerCodeActionsProvider([{ language: 'markdown' }, { language: 'plaintext' }], this, {
        providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
      }),
    );
  }

  /**
   * The globs in force. In an untrusted workspace a folder's settings could point the indexer at any
   * file, so only user settings (and the default) apply there.
   */
  private globs(): string[] {
    const config = vscode.workspace.getConfiguration(SECTION);
    if (!config.get<boolean>(NOTES_ENABLED, true)) return [];
    if (vscode.workspace.isTrusted) return config.get<string[]>(NOTES_FILES, []);
    const inspected = config.inspect<string[]>(NOTES_FILES);
    return inspected?.globalValue ?? inspected?.defaultValue ?? [];
  }

  private patterns(): vscode.GlobPattern[] {
    const folders = vscode.workspace.workspaceFolders ?? [];
    return this.globs().flatMap(glob => {
      const absolute = /^(?:\/|[A-Za-z]:[\\/]|~\/)/.test(glob);
      if (absolute) {
        const m = /^(.*?)[\\/]([^\\/]*[*?{[].*)$/.exec(glob);
        return m ? [new vscode.RelativePattern(vscode.Uri.file(m[1]), m[2])] : [new vscode.RelativePattern(vscode.Uri.file(glob.replace(/[\\/][^\\/]+$/, '')), glob.replace(/^.*[\\/]/, ''))];
      }
      return folders.map(folder => new vscode.RelativePattern(folder, glob));
    });
  }

  /** Finds and indexes every notes file again; the hover keeps using the old index meanwhile. */
  async reload(): Promise<void> {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    const patterns = this.patterns();
    const found = new Map<string, vscode.Uri>();
    for (const pattern of patterns) for (const uri of await vscode.workspace.findFiles(pattern, '**/node_modules/**')) found.set(uri.toString(), uri);
    const removed = [...this.texts.keys()].filter(k => !found.has(k));
    for (const k of removed) this.texts.delete(k);
    const updates: [string, ReturnType<typeof conceptsFromNotes>][] = removed.map(k => [k, []]);
    const uris = [...found.values()];
    for (let i = 0; i < uris.length; i += BATCH) {
      for (const uri of uris.slice(i, i + BATCH)) updates.push([uri.toString(), await this.read(uri)]);
      await new Promise(resolve => setTimeout(resolve, 0));
    }
    this.store.setNotes(updates);
    this.publishDiagnostics();
    for (const pattern of patterns) {
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      watcher.onDidCreate(uri => this.schedule(uri), undefined, this.watchers);
      watcher.onDidChange(uri => this.schedule(uri), undefined, this.watchers);
      watcher.onDidDelete(uri => this.schedule(uri), undefined, this.watchers);
      this.watchers.push(watcher);
    }
  }

  private schedule(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.refreshFile(uri);
      }, DEBOUNCE_MS),
    );
  }

  private async refreshFile(uri: vscode.Uri): Promise<void> {
    const concepts = await this.read(uri);
    this.store.setNotes([[uri.toString(), concepts]]);
    this.publishDiagnostics();
  }

  private async read(uri: vscode.Uri): Promise<ReturnType<typeof conceptsFromNotes>> {
    let text: string;
    try {
      text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      this.texts.delete(uri.toString());
      return [];
    }
    this.texts.set(uri.toString(), text);
    return conceptsFromNotes(uri.toString(), importQaNotes(text).entries);
  }

  /**
   * Quick fixes for the diagnostics that have an obvious repair (an unclosed $$). The diagnostics a
   * code action request carries are copies, so fixes are found again by file, position and message.
   */
  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const fix = this.fixes.get(fixKey(document.uri.toString(), diagnostic));
      if (!fix) continue;
      const edit = new vscode.WorkspaceEdit();
      if (fix.line <= document.lineCount) edit.insert(document.uri, new vscode.Position(fix.line - 1, 0), fix.text);
      else {
        const end = document.lineAt(document.lineCount - 1).range.end;
        edit.insert(document.uri, end, `${document.lineAt(document.lineCount - 1).text ? '\n' : ''}${fix.text}`);
      }
      const action = new vscode.CodeAction(vscode.l10n.t(fix.title), vscode.CodeActionKind.QuickFix);
      action.edit = edit;
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }

  private publishDiagnostics(): void {
    this.diagnostics.clear();
    this.fixes.clear();
    const problems = lintNotesFiles([...this.texts].map(([file, text]) => ({ file, text })));
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const p of problems) {
      const position = new vscode.Position(p.line - 1, p.col - 1);
      const diagnostic = new vscode.Diagnostic(new vscode.Range(position, position.translate(0, 1)), p.message, vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'ML Concept Lens';
      if (p.fix) this.fixes.set(fixKey(p.file, diagnostic), p.fix);
      (byFile.get(p.file) ?? byFile.set(p.file, []).get(p.file)!).push(diagnostic);
    }
    for (const [file, list] of byFile) this.diagnostics.set(vscode.Uri.parse(file), list);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of [...this.watchers, ...this.disposables, this.diagnostics]) d.dispose();
  }
}

function fixKey(file: string, diagnostic: vscode.Diagnostic): string {
  return `${file}#${diagnostic.range.start.line}:${diagnostic.range.start.character}:${diagnostic.message}`;
}

import * as vscode from 'vscode';
import type { Concept } from './core/concept';
import type { NotesEntry, NotesFix, NotesProblem } from './core/importQaNotes';
import { conceptsFromNotes } from './core/notesConcepts';
import { MAX_NOTES_BYTES } from './core/notesLimits';
import type * as NotesImporter from './core/notesImporter';
import type { KnowledgeStore } from './knowledgeStore';
import { loadBundle } from './lazyBundle';
import { ui } from './localize';
import { NOTES_ENABLED, NOTES_FILES, affects, notesGlobs } from './settings';

const DEBOUNCE_MS = 250;
/**
 * Import time (pauses excluded) one notes file may use before it is skipped. A linear importer reads
 * the largest accepted file in a fraction of this; a file that takes longer is pathological, and
 * skipping it keeps every other file's notes.
 */
const FILE_BUDGET_MS = 2000;

/** Entries turned into concepts between two pauses: a few milliseconds' work. */
const CONCEPTS_PER_TURN = 500;
const pause = () => new Promise<void>(resolve => setTimeout(resolve, 0));

/** What one notes file contributes: its entries (for the cross-file lint) and its own problems. */
interface IndexedFile {
  entries: NotesEntry[];
  problems: NotesProblem[];
  concepts: Concept[];
}

/**
 * Keeps the user's Q&A notes indexed: finds them by the `notes.files` globs, re-reads only the file
 * that changed (debounced), and reports lint problems in the Problems panel. Nothing is ever written.
 * Indexing never holds the extension host for long: every file is stat'ed and read asynchronously,
 * and a large file is imported in slices with a pause between them.
 */
export class NotesIndexer implements vscode.Disposable, vscode.CodeActionProvider {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('ml-concept-lens-notes');
  private readonly fixes = new Map<string, NotesFix>();
  private readonly files = new Map<string, IndexedFile>();
  private watchers: vscode.Disposable[] = [];
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Bumped by every reload (and, per file, by every refresh), so an older, slower run stops instead of overwriting. */
  private generation = 0;
  private readonly fileGenerations = new Map<string, number>();

  /** The importer's bundle (markdown-it inside), loaded once the first notes file is read. */
  private importer: Promise<typeof NotesImporter> | undefined;
  private importerLoaded: typeof NotesImporter | undefined;

  constructor(
    private readonly store: KnowledgeStore,
    private readonly extensionUri: vscode.Uri,
  ) {
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

  /** Each folder's globs relative to that folder; absolute globs (from any folder's value) once. */
  private patterns(): vscode.GlobPattern[] {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const patterns = new Map<string, vscode.RelativePattern>();
    for (const folder of folders.length ? folders : [undefined])
      for (const glob of notesGlobs(folder)) {
        const pattern = /^(?:\/|[A-Za-z]:[\\/]|~\/)/.test(glob) ? absolutePattern(glob) : folder && new vscode.RelativePattern(folder, glob);
        if (pattern) patterns.set(`${pattern.baseUri.toString()}|${pattern.pattern}`, pattern);
      }
    return [...patterns.values()];
  }

  /** Finds and indexes every notes file again; the hover keeps using the old index meanwhile. */
  async reload(): Promise<void> {
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    const patterns = this.patterns();
    const found = new Map<string, vscode.Uri>();
    for (const pattern of patterns) for (const uri of await vscode.workspace.findFiles(pattern, '**/node_modules/**')) found.set(uri.toString(), uri);
    if (!current()) return;
    const indexed = new Map<string, IndexedFile>();
    const links = new Map<string, Promise<boolean>>();
    for (const [key, uri] of found) {
      const file = await this.index(uri, current, links);
      if (!current()) return;
      if (file) indexed.set(key, file);
    }
    const updates: [string, Concept[]][] = [...this.files.keys()].filter(k => !indexed.has(k)).map(k => [k, []]);
    this.files.clear();
    for (const [key, file] of indexed) {
      this.files.set(key, file);
      updates.push([key, file.concepts]);
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
    const key = uri.toString();
    const generation = this.generation;
    const version = (this.fileGenerations.get(key) ?? 0) + 1;
    this.fileGenerations.set(key, version);
    const current = () => generation === this.generation && version === this.fileGenerations.get(key);
    const file = await this.index(uri, current, new Map());
    if (!current()) return;
    if (file) this.files.set(key, file);
    else this.files.delete(key);
    this.store.setNotes([[key, file?.concepts ?? []]]);
    this.publishDiagnostics();
  }

  /**
   * One notes file's contribution, or `undefined` when it is gone (or the run was superseded). A file
   * that cannot be indexed contributes one problem that says why, and nothing else.
   */
  private async index(uri: vscode.Uri, current: () => boolean, links: Map<string, Promise<boolean>>): Promise<IndexedFile | undefined> {
    const refused = (message: string): IndexedFile => ({ entries: [], problems: [{ line: 1, col: 1, message }], concepts: [] });
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      return undefined;
    }
    if (stat.type & vscode.FileType.Directory) return undefined;
    if (stat.type & vscode.FileType.SymbolicLink || (await reachedThroughLink(uri, links)))
      return refused('not indexed: the file is reached through a symbolic link, and links are not followed (it could point outside the folder)');
    // Checked before reading: the size on disk is what a reader would have to hold.
    if (stat.size > MAX_NOTES_BYTES) return refused(`not indexed: the file is ${megabytes(stat.size)} MB, over the ${megabytes(MAX_NOTES_BYTES)} MB limit for notes files`);
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      return undefined;
    }
    if (!current()) return undefined;
    if (bytes.byteLength > MAX_NOTES_BYTES) return refused(`not indexed: the file is ${megabytes(bytes.byteLength)} MB, over the ${megabytes(MAX_NOTES_BYTES)} MB limit for notes files`);
    const text = new TextDecoder('utf-8').decode(bytes);
    this.importer ??= loadBundle<typeof NotesImporter>(this.extensionUri, 'notes').then(m => (this.importerLoaded = m));
    const { importNotesInSlices } = await this.importer;
    const result = await importNotesInSlices(text, { budgetMs: FILE_BUDGET_MS, pause, cancelled: () => !current() });
    if (!current()) return undefined;
    if (!result) return refused(`not indexed: reading this file took longer than ${FILE_BUDGET_MS / 1000} s, so it was skipped to keep the editor responsive`);
    const concepts: Concept[] = [];
    for (let i = 0; i < result.entries.length; i += CONCEPTS_PER_TURN) {
      if (i > 0) await pause();
      if (!current()) return undefined;
      concepts.push(...conceptsFromNotes(uri.toString(), result.entries.slice(i, i + CONCEPTS_PER_TURN)));
    }
    return { entries: result.entries, problems: result.problems, concepts };
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
      const action = new vscode.CodeAction(ui(fix.title), vscode.CodeActionKind.QuickFix);
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
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const add = (file: string, p: NotesProblem) => {
      const position = new vscode.Position(p.line - 1, p.col - 1);
      const diagnostic = new vscode.Diagnostic(new vscode.Range(position, position.translate(0, 1)), p.message, vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'ML Concept Lens';
      if (p.fix) this.fixes.set(fixKey(file, diagnostic), p.fix);
      (byFile.get(file) ?? byFile.set(file, []).get(file)!).push(diagnostic);
    };
    for (const [file, { problems }] of this.files) for (const p of problems) add(file, p);
    // Entries exist only once the importer has loaded.
    if (this.importerLoaded) for (const p of this.importerLoaded.crossFileTermProblems([...this.files].map(([file, { entries }]) => ({ file, entries })))) add(p.file, p);
    for (const [file, list] of byFile) this.diagnostics.set(vscode.Uri.parse(file), list);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of [...this.watchers, ...this.disposables, this.diagnostics]) d.dispose();
  }
}

/** A glob with an absolute path: the part before the first wildcard is the base folder. */
function absolutePattern(glob: string): vscode.RelativePattern {
  const m = /^(.*?)[\\/]([^\\/]*[*?{[].*)$/.exec(glob);
  return m
    ? new vscode.RelativePattern(vscode.Uri.file(m[1]), m[2])
    : new vscode.RelativePattern(vscode.Uri.file(glob.replace(/[\\/][^\\/]+$/, '')), glob.replace(/^.*[\\/]/, ''));
}

/**
 * Whether a folder between the file and its workspace folder is a symbolic link. findFiles follows
 * links, and there is no realpath in the web host, so any link on the way counts. Files outside every
 * workspace folder were named by an absolute glob, which only the user's own settings can give
 * in Restricted Mode. `seen` caches folders within one run.
 */
function reachedThroughLink(uri: vscode.Uri, seen: Map<string, Promise<boolean>>): Promise<boolean> {
  const root = vscode.workspace.getWorkspaceFolder(uri)?.uri;
  if (!root) return Promise.resolve(false);
  const parent = uri.with({ path: uri.path.replace(/\/[^/]*$/, '') });
  if (parent.path.length <= root.path.replace(/\/$/, '').length) return Promise.resolve(false);
  const key = parent.toString();
  let answer = seen.get(key);
  if (!answer) {
    answer = Promise.resolve(vscode.workspace.fs.stat(parent)).then(
      s => (s.type & vscode.FileType.SymbolicLink ? true : reachedThroughLink(parent, seen)),
      () => false,
    );
    seen.set(key, answer);
  }
  return answer;
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '');
}

function fixKey(file: string, diagnostic: vscode.Diagnostic): string {
  return `${file}#${diagnostic.range.start.line}:${diagnostic.range.start.character}:${diagnostic.message}`;
}

import * as vscode from 'vscode';
import type { Concept } from './core/concept';
import { findConceptAt } from './core/findConceptAt';
import { searchConcepts } from './core/searchConcepts';
import { documentContextFor } from './documentContexts';
import { ExplanationPanel, PanelActions } from './explanationPanel';
import type { KnowledgeStore } from './knowledgeStore';
import { SnippetCatalog, insertSnippet, snippetFits, snippetLabel } from './snippetInsertion';
import { HOVER_ENABLED, SECTION, contentLanguage, hoverEnabled } from './settings';
import { ui } from './localize';

type ConceptItem = vscode.QuickPickItem & { id: string };

/** Everything the palette, the context menu, hovers, the tree and the panel can ask for. */
export class ConceptCommands implements PanelActions {
  private lastEditor: vscode.TextEditor | undefined;
  private lastPaintMs: number | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly store: KnowledgeStore,
    private readonly snippets: SnippetCatalog,
    private readonly reloadNotes: () => Promise<void>,
  ) {
    this.lastEditor = vscode.window.activeTextEditor;
    context.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(e => e && (this.lastEditor = e)),
      ...Object.entries({
        lookUpConcept: () => this.lookUp(),
        explainAtCursor: () => this.explainAtCursor(),
        openPanel: (id?: unknown, anchor?: unknown) => this.openPanel(id, anchor),
        insertImplementation: (id?: unknown) => this.insertImplementation(id),
        toggleHovers: () => this.toggleHovers(),
        reloadNotes: () => this.reloadNotes(),
        openNote: (file?: unknown, line?: unknown, col?: unknown) => this.openNote(file, line, col),
      }).map(([name, run]) => vscode.commands.registerCommand(`${SECTION}.${name}`, run)),
    );
  }

  /** Concept id from a command argument, if it names a known concept. */
  private knownId(id: unknown): string | undefined {
    return typeof id === 'string' && this.store.concept(id) ? id : undefined;
  }

  async lookUp(): Promise<void> {
    await this.store.ready();
    const lang = contentLanguage();
    const other = lang === 'en' ? 'zh-cn' : 'en';
    const toItem = (c: Concept, matched?: string): ConceptItem => ({
      id: c.id,
      label: c.title[lang],
      // A note says where it comes from, so it is never mistaken for the built-in page of the same term.
      description:
        c.source !== 'builtin'
          ? `$(note) ${vscode.workspace.asRelativePath(vscode.Uri.parse(c.source.file))}:${c.source.line}`
          : c.title[other] !== c.title[lang]
            ? c.title[other]
            : undefined,
      detail: matched && matched !== c.title[lang] && matched !== c.title[other] ? `${matched} — ${c.summary[lang]}` : c.summary[lang],
      alwaysShow: true,
    });
    // Read the store on every keystroke: a notes file saved while the picker is open counts at once.
    const all = () => this.store.all;
    const pick = vscode.window.createQuickPick<ConceptItem>();
    pick.placeholder = ui('Look up an ML concept (English or 中文): ELBO, 变分下界, k-means…');
    pick.matchOnDescription = false;
    pick.matchOnDetail = false;
    // Items come from our own search (aliases, identifiers, questions, Chinese) and always show, so the
    // quick pick's label filter cannot hide a match on an alias.
    pick.items = all().map(c => toItem(c));
    pick.onDidChangeValue(value => {
      pick.items = value.trim() ? searchConcepts(all(), value, 30).map(h => toItem(h.concept, h.matched)) : all().map(c => toItem(c));
    });
    const chosen = await new Promise<ConceptItem | undefined>(resolve => {
      pick.onDidAccept(() => resolve(pick.selectedItems[0]));
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
    pick.dispose();
    if (chosen) this.openPanel(chosen.id);
  }

  async explainAtCursor(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(ui('Open a file and put the cursor on a term to explain it.'));
      return;
    }
    await this.store.ready();
    const position = editor.selection.active;
    const index = this.store.conceptIndex;
    const match = findConceptAt(index, editor.document.lineAt(position.line).text, position.character, documentContextFor(editor.document, index), position.line);
    if (!match) {
      void vscode.window.showInformationMessage(ui('No ML concept at the cursor. Try "Look Up Concept…" instead.'));
      return;
    }
    this.openPanel(match.concepts[0].id);
  }

  /**
   * The editor an insertion goes to: the active one, or, while the panel has focus, the last text editor
   * that is still on screen (a closed tab's document can outlive it, so `isClosed` is not enough).
   */
  private targetEditor(): vscode.TextEditor | undefined {
    const last = this.lastEditor;
    return vscode.window.activeTextEditor ?? (last && vscode.window.visibleTextEditors.includes(last) ? last : undefined);
  }

  openPanel(id?: unknown, anchor?: unknown): void {
    const known = this.knownId(id);
    // Opened from a hover's link, the hover would stay over the new panel, and re-render while the
    // editor beside it shrinks.
    void vscode.commands.executeCommand('editor.action.hideHover');
    ExplanationPanel.show(this.context, this.store, this, known ? { id: known, anchor: typeof anchor === 'string' ? anchor : undefined } : undefined);
  }

  async insertImplementation(id?: unknown): Promise<void> {
    const conceptId = this.knownId(id);
    const editor = this.targetEditor();
    if (!editor) {
      void vscode.window.showInformationMessage(ui('Open a Python file or notebook cell to insert an implementation.'));
      return;
    }
    if (!snippetFits(editor)) {
      void vscode.window.showInformationMessage(
        ui('Reference implementations are Python: open a Python file, a notebook cell or a Markdown file.'),
      );
      return;
    }
    const all = await this.snippets.all();
    let candidates = conceptId ? all.filter(s => s.concepts.includes(conceptId)) : all;
    if (!conceptId) {
      const index = this.store.conceptIndex;
      const position = editor.selection.active;
      const match = findConceptAt(index, editor.document.lineAt(position.line).text, position.character, documentContextFor(editor.document, index), position.line);
      const atCursor = match ? all.filter(s => s.concepts.includes(match.concepts[0].id)) : [];
      candidates = [...atCursor, ...all.filter(s => !atCursor.includes(s))];
    }
    if (!candidates.length) {
      void vscode.window.showInformationMessage(ui('No reference implementation for this concept yet.'));
      return;
    }
    const lang = contentLanguage();
    const chosen =
      candidates.length === 1
        ? candidates[0]
        : (await vscode.window.showQuickPick(candidates.map(s => snippetLabel(s, lang)), {
            placeHolder: ui('Insert a reference implementation'),
            matchOnDescription: true,
          }))?.snippet;
    if (chosen) await this.insertInto(editor, chosen.id);
  }

  async insertSnippet(snippetId: string): Promise<void> {
    const editor = this.targetEditor();
    if (!editor) {
      void vscode.window.showInformationMessage(ui('Open a Python file or notebook cell to insert an implementation.'));
      return;
    }
    await vscode.window.showTextDocument(editor.document, editor.viewColumn);
    await this.insertInto(vscode.window.activeTextEditor ?? editor, snippetId);
  }

  private async insertInto(editor: vscode.TextEditor, snippetId: string): Promise<void> {
    const snippet = (await this.snippets.all()).find(s => s.id === snippetId);
    if (!snippet) return;
    if (!snippetFits(editor)) {
      void vscode.window.showInformationMessage(
        ui('Reference implementations are Python: open a Python file, a notebook cell or a Markdown file.'),
      );
      return;
    }
    // A read-only file system says so up front; a read-only editor (files.readonlyInclude, a locked
    // session) accepts the edit call and changes nothing, so the document version tells.
    const version = editor.document.version;
    const writable = vscode.workspace.fs.isWritableFileSystem(editor.document.uri.scheme);
    const inserted = writable !== false && (await insertSnippet(editor, snippet).then(ok => ok, () => false));
    if (!inserted || editor.document.version === version)
      void vscode.window.showWarningMessage(ui('This editor is read-only; nothing was inserted.'));
  }

  snippetIds(): Promise<ReadonlySet<string>> {
    return this.snippets.ids();
  }

  recordPaint(ms: number): void {
    this.lastPaintMs = ms;
  }

  /** For the end-to-end harness and the benchmark: the last panel paint time. */
  get paintMs(): number | undefined {
    return this.lastPaintMs;
  }

  async toggleHovers(): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const next = !hoverEnabled();
    const target = config.inspect(HOVER_ENABLED)?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await config.update(HOVER_ENABLED, next, target);
    void vscode.window.setStatusBarMessage(next ? ui('ML concept hovers on') : ui('ML concept hovers off'), 2500);
  }

  /**
   * Opens a notes file at a 1-based line (and column). The index may be older than the file and a
   * command link can carry anything, so the position is clamped into the document as it is now.
   */
  async openNote(file: unknown, line: unknown, col?: unknown): Promise<void> {
    if (typeof file !== 'string') return;
    const known = this.store.all.some(c => c.source !== 'builtin' && c.source.file === file);
    if (!known) return;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(file));
    const index = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? Math.max(0, Math.floor(n) - 1) : 0);
    const position = document.validatePosition(new vscode.Position(Math.min(index(line), document.lineCount - 1), index(col)));
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position), preview: true });
  }
}

import * as vscode from 'vscode';
import { FromPanel, PanelTarget, ToPanel, parsePanelMessage } from './core/panelMessages';
import type { KnowledgeStore } from './knowledgeStore';
import { contentLanguage } from './settings';

export const PANEL_VIEW_TYPE = 'mlConceptLens.panel';

export interface PanelActions {
  insertSnippet(snippetId: string): Promise<void>;
  openNote(file: string, line: number): Promise<void>;
  snippetIds(): Promise<ReadonlySet<string>>;
  /** Command → first paint of the new panel (KaTeX rendered), measured by the extension; read by the benchmark. */
  recordPaint(ms: number): void;
}

function nonce(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, '');
}

/**
 * The explanation panel: one per window, reused, opened beside the editor. The webview renders
 * concepts itself (markdown-it + KaTeX, the same module as `kb render`), so the extension host only
 * sends data; every message coming back is validated before anything happens.
 */
export class ExplanationPanel {
  private static current: ExplanationPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private pending: PanelTarget | undefined;

  static show(context: vscode.ExtensionContext, store: KnowledgeStore, actions: PanelActions, target?: PanelTarget): void {
    if (ExplanationPanel.current) {
      ExplanationPanel.current.panel.reveal(undefined, true);
      if (target) ExplanationPanel.current.navigate(target);
      return;
    }
    const openedAt = Date.now();
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      vscode.l10n.t('ML Concept'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      ExplanationPanel.options(context.extensionUri),
    );
    ExplanationPanel.current = new ExplanationPanel(panel, context, store, actions, target);
    ExplanationPanel.current.openedAt = openedAt;
  }

  /** Restores a panel after a window reload; the webview restores its own concept and scroll position. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, store: KnowledgeStore, actions: PanelActions): void {
    panel.webview.options = ExplanationPanel.options(context.extensionUri);
    ExplanationPanel.current?.panel.dispose();
    ExplanationPanel.current = new ExplanationPanel(panel, context, store, actions, undefined);
  }

  static refresh(): void {
    ExplanationPanel.current?.load();
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      enableFindWidget: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    };
  }

  /** When the command created this panel; its first paint reports command → KaTeX painted. */
  private openedAt: number | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly store: KnowledgeStore,
    private readonly actions: PanelActions,
    target: PanelTarget | undefined,
  ) {
    this.pending = target;
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
    panel.webview.html = this.html();
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage(raw => this.receive(raw), undefined, this.disposables);
    store.onDidChange(() => this.load(), undefined, this.disposables);
  }

  private navigate(target: PanelTarget): void {
    if (!this.ready) this.pending = target;
    else this.post({ type: 'navigate', target });
  }

  private load(): void {
    if (!this.ready) return;
    this.post({ type: 'load', topics: this.store.topics, concepts: this.store.all, lang: contentLanguage(), target: this.pending });
    this.pending = undefined;
  }

  private post(message: ToPanel): void {
    void this.panel.webview.postMessage(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const message: FromPanel | undefined = parsePanelMessage(raw, {
      snippetIds: await this.actions.snippetIds(),
      noteFiles: new Set(this.store.all.flatMap(c => (c.source === 'builtin' ? [] : [c.source.file]))),
      conceptIds: new Set(this.store.all.map(c => c.id)),
    });
    if (!message) return;
    switch (message.type) {
      case 'ready':
        await this.store.ready();
        this.ready = true;
        this.load();
        break;
      case 'insert':
        await this.actions.insertSnippet(message.snippetId);
        break;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.setStatusBarMessage(vscode.l10n.t('LaTeX copied'), 2000);
        break;
      case 'openNote':
        await this.actions.openNote(message.file, message.line);
        break;
      case 'painted': {
        if (this.openedAt !== undefined) this.actions.recordPaint(Date.now() - this.openedAt);
        this.openedAt = undefined;
        const concept = this.store.concept(message.conceptId);
        if (concept) this.panel.title = concept.title[contentLanguage()];
        break;
      }
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const asset = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, ...path));
    const n = nonce();
    const lang = contentLanguage();
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      `script-src 'nonce-${n}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('media', 'katex', 'katex.min.css')}">
<link rel="stylesheet" href="${asset('media', 'panel.css')}">
<title>ML Concept</title>
</head>
<body>
<nav class="toolbar" aria-label="${vscode.l10n.t('Explanation navigation')}">
  <button type="button" id="back" title="${vscode.l10n.t('Back')}" aria-label="${vscode.l10n.t('Back')}" disabled>←</button>
  <button type="button" id="forward" title="${vscode.l10n.t('Forward')}" aria-label="${vscode.l10n.t('Forward')}" disabled>→</button>
  <button type="button" id="index" title="${vscode.l10n.t('All concepts')}">${vscode.l10n.t('Index')}</button>
  <input type="search" id="search" placeholder="${vscode.l10n.t('Search concepts (English or 中文)…')}" aria-label="${vscode.l10n.t('Search concepts')}" autocomplete="off">
  <button type="button" id="language" title="${vscode.l10n.t('Switch content language')}"></button>
</nav>
<div id="results" role="listbox" hidden></div>
<main id="content" tabindex="-1"></main>
<script nonce="${n}" src="${asset('dist', 'webview', 'panel.js')}"></script>
</body>
</html>`;
  }

  private dispose(): void {
    if (ExplanationPanel.current === this) ExplanationPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

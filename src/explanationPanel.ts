import * as vscode from 'vscode';
import type { ContentLanguage } from './core/concept';
import { FromPanel, PanelTarget, PanelUi, PanelView, ToPanel, parsePanelMessage } from './core/panelMessages';
import { renderIndexHtml } from './core/panelIndex';
import { INLINED_FONTS, inlineFonts } from './core/panelFonts';
import { searchConcepts } from './core/searchConcepts';
import { StyledPage, stylesAsClasses } from './core/stylesAsClasses';
import type { KnowledgeStore } from './knowledgeStore';
import { localize } from './localize';
import { PanelPages } from './panelPages';
import { CONTENT_LANGUAGE, affects, contentLanguage } from './settings';

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

/** The panel's stylesheets (with the fonts built-in pages use) and script, read once and inlined (nonce'd) into every panel's HTML. */
interface PanelAssets {
  css: string;
  script: string;
}
let assets: Promise<PanelAssets> | undefined;

function panelAssets(extensionUri: vscode.Uri): Promise<PanelAssets> {
  if (assets) return assets;
  const bytes = (...path: string[]) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, ...path));
  const read = async (...path: string[]) => new TextDecoder().decode(await bytes(...path));
  const fonts = Promise.all(INLINED_FONTS.map(async name => [name, await bytes('media', 'katex', 'fonts', `${name}.woff2`)] as const)).then(f => new Map(f));
  assets = Promise.all([read('media', 'katex', 'katex.min.css'), read('media', 'panel.css'), read('dist', 'webview', 'panel.js'), fonts]).then(
    ([katexCss, panelCss, script, fontFiles]) => ({ css: `${inlineFonts(katexCss, fontFiles)}\n${panelCss}`, script }),
  );
  return assets;
}

/** The panel's words in one language (vscode.l10n when it is VS Code's display language). */
export function panelUi(lang: ContentLanguage): PanelUi {
  const t = (message: string) => localize(lang, message);
  return {
    navigation: t('Explanation navigation'),
    back: t('Back'),
    forward: t('Forward'),
    index: t('Index'),
    indexTitle: t('All concepts'),
    search: t('Search concepts (English or 中文)…'),
    searchLabel: t('Search concepts'),
    language: t('Switch content language'),
    otherLanguage: lang === 'en' ? '中文' : 'English',
    copy: t('Copy LaTeX'),
    copied: t('Copied'),
    noResults: t('No matching concept'),
    notFound: t('This concept is no longer available.'),
  };
}

/**
 * The explanation panel: one per window, reused, opened beside the editor. The extension host sends
 * one page per message: built-in pages come pre-rendered from the build, the user's notes are
 * rendered on demand, search runs here; every message coming back is validated first.
 */
export class ExplanationPanel {
  private static current: ExplanationPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pages: PanelPages;
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
      localize(contentLanguage(), 'ML Concept'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      ExplanationPanel.options(context.extensionUri),
    );
    const current = new ExplanationPanel(panel, context, store, actions, target);
    ExplanationPanel.current = current;
    current.openedAt = openedAt;
    // The whole page follows the HTML at once: VS Code holds webview messages until the page has
    // loaded, so it does not wait for the script's 'ready' round trip.
    void current.loaded.then(() => current.send(target ?? { id: '' }, contentLanguage(), 'push'));
  }

  /** Restores a panel after a window reload; the webview asks again for its concept and scroll position. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, store: KnowledgeStore, actions: PanelActions): void {
    panel.webview.options = ExplanationPanel.options(context.extensionUri);
    ExplanationPanel.current?.panel.dispose();
    ExplanationPanel.current = new ExplanationPanel(panel, context, store, actions);
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      enableFindWidget: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    };
  }

  /** Set once the webview has its HTML. */
  private readonly loaded: Promise<void>;
  /** When the command created this panel; its first paint reports command → KaTeX painted. */
  private openedAt: number | undefined;
  /** What the webview shows, so a notes change or a language switch can show it again. */
  private shown: { target: PanelTarget; lang: ContentLanguage } | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly store: KnowledgeStore,
    private readonly actions: PanelActions,
    first?: PanelTarget,
  ) {
    this.pages = new PanelPages(context.extensionUri, store);
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
    const lang = contentLanguage();
    this.loaded = Promise.all([panelAssets(context.extensionUri), this.firstTop(first, lang)]).then(
      ([a, top]) => void (panel.webview.html = this.html(a, lang, top)),
    );
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage(raw => this.receive(raw), undefined, this.disposables);
    store.onDidChange(() => this.ready && this.post({ type: 'refresh', lang: this.shown?.lang ?? contentLanguage() }), undefined, this.disposables);
    vscode.workspace.onDidChangeConfiguration(
      e => affects(e, CONTENT_LANGUAGE) && this.ready && this.post({ type: 'refresh', lang: contentLanguage() }),
      undefined,
      this.disposables,
    );
  }

  /**
   * The top of a new panel's first page, to go inside its HTML (a built-in page opened at its top;
   * a note needs the webview's renderer, a question anchor the whole page).
   */
  private async firstTop(target: PanelTarget | undefined, lang: ContentLanguage): Promise<{ id: string; page: StyledPage } | undefined> {
    if (!target?.id || target.anchor) return undefined;
    await this.store.ready();
    const concept = this.store.concept(target.id);
    if (concept?.source !== 'builtin') return undefined;
    const page = await this.pages.page(concept, lang).catch(() => undefined);
    return page && { id: concept.id, page: stylesAsClasses(page.top) };
  }

  private navigate(target: PanelTarget): void {
    if (!this.ready) this.pending = target;
    else void this.send(target, contentLanguage(), 'push');
  }

  /** Renders (or looks up) one page and sends it; the index when the target is '' or gone. */
  private async send(target: PanelTarget, lang: ContentLanguage, history: 'push' | 'replace', view?: PanelView): Promise<void> {
    await this.store.ready();
    const concept = target.id ? this.store.concept(target.id) : undefined;
    const ui = panelUi(lang);
    const page = concept ? await this.pages.page(concept, lang) : { top: renderIndexHtml(this.store.topics, this.store.all, lang), qa: '', tail: '', notes: [] };
    this.shown = { target, lang };
    this.post({ type: 'page', target: concept ? target : { id: '' }, lang, history, view, found: !target.id || !!concept, ui, ...page });
    if (!concept) this.panel.title = localize(lang, 'ML Concept');
  }

  /** Sends the tops of linked pages once the current page has painted (it never competes with it). */
  private async prefetch(ids: readonly string[], lang: ContentLanguage): Promise<void> {
    const tops: Record<string, string> = {};
    for (const id of ids) {
      const concept = this.store.concept(id);
      if (concept?.source === 'builtin') tops[id] = (await this.pages.page(concept, lang).catch(() => undefined))?.top ?? '';
    }
    for (const id of Object.keys(tops)) if (!tops[id]) delete tops[id];
    if (Object.keys(tops).length) this.post({ type: 'prefetch', lang, tops });
  }

  private post(message: ToPanel): void {
    void this.panel.webview.postMessage(message);
  }

  private async receive(raw: unknown): Promise<void> {
    await this.store.ready();
    const message: FromPanel | undefined = parsePanelMessage(raw, {
      snippetIds: await this.actions.snippetIds(),
      noteFiles: new Set(this.store.all.flatMap(c => (c.source === 'builtin' ? [] : [c.source.file]))),
      conceptIds: new Set(this.store.all.map(c => c.id)),
    });
    if (!message) return;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        // A target asked for while the webview loaded (a revived panel asks for its own page itself).
        if (this.pending) await this.send(this.pending, contentLanguage(), 'push');
        this.pending = undefined;
        break;
      case 'open':
        await this.send(message.target, message.lang, message.history, message.view);
        break;
      case 'search': {
        const hits = searchConcepts(this.store.all, message.query, 12).map(h => ({ id: h.concept.id, title: h.concept.title[message.lang], matched: h.matched }));
        this.post({ type: 'results', query: message.query, hits, ui: panelUi(message.lang) });
        break;
      }
      case 'insert':
        await this.actions.insertSnippet(message.snippetId);
        break;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.setStatusBarMessage(localize(contentLanguage(), 'LaTeX copied'), 2000);
        break;
      case 'openNote':
        await this.actions.openNote(message.file, message.line);
        break;
      case 'painted': {
        if (this.openedAt !== undefined) this.actions.recordPaint(Date.now() - this.openedAt);
        this.openedAt = undefined;
        const concept = this.store.concept(message.conceptId);
        if (concept) this.panel.title = concept.title[message.lang];
        if (concept) await this.prefetch(concept.related, message.lang);
        break;
      }
    }
  }

  /**
   * Stylesheets and script are inlined with the nonce: each file a webview loads is a round trip
   * through VS Code's webview service worker (and, remotely, the server), before the first paint.
   */
  private html(assets: PanelAssets, lang: ContentLanguage, first: { id: string; page: StyledPage } | undefined): string {
    const webview = this.panel.webview;
    const asset = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, ...path));
    const n = nonce();
    const ui = panelUi(lang);
    // Styles come only from our files; KaTeX's inline positions are classes for the first page (see
    // stylesAsClasses) and set through the CSSOM for the pages messages bring (see cspSafeHtml).
    const csp = [
      "default-src 'none'",
      `style-src 'nonce-${n}'`,
      `font-src ${webview.cspSource} data:`,
      `img-src ${webview.cspSource}`,
      `script-src 'nonce-${n}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${n}">${assets.css.replace(/url\(fonts\//g, `url(${asset('media', 'katex', 'fonts')}/`)}${first?.page.css ?? ''}</style>
<title>${localize(lang, 'ML Concept')}</title>
</head>
<body>
<nav class="toolbar" aria-label="${ui.navigation}">
  <button type="button" id="back" title="${ui.back}" aria-label="${ui.back}" disabled>←</button>
  <button type="button" id="forward" title="${ui.forward}" aria-label="${ui.forward}" disabled>→</button>
  <button type="button" id="index" title="${ui.indexTitle}">${ui.index}</button>
  <input type="search" id="search" placeholder="${ui.search}" aria-label="${ui.searchLabel}" autocomplete="off">
  <button type="button" id="language" title="${ui.language}">${ui.otherLanguage}</button>
</nav>
<div id="results" role="listbox" hidden></div>
<main id="content" tabindex="-1"${first ? ` data-first="${first.id.replace(/[^\w.-]/g, '')}">${first.page.html}` : '>'}</main>
<script nonce="${n}" data-notes-renderer="${asset('dist', 'webview', 'notes.js')}">${assets.script.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>`;
  }

  private dispose(): void {
    if (ExplanationPanel.current === this) ExplanationPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

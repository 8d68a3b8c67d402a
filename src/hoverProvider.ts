import * as vscode from 'vscode';
import { findConceptAt } from './core/findConceptAt';
import { HOVER_COMMANDS, buildHoverMarkdown } from './core/hoverMarkdown';
import { documentContextFor } from './documentContexts';
import type { KnowledgeStore } from './knowledgeStore';
import { HOVER_ENABLED, HOVER_LANGUAGES, affects, contentLanguage, hoverEnabled, hoverLanguages } from './settings';

function themeKind(): 'light' | 'dark' {
  const kind = vscode.window.activeColorTheme.kind;
  return kind === vscode.ColorThemeKind.Light || kind === vscode.ColorThemeKind.HighContrastLight ? 'light' : 'dark';
}

class ConceptHoverProvider implements vscode.HoverProvider {
  constructor(private readonly store: KnowledgeStore) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    if (!this.store.isReady) await this.store.ready();
    const index = this.store.conceptIndex;
    const line = document.lineAt(position.line).text;
    const match = findConceptAt(index, line, position.character, documentContextFor(document, index), position.line);
    if (!match) return undefined;
    const lang = contentLanguage();
    const main = match.concepts[0];
    const formulaImage = main.source === 'builtin' && main.formulas.length ? await this.store.formulaImage(main) : undefined;
    const markdown = new vscode.MarkdownString(
      buildHoverMarkdown({
        concepts: match.concepts,
        lang,
        theme: themeKind(),
        formulaImage,
        titleOf: id => this.store.titleOf(id, lang),
        term: match.text,
      }),
      true,
    );
    // Only our own commands may run from the hover's links; notes text cannot smuggle in others.
    markdown.isTrusted = { enabledCommands: Object.values(HOVER_COMMANDS) };
    return new vscode.Hover(markdown, new vscode.Range(position.line, match.start, position.line, match.end));
  }
}

/**
 * Registers one provider for all configured languages (any scheme, so notebook cells and untitled
 * files too) and re-registers on a settings change: there is never more than one, so the hover
 * never shows twice.
 */
export function registerConceptHover(store: KnowledgeStore): vscode.Disposable {
  const provider = new ConceptHoverProvider(store);
  let registration: vscode.Disposable | undefined;
  const register = () => {
    registration?.dispose();
    registration = hoverEnabled()
      ? vscode.languages.registerHoverProvider(hoverLanguages().map(language => ({ language })), provider)
      : undefined;
  };
  register();
  const listener = vscode.workspace.onDidChangeConfiguration(e => {
    if (affects(e, HOVER_ENABLED) || affects(e, HOVER_LANGUAGES)) register();
  });
  return { dispose: () => (listener.dispose(), registration?.dispose()) };
}

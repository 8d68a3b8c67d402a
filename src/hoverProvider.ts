import * as vscode from 'vscode';
import type { Concept } from './core/concept';
import { findConceptAt } from './core/findConceptAt';
import { type MathImage, hoveredFormulaMarkdown } from './core/formulaMarkdown';
import { HOVER_COMMANDS, buildHoverMarkdown } from './core/hoverMarkdown';
import type { FormulaTheme } from './core/knowledgeBase';
import { latexInDocumentAt } from './core/latexInText';
import { documentContextFor } from './documentContexts';
import type { KnowledgeStore } from './knowledgeStore';
import type { MathTypesetting } from './mathTypesetting';
import { HOVER_ENABLED, HOVER_LANGUAGES, affects, contentLanguage, hoverEnabled, hoverLanguages, hoverTypesetMath } from './settings';

function themeKind(): FormulaTheme {
  switch (vscode.window.activeColorTheme.kind) {
    case vscode.ColorThemeKind.Light:
      return 'light';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'hcLight';
    case vscode.ColorThemeKind.HighContrast:
      return 'hcDark';
    default:
      return 'dark';
  }
}

/** Whether a hover for these concepts shows a formula only the runtime typesetter can draw. */
function needsTypesetting(concepts: readonly Concept[]): boolean {
  return concepts.some((c, i) => c.source !== 'builtin' && (i > 0 || c.formulas.length > 0));
}

class ConceptHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly store: KnowledgeStore,
    private readonly typesetting: MathTypesetting,
    private readonly linksTo: (concept: Concept) => void,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    if (!this.store.isReady) await this.store.ready();
    const index = this.store.conceptIndex;
    const line = document.lineAt(position.line).text;
    const theme = themeKind();
    // Only a line with TeX on it (a backslash or a dollar) makes the hover read the document around it.
    const formula =
      hoverTypesetMath() && /[\\$]/.test(line) ? latexInDocumentAt(document.getText(), document.offsetAt(position), document.languageId) : undefined;
    const match = findConceptAt(index, line, position.character, documentContextFor(document, index), position.line);
    if (!match && !formula) return undefined;
    // The first load of the typesetter is raced against a budget; a hover that loses it shows the
    // readable text, and the load carries on for the next one.
    if (formula || (match && needsTypesetting(match.concepts))) await this.typesetting.typeset('x', false);
    const mathImage: MathImage = (latex, display) => this.typesetting.typesetNow(latex, display);
    const parts: string[] = [];
    if (formula) parts.push(hoveredFormulaMarkdown(formula.latex, formula.display, theme, mathImage));
    let range = formula && new vscode.Range(document.positionAt(formula.start), document.positionAt(formula.end));
    if (match) {
      const lang = contentLanguage();
      const main = match.concepts[0];
      const formulaImage = main.source === 'builtin' && main.formulas.length ? await this.store.formulaImage(main) : undefined;
      parts.push(
        buildHoverMarkdown({ concepts: match.concepts, lang, theme, formulaImage, mathImage, titleOf: id => this.store.titleOf(id, lang), term: match.text }),
      );
      range ??= new vscode.Range(position.line, match.start, position.line, match.end);
      this.linksTo(main);
    }
    const markdown = new vscode.MarkdownString(parts.join('\n\n---\n\n'), true);
    // Only our own commands may run from the hover's links; notes text cannot smuggle in others.
    markdown.isTrusted = { enabledCommands: Object.values(HOVER_COMMANDS) };
    return new vscode.Hover(markdown, range);
  }
}

/**
 * Registers one provider for all configured languages (any scheme, so notebook cells and untitled
 * files too) and re-registers on a settings change: there is never more than one, so the hover
 * never shows twice. `linksTo` learns of each concept whose page a hover links to.
 */
export function registerConceptHover(store: KnowledgeStore, typesetting: MathTypesetting, linksTo: (concept: Concept) => void): vscode.Disposable {
  const provider = new ConceptHoverProvider(store, typesetting, linksTo);
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

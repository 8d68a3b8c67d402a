import * as vscode from 'vscode';
import type { TypesetResult, Typesetter } from './core/texTypesetter';
import { CachedTypesetter } from './core/typesetCache';
import { loadBundle } from './lazyBundle';

/** How long a hover waits for the typesetting bundle's first load before it shows readable text. */
export const FIRST_LOAD_BUDGET_MS = 400;

/**
 * Typesets the user's LaTeX (notes, docstrings, Markdown) with MathJax from its own bundle
 * (dist/typeset.js, ~1.6 MB), loaded the first time a formula without a built-in image is shown, so
 * activation and the main bundle stay small.
 */
export class MathTypesetting {
  private engine: CachedTypesetter | undefined;
  private loading: Promise<CachedTypesetter> | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** Starts loading the engine once; later calls share that load. */
  load(): Promise<CachedTypesetter> {
    this.loading ??= this.loadEngine().then(engine => (this.engine = new CachedTypesetter(engine)));
    return this.loading;
  }

  private async loadEngine(): Promise<Typesetter> {
    // Yield first, so the hover that asked can race this load against its budget.
    await new Promise(resolve => setTimeout(resolve, 0));
    const bundle = await loadBundle<{ createTypesetter?: () => Typesetter }>(this.extensionUri, 'typeset');
    if (!bundle.createTypesetter) throw new Error('typeset bundle has no createTypesetter');
    return bundle.createTypesetter();
  }

  /** The cached or freshly drawn formula (currentColor SVG), once the engine is loaded. */
  typesetNow(latex: string, display: boolean): TypesetResult | undefined {
    return this.engine?.typeset(latex, display);
  }

  /**
   * Typesets, waiting for the engine's first load at most `budgetMs`; undefined when it is not there
   * yet (the hover shows readable text and the load carries on, so the next hover is typeset).
   */
  async typeset(latex: string, display: boolean, budgetMs = FIRST_LOAD_BUDGET_MS): Promise<TypesetResult | undefined> {
    if (!this.engine) {
      const loaded = this.load().then(
        () => true,
        () => false,
      );
      const inTime = await Promise.race([loaded, new Promise<false>(resolve => setTimeout(() => resolve(false), budgetMs))]);
      if (!inTime) return undefined;
    }
    return this.typesetNow(latex, display);
  }
}

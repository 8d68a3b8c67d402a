import { createTypesetter, type Typesetter } from '../core/texTypesetter';

let typesetter: Typesetter | undefined;

/**
 * Renders display LaTeX to standalone SVG at build time, drawn in currentColor so one image serves
 * every theme. Hovers are Markdown without LaTeX support, but they show images, so the built-in
 * formulas ship as SVG data. The same typesetter draws the user's formulas at run time.
 */
export async function formulaSvg(latex: string): Promise<string> {
  typesetter ??= createTypesetter();
  const result = typesetter.typeset(latex, true);
  if ('error' in result) throw new Error(`MathJax could not typeset: ${latex} (${result.error})`);
  return result.svg;
}

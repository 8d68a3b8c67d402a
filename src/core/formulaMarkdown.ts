import { type FormulaTheme, formulaForTheme } from './knowledgeBase';
import { latexSpans } from './latexInText';
import type { TypesetResult } from './texTypesetter';

/** Draws a formula (currentColor SVG) or says why not; undefined while the typesetter is not loaded. */
export type MathImage = (latex: string, display: boolean) => TypesetResult | undefined;

/** Widest and tallest a hover image may be, in ex (~8 px): the hover is ~500 px wide, ~250 px tall. */
export const HOVER_MAX_WIDTH_EX = 58;
export const HOVER_MAX_HEIGHT_EX = 18;

/** Markdown metacharacters: text is shown as text, never as markup (hoverMarkdown's escapeMarkdown, which imports this module). */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$:]/g, ch => `\\${ch}`);
}

export function svgDataUri(svg: string): string {
  // UTF-8 → base64 without Buffer, so the same code runs in the browser extension host.
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/**
 * Scales an SVG by `scale`, and further if its width or height (MathJax writes them in ex) exceeds the
 * box, keeping its proportions, so a formula that could not be broken into lines still shows whole
 * instead of cut off.
 */
export function fitSvg(svg: string, maxWidthEx: number, maxHeightEx: number, scale = 1): string {
  const open = /^<svg\b[^>]*>/.exec(svg);
  if (!open) return svg;
  const width = /\swidth="([\d.]+)ex"/.exec(open[0]);
  const height = /\sheight="([\d.]+)ex"/.exec(open[0]);
  if (!width || !height) return svg;
  const w = Number(width[1]);
  const h = Number(height[1]);
  const factor = Math.min(scale, maxWidthEx / w, maxHeightEx / h);
  if (factor >= 1) return svg;
  const fitted = open[0]
    .replace(width[0], ` width="${(w * factor).toFixed(3)}ex"`)
    .replace(height[0], ` height="${(h * factor).toFixed(3)}ex"`);
  return fitted + svg.slice(open[0].length);
}

/**
 * Plain-Unicode rendering of simple LaTeX: the text alternative of every formula image, and what a
 * hover shows while the typesetter is not loaded yet.
 */
export function latexToReadableText(latex: string): string {
  const symbols: Record<string, string> = {
    alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', theta: 'θ', lambda: 'λ', mu: 'μ',
    sigma: 'σ', Sigma: 'Σ', pi: 'π', phi: 'φ', psi: 'ψ', omega: 'ω', sum: 'Σ', prod: 'Π', int: '∫', infty: '∞',
    leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', approx: '≈', sim: '~', cdot: '·', times: '×', in: '∈',
    mid: '|', to: '→', rightarrow: '→', leftarrow: '←', partial: '∂', nabla: '∇', ln: 'ln', log: 'log', exp: 'exp', KL: 'KL',
    mathbb: '', mathcal: '', mathrm: '', text: '', operatorname: '', left: '', right: '', big: '', Big: '', quad: ' ', qquad: ' ',
    tilde: '', hat: '', bar: '', varnothing: '∅', ell: 'ℓ', mathbf: '', boldsymbol: '',
  };
  return latex
    .replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, '($1)/($2)')
    .replace(/\\sqrt\{([^{}]*)\}/g, '√($1)')
    .replace(/\\\|/g, '‖')
    .replace(/\\([A-Za-z]+)/g, (m, name: string) => (name in symbols ? symbols[name] : m))
    .replace(/\\[,;:!]/g, ' ')
    .replace(/\\\\/g, '; ')
    .replace(/[{}]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function readableCode(latex: string): string {
  return `\`${latexToReadableText(latex).replace(/`/g, "'")}\``;
}

/**
 * A formula as a hover image (inked for the theme, scaled to fit) with its readable text as the
 * image's alt text, or a short inline message when the LaTeX is not valid.
 */
export function formulaImageMarkdown(result: TypesetResult, latex: string, theme: FormulaTheme, maxHeightEx = HOVER_MAX_HEIGHT_EX, scale = 1): string {
  if ('error' in result) return `${readableCode(latex)} *(${escape(result.error)})*`;
  const svg = fitSvg(formulaForTheme(result.svg, theme), HOVER_MAX_WIDTH_EX, maxHeightEx, scale);
  return `![${altText(latex)}](${svgDataUri(svg)})`;
}

/**
 * The readable text as an image's alt text. VS Code's hover keeps backslash escapes in alt text
 * verbatim, so nothing is escaped: backslashes go, and brackets that do not pair (they would end
 * the alt text) become parentheses.
 */
function altText(latex: string): string {
  const text = latexToReadableText(latex).replace(/\\/g, '');
  let depth = 0;
  for (const ch of text) if ((depth += ch === '[' ? 1 : ch === ']' ? -1 : 0) < 0) break;
  return depth === 0 ? text : text.replace(/\[/g, '(').replace(/\]/g, ')');
}

/**
 * A formula hovered in a document: the image, then its readable text, so the hover's text (what the
 * accessible view and screen readers read) carries the formula too.
 */
export function hoveredFormulaMarkdown(latex: string, display: boolean, theme: FormulaTheme, mathImage?: MathImage): string {
  const result = mathImage?.(latex, display);
  if (!result || 'error' in result) return mathMarkdown(latex, display, theme, mathImage);
  return `${formulaImageMarkdown(result, latex, theme)}\n\n${readableCode(latex)}`;
}

/** A formula typeset when the typesetter can, else its readable text. */
export function mathMarkdown(latex: string, display: boolean, theme: FormulaTheme, mathImage?: MathImage, maxHeightEx?: number, scale?: number): string {
  const result = mathImage?.(latex, display);
  return result ? formulaImageMarkdown(result, latex, theme, maxHeightEx, scale) : readableCode(latex);
}

/**
 * An image's ex is the SVG's own (16 px text), the hover's text is 13 px: inline math in prose is
 * drawn at the text's size so it does not stretch the line.
 */
const PROSE_SCALE = 13 / 16;

/** Prose with $…$ / \( \) / $$…$$ math: text escaped, every formula typeset inline (one line high). */
export function proseWithMathMarkdown(text: string, theme: FormulaTheme, mathImage?: MathImage): string {
  let out = '';
  let at = 0;
  for (const span of latexSpans(text)) {
    out += escape(text.slice(at, span.start)) + mathMarkdown(span.latex, false, theme, mathImage, 2.5, PROSE_SCALE);
    at = span.end;
  }
  return out + escape(text.slice(at));
}

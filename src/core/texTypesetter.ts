import { mathjax } from '@mathjax/src/js/mathjax.js';
import { TeX } from '@mathjax/src/js/input/tex.js';
import { SVG } from '@mathjax/src/js/output/svg.js';
import { liteAdaptor } from '@mathjax/src/js/adaptors/liteAdaptor.js';
import { RegisterHTMLHandler } from '@mathjax/src/js/handlers/html.js';
import '@mathjax/src/js/input/tex/base/BaseConfiguration.js';
import '@mathjax/src/js/input/tex/ams/AmsConfiguration.js';
// The font's glyph ranges beyond its core that formulas use: these four are all that the ~14,000
// formulas of the knowledge base and the seed notes need (\mathbb, \mathcal, \mathscr, \texttt).
// Bundled so typesetting is synchronous; MathJax would otherwise fetch each range on first use.
import '@mathjax/mathjax-newcm-font/js/svg/dynamic/double-struck.js';
import '@mathjax/mathjax-newcm-font/js/svg/dynamic/calligraphic.js';
import '@mathjax/mathjax-newcm-font/js/svg/dynamic/script.js';
import '@mathjax/mathjax-newcm-font/js/svg/dynamic/monospace.js';

/** An SVG drawn in currentColor, or a short message saying why the formula could not be drawn. */
export type TypesetResult = { svg: string } | { error: string };

/**
 * Longest TeX source accepted: a formula in a hover is a line or two (the longest built-in one is
 * ~300 characters, the seed notes' ~120), and typesetting time grows with it.
 */
export const MAX_TEX_CHARS = 1000;
/** Deepest brace nesting, and most table cells and rows: the shapes that make MathJax slow or recurse deeply. */
const MAX_DEPTH = 32;
const MAX_CELLS = 100;
const MAX_ROWS = 50;
/** Largest SVG returned; glyph paths are ~1 KB each, so this is a few hundred symbols. */
export const MAX_SVG_CHARS = 200_000;
/**
 * Width in ex at which display formulas break into lines. A hover is at most ~500 px wide and an ex is
 * ~8 px in the hover's image, so this keeps a formula inside it instead of cut off on the right.
 */
export const HOVER_WIDTH_EX = 56;

/**
 * Commands that reach outside the formula (links, HTML attributes, files, other packages) or define
 * macros. None of them is in the packages loaded here, so MathJax would reject them anyway; naming
 * them gives the user a clear message and keeps that true if a package is ever added.
 */
const REFUSED = /\\(href|url|html\w*|class|cssId|style|data|includegraphics|input|include|require|def|gdef|edef|xdef|let|newcommand|renewcommand|providecommand|newenvironment|renewenvironment|DeclareMathOperator|unicode|mmlToken)(?![A-Za-z])/;

/** The only elements MathJax's SVG output is made of; anything else means the output is not inert. */
const SVG_ELEMENTS = new Set(['svg', 'g', 'path', 'use', 'rect', 'defs', 'line', 'title', 'text', 'desc', 'svg:svg']);

export interface Typesetter {
  typeset(latex: string, display: boolean): TypesetResult;
}

/**
 * MathJax TeX → SVG with only the base and AMS packages (no \href, \html…, \require, \def), macro
 * expansion and input size bounded, and the output checked to hold nothing but drawing elements.
 * The same engine draws the build-time images and, in its own lazily loaded bundle, the user's math.
 */
export function createTypesetter(): Typesetter {
  const adaptor = liteAdaptor();
  RegisterHTMLHandler(adaptor);
  const output = new SVG({ fontCache: 'local', displayOverflow: 'linebreak', linebreaks: { inline: false } });
  const document = mathjax.document('', {
    InputJax: new TeX({ packages: ['base', 'ams'], maxMacros: 1000, maxBuffer: 5 * 1024 }),
    OutputJax: output,
  });
  defineBundledGlyphs(output.font);
  return {
    typeset(latex, display) {
      const source = latex.trim();
      if (!source) return { error: 'empty formula' };
      if (source.length > MAX_TEX_CHARS) return { error: `formula longer than ${MAX_TEX_CHARS} characters` };
      const complex = tooComplex(source);
      if (complex) return { error: complex };
      const refused = REFUSED.exec(source);
      if (refused) return { error: `\\${refused[1]} is not allowed in a hover formula` };
      let svg: string;
      try {
        const node = document.convert(source, { display, containerWidth: HOVER_WIDTH_EX * 8, em: 16, ex: 8 });
        svg = adaptor.innerHTML(node);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        // A retry is MathJax asking to load a glyph range that is not bundled.
        return { error: /retry/i.test(message) ? 'a symbol in this formula is not available' : shortMessage(message) };
      }
      const mathError = /data-mjx-error="([^"]*)"/.exec(svg);
      if (mathError) return { error: shortMessage(unescapeAttribute(mathError[1])) };
      svg = leanSvg(svg);
      if (svg.length > MAX_SVG_CHARS) return { error: 'formula too large to draw' };
      const foreign = [...svg.matchAll(/<([A-Za-z][\w:-]*)/g)].find(m => !SVG_ELEMENTS.has(m[1]));
      if (foreign || /\son\w+\s*=|javascript:/i.test(svg)) return { error: 'formula produced unexpected output' };
      return { svg };
    },
  };
}

/**
 * Defines now the glyph ranges whose files are imported above (each import replaced its range's
 * `setup`); the ranges left out keep MathJax's default, which reports the symbol as unavailable.
 */
function defineBundledGlyphs(font: SVG<unknown, unknown, unknown>['font']): void {
  type DynamicFile = { setup(font: unknown): void; failed: boolean; promise: Promise<void> | null };
  const files = (font.constructor as unknown as { dynamicFiles: Record<string, DynamicFile> }).dynamicFiles;
  for (const file of Object.values(files)) {
    file.setup(font);
    if (!file.failed) file.promise = Promise.resolve();
  }
}

function tooComplex(source: string): string | undefined {
  let depth = 0;
  let deepest = 0;
  for (const ch of source) {
    if (ch === '{') deepest = Math.max(deepest, ++depth);
    else if (ch === '}') depth--;
  }
  // \left … \right nests like braces.
  deepest = Math.max(deepest, (source.match(/\\left(?![A-Za-z])/g) ?? []).length);
  if (deepest > MAX_DEPTH) return `formula nested deeper than ${MAX_DEPTH} levels`;
  if ((source.match(/(?<!\\)&/g) ?? []).length > MAX_CELLS) return `table with more than ${MAX_CELLS} cells`;
  if ((source.match(/\\\\/g) ?? []).length > MAX_ROWS) return `more than ${MAX_ROWS} rows`;
  return undefined;
}

function shortMessage(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

function unescapeAttribute(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * MathJax annotates every node with data-* attributes (the TeX source of each subterm, the node kind,
 * the code point) that no image viewer reads; they are a third of the bytes, and the LaTeX copies are
 * written unescaped (`<` in a data-latex value makes the SVG malformed). Drop them all.
 */
export function leanSvg(svg: string): string {
  return svg.replace(/ data-[\w-]+="[^"]*"/g, '');
}

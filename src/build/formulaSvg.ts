import { mathjax } from '@mathjax/src/js/mathjax.js';
import { TeX } from '@mathjax/src/js/input/tex.js';
import { SVG } from '@mathjax/src/js/output/svg.js';
import { liteAdaptor } from '@mathjax/src/js/adaptors/liteAdaptor.js';
import { RegisterHTMLHandler } from '@mathjax/src/js/handlers/html.js';
import '@mathjax/src/js/util/asyncLoad/node.js';
import '@mathjax/src/js/input/tex/base/BaseConfiguration.js';
import '@mathjax/src/js/input/tex/ams/AmsConfiguration.js';

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);
const document = mathjax.document('', {
  InputJax: new TeX({ packages: ['base', 'ams'] }),
  OutputJax: new SVG({ fontCache: 'local' }),
});

/**
 * Renders display LaTeX to standalone SVG with MathJax at build time, drawn in
 * currentColor so one image serves every theme. Hovers are Markdown without
 * LaTeX support, but they show images, so the built-in formulas ship as SVG data.
 */
export async function formulaSvg(latex: string): Promise<string> {
  const node = await document.convertPromise(latex, { display: true });
  const svg = adaptor.innerHTML(node);
  if (/data-mjx-error|merror/.test(svg)) throw new Error(`MathJax could not typeset: ${latex}`);
  return leanSvg(svg);
}

/**
 * MathJax annotates every node with data-* attributes (the TeX source of each subterm, the node kind,
 * the code point) that no image viewer reads; they are a third of the bytes, and the LaTeX copies are
 * written unescaped (`<` in a data-latex value makes the SVG malformed). Drop them all.
 */
export function leanSvg(svg: string): string {
  return svg.replace(/ data-[\w-]+="[^"]*"/g, '');
}

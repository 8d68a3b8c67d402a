import type { ContentLanguage } from './concept';

/**
 * The panel's pre-rendered built-in pages, one pack per topic (dist/pages/<topic>.json), read when a
 * page of that topic is first shown. Typeset math is most of a page and the two languages of a
 * concept share it, so each distinct formula's HTML is stored once per pack and the pages refer to it.
 * This module has no renderer in it: the extension host only fills packed pages in.
 */
export interface PagePack {
  math: string[];
  pages: Record<string, Record<ContentLanguage, BuiltPage>>;
}

/** A built-in page without "From your notes", which only the user's notes can add. */
export interface BuiltPage {
  top: string;
  qa: string;
  tail: string;
}

export function pagePackPath(topic: string): string[] {
  return ['dist', 'pages', `${topic}.json`];
}

/**
 * KaTeX positions glyphs with inline style attributes, which the panel's CSP (no 'unsafe-inline')
 * refuses when they arrive as markup and logs as a violation each. The panel receives them as
 * `data-s` and sets them through the CSSOM, which the CSP allows. markdown-it runs without HTML,
 * so a literal ` style="` can only be an attribute KaTeX wrote: text and attribute values escape `"`.
 */
export function cspSafeHtml(html: string): string {
  return html.replaceAll(' style="', ' data-s="');
}

const REF = /\uE000(\d+)\uE001/g;
const MATHML = /<span class="katex-mathml">[\s\S]*?<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>[\s\S]*?<\/span>/;

/**
 * A built-in formula as the pages store it: KaTeX's HTML, its MathML copy (a third of the package's
 * pages) replaced by the TeX source as the formula's accessible name. The visual part is aria-hidden
 * already; the source is KaTeX-escaped, so it is safe inside the attribute.
 */
export function leanFormula(html: string): string {
  const m = MATHML.exec(html);
  if (!m) return html;
  const label = m[1].trim().replace(/\s+/g, ' ');
  return html.replace(m[0], '').replace(/^<span class="katex">|(<span class="katex-display"><span class="katex">)/, open => `${open.slice(0, -1)} role="img" aria-label="${label}">`);
}
const KATEX_OPEN = /<span class="katex(?:-display)?">/g;
const SPAN_TAG = /<span\b|<\/span>/g;

/** Replaces each typeset formula (KaTeX's outermost span) with a reference into `table`. */
export function extractMath(html: string, table: Map<string, number>): string {
  let out = '';
  let at = 0;
  KATEX_OPEN.lastIndex = 0;
  for (let m = KATEX_OPEN.exec(html); m; m = KATEX_OPEN.exec(html)) {
    SPAN_TAG.lastIndex = m.index + m[0].length;
    let depth = 1;
    let end = -1;
    for (let t = SPAN_TAG.exec(html); t; t = SPAN_TAG.exec(html)) {
      depth += t[0] === '</span>' ? -1 : 1;
      if (depth === 0) {
        end = t.index + t[0].length;
        break;
      }
    }
    if (end < 0) break; // unbalanced: keep the rest as it is
    const formula = leanFormula(html.slice(m.index, end));
    let n = table.get(formula);
    if (n === undefined) table.set(formula, (n = table.size));
    out += `${html.slice(at, m.index)}\uE000${n}\uE001`;
    at = end;
    KATEX_OPEN.lastIndex = end;
  }
  return out + html.slice(at);
}

export function expandMath(html: string, math: readonly string[]): string {
  return html.replace(REF, (_, n: string) => math[Number(n)] ?? '');
}

/** A page of a pack with its formulas filled in, or undefined when the pack has no such page. */
export function pageFromPack(pack: PagePack, id: string, lang: ContentLanguage): BuiltPage | undefined {
  const page = pack.pages[id]?.[lang];
  return page && { top: expandMath(page.top, pack.math), qa: expandMath(page.qa, pack.math), tail: page.tail };
}

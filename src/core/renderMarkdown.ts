import katex from 'katex';
import MarkdownIt from 'markdown-it';
import markdownItKatex from '@vscode/markdown-it-katex';

/**
 * KaTeX bounds for text we did not write (the user's notes): no \href/\url/\includegraphics/\htmlData
 * (trust: false), errors render as a red box instead of throwing, and a macro bomb or a \rule giant
 * stops at maxExpand/maxSize instead of freezing the panel.
 */
export const KATEX_OPTIONS = {
  throwOnError: false,
  trust: false,
  strict: 'ignore',
  maxExpand: 1000,
  maxSize: 50,
  output: 'htmlAndMathml',
} as const;

/** Links the panel may follow: the web, mail, and anchors inside the page. Nothing else is a link. */
const SAFE_LINK = /^(?:https?:|mailto:|#)/i;

let markdown: MarkdownIt | undefined;

function markdownIt(): MarkdownIt {
  if (markdown) return markdown;
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.use(markdownItKatex, { katex, ...KATEX_OPTIONS });
  // Paths without a scheme pass validation so broken note images still parse as images (shown as alt
  // text below); as links they lose their href, since the panel cannot open a path.
  md.validateLink = url => SAFE_LINK.test(url.trim()) || !/^[a-z][a-z0-9+.-]*:/i.test(url.trim());
  md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
    const href = tokens[idx].attrGet('href') ?? '';
    if (!SAFE_LINK.test(href)) tokens[idx].attrs = (tokens[idx].attrs ?? []).filter(([name]) => name !== 'href');
    return self.renderToken(tokens, idx, options);
  };
  // Notes point at images on someone's disk; the panel loads nothing from outside media/, so an image
  // is shown as its alt text.
  md.renderer.rules.image = (tokens, idx) => {
    const alt = md.utils.escapeHtml(tokens[idx].content || 'image');
    return `<span class="missing-image" title="${md.utils.escapeHtml(tokens[idx].attrGet('src') ?? '')}">[${alt}]</span>`;
  };
  const block = md.renderer.rules.math_block!;
  md.renderer.rules.math_block = (tokens, idx, options, env, self) =>
    `<div class="formula" data-latex="${md.utils.escapeHtml(tokens[idx].content.trim())}">${block(tokens, idx, options, env, self)}</div>`;
  markdown = md;
  return md;
}

/**
 * Notes use delimiters the KaTeX plugin does not read: `\( … \)` and `\[ … \]`, and a line that is
 * only `$ … $` (a display formula in Typora-style notes, with spaces that pandoc's `$` rule rejects).
 * They are rewritten to `$…$` / `$$…$$` outside code.
 */
export function normalizeMathDelimiters(text: string): string {
  const parts = text.split(/(^ {0,3}(`{3,}|~{3,})[\s\S]*?^ {0,3}\2[^\n]*$|`+[^`\n]*`+)/m);
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (i % 3 === 1) out += part;
    else if (i % 3 === 0)
      out += part
        .replace(/(?<!\\)\\\[([\s\S]+?)\\\]/g, (_, m: string) => `$$${m}$$`)
        .replace(/(?<!\\)\\\(([\s\S]+?)\\\)/g, (_, m: string) => `$${m.trim()}$`)
        .replace(/^([ \t]*)\$(?!\$)[ \t]*([^$\n]+?)[ \t]*\$[ \t]*$/gm, (_, indent: string, m: string) => `${indent}$$${m}$$`);
  }
  return out;
}

/**
 * Note apps write image paths with spaces (`![shot](/Users/me/Clean Shot 1.png)`), which CommonMark
 * reads as text; wrapping the destination in <…> makes it an image again, shown as its alt text.
 */
export function normalizeImageLinks(text: string): string {
  return text.replace(/!\[([^\]\n]*)\]\(([^)<>\n]*\s[^)<>\n]*)\)/g, (_, alt: string, url: string) => `![${alt}](<${url.trim()}>)`);
}

export function renderMarkdown(text: string): string {
  return markdownIt().render(normalizeMathDelimiters(normalizeImageLinks(text)));
}

export function renderInlineMarkdown(text: string): string {
  return markdownIt().renderInline(normalizeMathDelimiters(text));
}

export function renderFormula(latex: string): string {
  return katex.renderToString(latex, { ...KATEX_OPTIONS, displayMode: true });
}

export function escapeHtml(text: string): string {
  return markdownIt().utils.escapeHtml(text);
}

/** One formula of a Markdown text as the panel's parser sees it, with its 0-based line. */
export interface MathSpan {
  latex: string;
  display: boolean;
  line: number;
}

/** Every `$…$` and `$$…$$` the panel would typeset, found by the panel's own parser (code excluded). */
export function mathSpans(text: string): MathSpan[] {
  const spans: MathSpan[] = [];
  const walk = (tokens: ReturnType<MarkdownIt['parse']>, line: number) => {
    for (const t of tokens) {
      const at = t.map?.[0] ?? line;
      if (t.type === 'math_block') spans.push({ latex: t.content, display: true, line: at });
      else if (t.type === 'math_inline') spans.push({ latex: t.content, display: false, line: at });
      else if (t.type === 'math_inline_block') spans.push({ latex: t.content, display: true, line: at });
      if (t.children) walk(t.children, at);
    }
  };
  walk(markdownIt().parse(normalizeMathDelimiters(normalizeImageLinks(text)), {}), 0);
  return spans;
}

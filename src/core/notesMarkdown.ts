import MarkdownIt from 'markdown-it';

/**
 * The Markdown parser the notes importer reads structure with: markdown-it as the panel renders notes
 * (same preset, no HTML), so a fence, a code span or a quote is one in both places, plus the math the
 * panel's KaTeX plugin reads. The plugin itself would pull KaTeX into every bundle that imports notes,
 * so its parsing rules are restated here: `$$ … $$` / `\[ … \]` blocks, and `$…$`, `$$…$$`, `\(…\)`,
 * `\[…\]` inline.
 */

export type Token = MarkdownIt.Token;

export interface NotesEnv {
  /** Offset of each line's first character in the source, for columns inside quotes and lists. */
  lineStarts: number[];
  /** Display math opened on a line and never closed, by 0-based line. */
  unclosedMath: Map<number, { col: number; fixLine: number }>;
}

let parser: MarkdownIt | undefined;

export function notesParser(): MarkdownIt {
  if (parser) return parser;
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.block.ruler.after('blockquote', 'math_block', displayMath, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.inline.ruler.before('escape', 'math_inline', inlineMath);
  // markdown-it's link rules rescan the rest of a paragraph for every `[` (a megabyte of `![` takes
  // seconds); terms only need link targets and images left out of the prose, which one scan can do.
  md.inline.ruler.disable(['link', 'image', 'autolink', 'html_inline']);
  md.inline.ruler.before('emphasis', 'link_target', linkTarget);
  // Inline content is parsed by the importer only where it looks for terms, after dropping long lines.
  md.core.ruler.disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join']);
  parser = md;
  return md;
}

/** Block tokens of a notes file (inline tokens keep their source in `content`, not yet parsed). */
export function parseNotesBlocks(text: string): { tokens: Token[]; env: NotesEnv } {
  const lineStarts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lineStarts.push(at + 1);
  const env: NotesEnv = { lineStarts, unclosedMath: new Map() };
  return { tokens: notesParser().parse(text, env), env };
}

/** Inline tokens of one paragraph or heading. */
export function parseNotesInline(content: string, env: NotesEnv): Token[] {
  const md = notesParser();
  const children: Token[] = [];
  md.inline.parse(content, md, env, children);
  return children;
}

const DOLLAR = 0x24;
const BACKSLASH = 0x5c;

/**
 * `$$` (or `\[`) at the start of a line opens display math that ends on the first line holding `$$`
 * (`\]`), so a `>` or `#` inside it is math, not a quote or heading. Unlike the KaTeX plugin, an opener
 * that meets a blank line before its close is not math: one missing `$$` would otherwise swallow every
 * later question. Lint reports it, with the blank line as the place to close it.
 */
function displayMath(state: MarkdownIt.StateBlock, start: number, end: number, silent: boolean): boolean {
  if (state.sCount[start] - state.blkIndent >= 4) return false;
  const src = state.src;
  const pos = state.bMarks[start] + state.tShift[start];
  const max = state.eMarks[start];
  let close: string;
  if (src.charCodeAt(pos) === DOLLAR && src.charCodeAt(pos + 1) === DOLLAR) close = '$$';
  else if (src.charCodeAt(pos) === BACKSLASH && src.charCodeAt(pos + 1) === 0x5b) close = '\\]';
  else return false;
  const firstRest = src.slice(pos + 2, max);
  let last = start;
  const sameLine = firstRest.indexOf(close);
  if (sameLine >= 0) {
    // `$$x$$` alone on its line is a display formula; with text after it, inline math in a paragraph.
    if (firstRest.slice(sameLine + 2).trim()) return false;
  } else {
    let found = false;
    for (last = start + 1; last < end; last++) {
      const lineStart = state.bMarks[last] + state.tShift[last];
      const lineEnd = state.eMarks[last];
      if (lineStart >= lineEnd || state.sCount[last] < state.blkIndent) break;
      if (src.slice(lineStart, lineEnd).includes(close)) {
        found = true;
        break;
      }
    }
    if (!found) {
      const env = state.env as NotesEnv;
      if (env.unclosedMath && !env.unclosedMath.has(start))
        env.unclosedMath.set(start, { col: pos - (env.lineStarts[start] ?? state.bMarks[start]) + 1, fixLine: last + 1 });
      return false;
    }
  }
  if (silent) return true;
  const token = state.push('math_block', 'math', 0);
  token.block = true;
  token.markup = close === '$$' ? '$$' : '\\[';
  token.map = [start, last + 1];
  state.line = last + 1;
  return true;
}

/** Where `needle` next occurs at or after `from`, remembered so that many openers scan the text once. */
function nextIndex(state: MarkdownIt.StateInline, needle: string, from: number): number {
  const cache = ((state as unknown as { scanCache?: Map<string, { from: number; at: number }> }).scanCache ??= new Map());
  const hit = cache.get(needle);
  if (hit && hit.from <= from && (hit.at === -1 || hit.at >= from)) return hit.at;
  const at = state.src.indexOf(needle, from);
  cache.set(needle, { from, at });
  return at;
}

/**
 * `](target)` and whole images `![alt](target)`, on one line, become one `link_target` token, so a
 * path or URL is never read as prose; a link's text stays prose.
 */
function linkTarget(state: MarkdownIt.StateInline, silent: boolean): boolean {
  const src = state.src;
  const pos = state.pos;
  let from: number;
  if (src.charCodeAt(pos) === 0x21 && src.charCodeAt(pos + 1) === 0x5b) from = nextIndex(state, '](', pos + 2);
  else if (src.charCodeAt(pos) === 0x5d && src.charCodeAt(pos + 1) === 0x28) from = pos;
  else return false;
  if (from < 0) return false;
  const close = nextIndex(state, ')', from + 2);
  const lineEnd = nextIndex(state, '\n', pos);
  if (close < 0 || close >= state.posMax || (lineEnd >= 0 && lineEnd < close)) return false;
  if (!silent) state.push('link_target', '', 0);
  state.pos = close + 1;
  return true;
}

/** Inline math, so its contents are never read as prose: `$…$`, `$$…$$`, `\(…\)`, `\[…\]`. */
function inlineMath(state: MarkdownIt.StateInline, silent: boolean): boolean {
  const src = state.src;
  const pos = state.pos;
  const c0 = src.charCodeAt(pos);
  const c1 = src.charCodeAt(pos + 1);
  let open: number;
  let close: string;
  if (c0 === DOLLAR) [open, close] = c1 === DOLLAR ? [2, '$$'] : [1, '$'];
  else if (c0 === BACKSLASH && c1 === 0x28) [open, close] = [2, '\\)'];
  else if (c0 === BACKSLASH && c1 === 0x5b) [open, close] = [2, '\\]'];
  else return false;
  const at = nextIndex(state, close, pos + open);
  if (at < 0 || at === pos + open || at >= state.posMax) return false;
  if (!silent) {
    const token = state.push('math_inline', 'math', 0);
    token.markup = src.slice(pos, pos + open);
    token.content = src.slice(pos + open, at);
  }
  state.pos = at + close.length;
  return true;
}

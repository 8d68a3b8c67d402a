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

/** How far a negative size may reach: KaTeX's maxSize caps only positive sizes. */
const MAX_NEGATIVE_EM = 10;

/** Ems per TeX unit, as KaTeX converts them (1em = 10pt). */
const EM_PER_UNIT: Record<string, number> = {
  em: 1, ex: 0.431, mu: 1 / 18, pt: 0.1, px: 0.1, bp: 0.1, sp: 0.1 / 65536, mm: 0.2845, cm: 2.845, in: 7.227,
  pc: 1.2, dd: 0.107, cc: 1.284, nd: 0.107, nc: 1.284,
};

/**
 * A negative size right after a command that moves things (`\kern-100000em`, `\hspace{-…}`,
 * `\raisebox{-…}`, `\rule[-…]`, `\\[-…]`) would draw a formula over the panel's controls; it is
 * cut to MAX_NEGATIVE_EM. Only these arguments are touched, so `-200mm` written as text stays.
 */
const NEGATIVE_SIZE =
  /(\\(?:kern|mkern|hskip|mskip|hspace\*?|raisebox|rule|above|mathsurround)|\\\\)(\s{0,16}[{[=]?\s{0,16})-\s{0,16}(\d+(?:\.\d*)?|\.\d+)\s{0,16}(em|ex|mu|pt|px|bp|sp|mm|cm|in|pc|dd|cc|nd|nc)/g;

export function boundLatexSizes(latex: string): string {
  return latex.replace(NEGATIVE_SIZE, (all, command: string, gap: string, value: string, unit: string) =>
    Number(value) * EM_PER_UNIT[unit] > MAX_NEGATIVE_EM
      ? `${command}${gap}-${/^\\m/.test(command) ? `${MAX_NEGATIVE_EM * 18}mu` : `${MAX_NEGATIVE_EM}em`}`
      : all,
  );
}

/** Deeper groups than this are no formula anyone writes; KaTeX's recursive parser would overflow the stack. */
const MAX_GROUP_DEPTH = 200;
/** Longer formulas are shown as source: KaTeX grows faster than linearly past ~10,000 characters. */
const MAX_FORMULA_CHARS = 5000;

function groupDepth(latex: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < latex.length; i++) {
    const c = latex.charCodeAt(i);
    if (c === 92) i++; // \{ and \} are braces as text, not groups
    else if (c === 123) max = Math.max(max, ++depth);
    else if (c === 125) depth = Math.max(0, depth - 1);
  }
  return max;
}

/**
 * KaTeX on text we did not write: negative sizes bounded, nesting bounded, and any error — KaTeX
 * throws RangeError past its own checks — shown as the formula's source in an error box.
 */
function typeset(latex: string, options: katex.KatexOptions): string {
  const source = markdownIt().utils.escapeHtml(latex);
  try {
    if (latex.length > MAX_FORMULA_CHARS) throw new Error(`formula longer than ${MAX_FORMULA_CHARS} characters`);
    if (groupDepth(latex) > MAX_GROUP_DEPTH) throw new Error('formula nested too deeply');
    return katex.renderToString(boundLatexSizes(latex), options);
  } catch (error) {
    return `<span class="katex-error" title="${markdownIt().utils.escapeHtml(String((error as Error).message ?? error))}">${source}</span>`;
  }
}

/** KaTeX as the Markdown plugin calls it. */
const boundedKatex = { renderToString: typeset };

let markdown: MarkdownIt | undefined;

function markdownIt(): MarkdownIt {
  if (markdown) return markdown;
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.use(markdownItKatex, { katex: boundedKatex, ...KATEX_OPTIONS });
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
 * They are rewritten to `$…$` / `$$…$$` outside code. Every step is a forward scan (no backtracking
 * regex): a note can hold a 1 MB line of backticks or `\[`.
 */
export function normalizeMathDelimiters(text: string): string {
  let out = '';
  let from = 0;
  for (const [start, end] of codeRanges(text)) {
    out += normalizeProse(text.slice(from, start)) + text.slice(start, end);
    from = end;
  }
  return out + normalizeProse(text.slice(from));
}

function normalizeProse(text: string): string {
  if (!text) return text;
  const display = replacePairs(text, '\\[', '\\]', m => `$$${m}$$`);
  const inline = replacePairs(display, '\\(', '\\)', m => `$${m.trim()}$`);
  return inline.includes('$') ? inline.split('\n').map(displayDollarLine).join('\n') : inline;
}

/** Replaces each `open … close` (open not escaped by a backslash, at least one character inside). */
function replacePairs(text: string, open: string, close: string, wrap: (inside: string) => string): string {
  let out = '';
  let from = 0;
  for (let i = text.indexOf(open); i >= 0; ) {
    if (i > 0 && text[i - 1] === '\\') {
      i = text.indexOf(open, i + 1);
      continue;
    }
    const j = text.indexOf(close, i + open.length + 1);
    // No close after this open means none after any later open either.
    if (j < 0) break;
    out += text.slice(from, i) + wrap(text.slice(i + open.length, j));
    from = j + close.length;
    i = text.indexOf(open, from);
  }
  return out + text.slice(from);
}

const isBlank = (ch: string | undefined) => ch === ' ' || ch === '\t';

/** A line that is only `$ … $` becomes `$$…$$`; currency (`$5 and $6`) has text after its last `$`. */
function displayDollarLine(line: string): string {
  let a = 0;
  while (isBlank(line[a])) a++;
  if (line[a] !== '$' || line[a + 1] === '$') return line;
  let b = line.length;
  while (b > a + 1 && isBlank(line[b - 1])) b--;
  if (b - 1 <= a || line[b - 1] !== '$') return line;
  let s = a + 1;
  let e = b - 1;
  while (s < e && isBlank(line[s])) s++;
  while (e > s && isBlank(line[e - 1])) e--;
  const inner = line.slice(s, e);
  return !inner || inner.includes('$') ? line : `${line.slice(0, a)}$$${inner}$$`;
}

/**
 * Where code is, as [start, end) ranges in order: fenced blocks (CommonMark: up to three spaces of
 * indent, a backtick fence's info string has no backtick, an unclosed fence runs to the end) and
 * code spans within a line (a backtick run closed by the next run of the same length).
 */
function codeRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  let fence: { char: string; length: number; start: number } | undefined;
  for (let s = 0; s <= text.length; ) {
    let e = text.indexOf('\n', s);
    if (e < 0) e = text.length;
    const mark = fenceMark(text, s, e);
    if (fence) {
      if (mark && mark.char === fence.char && mark.length >= fence.length && !text.slice(mark.end, e).trim()) {
        ranges.push([fence.start, e]);
        fence = undefined;
      }
    } else if (mark && !(mark.char === '`' && text.slice(mark.end, e).includes('`'))) fence = { ...mark, start: s };
    else codeSpans(text, s, e, ranges);
    s = e + 1;
  }
  if (fence) ranges.push([fence.start, text.length]);
  return ranges;
}

function fenceMark(text: string, s: number, e: number): { char: string; length: number; end: number } | undefined {
  let i = s;
  while (i < e && i - s < 3 && text[i] === ' ') i++;
  const char = text[i];
  if (char !== '`' && char !== '~') return undefined;
  let j = i;
  while (j < e && text[j] === char) j++;
  return j - i >= 3 ? { char, length: j - i, end: j } : undefined;
}

/** Code spans of text[s, e): each backtick run is paired with the next run of its length, in one pass. */
function codeSpans(text: string, s: number, e: number, into: [number, number][]): void {
  const runs: [number, number][] = [];
  for (let i = text.indexOf('`', s); i >= 0 && i < e; i = text.indexOf('`', i)) {
    let j = i;
    while (j < e && text.charCodeAt(j) === 96) j++;
    runs.push([i, j - i]);
    i = j;
  }
  if (runs.length < 2) return;
  const byLength = new Map<number, number[]>();
  runs.forEach(([, length], r) => {
    const list = byLength.get(length);
    if (list) list.push(r);
    else byLength.set(length, [r]);
  });
  const cursor = new Map<number, number>();
  for (let r = 0; r < runs.length; r++) {
    const [start, length] = runs[r];
    const list = byLength.get(length)!;
    let c = cursor.get(length) ?? 0;
    while (c < list.length && list[c] <= r) c++;
    cursor.set(length, c);
    if (c < list.length) {
      const close = list[c];
      into.push([start, runs[close][0] + length]);
      r = close;
    }
  }
}

/**
 * The first index at or after `from` whose character `stops`, or text.length. Answers are cached, so
 * asking with growing `from` reads each character once.
 */
function seeker(text: string, stops: (code: number) => boolean): (from: number) => number {
  let asked = 0;
  let found = -1;
  return from => {
    if (from >= asked && from <= found) return found;
    let i = from;
    while (i < text.length && !stops(text.charCodeAt(i))) i++;
    asked = from;
    found = i;
    return i;
  };
}

const isSpace = (code: number) => code !== 10 && (code === 32 || code === 9 || (code >= 11 && code <= 13) || (code > 127 && /\s/.test(String.fromCharCode(code))));

/**
 * Note apps write image paths with spaces (`![shot](/Users/me/Clean Shot 1.png)`), which CommonMark
 * reads as text; wrapping the destination in <…> makes it an image again, shown as its alt text.
 * One pass: a failed `![` skips to the `]` every `![` before it would also stop at.
 */
export function normalizeImageLinks(text: string): string {
  const altEnd = seeker(text, c => c === 93 || c === 10);
  const urlEnd = seeker(text, c => c === 41 || c === 60 || c === 62 || c === 10);
  const space = seeker(text, isSpace);
  let out = '';
  let from = 0;
  for (let p = text.indexOf('!['); p >= 0; ) {
    const close = altEnd(p + 2);
    if (close >= text.length) break;
    if (text[close] === ']' && text[close + 1] === '(') {
      const end = urlEnd(close + 2);
      if (text[end] === ')' && space(close + 2) < end) {
        out += `${text.slice(from, p)}![${text.slice(p + 2, close)}](<${text.slice(close + 2, end).trim()}>)`;
        from = end + 1;
        p = text.indexOf('![', from);
        continue;
      }
    }
    p = text.indexOf('![', close + 1);
  }
  return out + text.slice(from);
}

export function renderMarkdown(text: string): string {
  return markdownIt().render(normalizeMathDelimiters(normalizeImageLinks(text)));
}

export function renderInlineMarkdown(text: string): string {
  return markdownIt().renderInline(normalizeMathDelimiters(text));
}

export function renderFormula(latex: string): string {
  return typeset(latex, { ...KATEX_OPTIONS, displayMode: true });
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

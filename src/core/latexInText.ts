import { commentStart } from './documentContext';

/** A formula written in prose: its TeX source, whether it is display math, and where it sits (offsets). */
export interface LatexSpan {
  latex: string;
  display: boolean;
  start: number;
  end: number;
}

/** Lines looked at on either side of the hovered one: a display formula spans a few, not a page. */
const WINDOW_LINES = 30;
/** Characters read either side of the cursor: more than the typesetter accepts in one formula. */
const CHAR_REACH = 1200;

/**
 * Delimited math, left to right, so an opening delimiter is never mistaken for a closing one:
 * $$…$$, \[…\], \(…\), the reST role :math:`…`, then $…$ on one line.
 */
const DELIMITED = /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|:math:`([^`\n]+)`|(?<![\\$])\$([^$\n]+?)\$(?!\d)/g;

/** A reST `.. math::` directive: the argument on its line and the more-indented lines under it. */
const MATH_DIRECTIVE = /^([ \t]*)\.\. math::[ \t]*(.*)$/;

/**
 * Whether a single-dollar span is math rather than two prices ("$5 and $10"): it hugs its dollars
 * as Pandoc requires ($x$, not "$5 and $"), or it has TeX in it (notes write "$ c_i = \\frac…$").
 */
function looksLikeTex(body: string): boolean {
  return /^\S(?:.*\S)?$/.test(body) || /[\\^_{}=]/.test(body);
}

/** Every formula in `text`, in order. */
export function latexSpans(text: string): LatexSpan[] {
  const spans: LatexSpan[] = [];
  for (const m of text.matchAll(DELIMITED)) {
    const [whole, dd, bracket, paren, role, single] = m;
    const start = m.index;
    const end = start + whole.length;
    if (single !== undefined && !looksLikeTex(single)) continue;
    const latex = dd ?? bracket ?? paren ?? role ?? single;
    spans.push({ latex: latex.trim(), display: dd !== undefined || bracket !== undefined, start, end });
  }
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const lineStart = offset;
    offset += lines[i].length + 1;
    const directive = MATH_DIRECTIVE.exec(lines[i]);
    if (!directive) continue;
    const indent = directive[1].length;
    const body = directive[2] ? [directive[2]] : [];
    let j = i + 1;
    let end = lineStart + lines[i].length;
    for (; j < lines.length; j++) {
      const line = lines[j];
      if (line.trim() && line.length - line.trimStart().length <= indent) break;
      // reST options (":label: eq1") belong to the directive, not the formula.
      if (!/^\s*:\w+:/.test(line)) body.push(line.trim());
      end += line.length + 1;
    }
    const latex = body.join('\n').trim();
    if (latex) spans.push({ latex, display: true, start: lineStart, end });
  }
  return spans.sort((a, b) => a.start - b.start);
}

/**
 * The formula under `offset` in a document, looking only at the lines around it (a hover must not
 * scan a whole file). Offsets in the result are document offsets.
 */
export function latexAt(text: string, offset: number): LatexSpan | undefined {
  let from = offset;
  for (let n = 0; n <= WINDOW_LINES && from > 0; n++) from = text.lastIndexOf('\n', Math.max(0, from - 2)) + 1;
  let to = offset;
  for (let n = 0; n <= WINDOW_LINES && to >= 0 && to < text.length; n++) {
    const next = text.indexOf('\n', to + 1);
    to = next < 0 ? text.length : next;
  }
  // Lines can be a megabyte long: only a formula's reach either side is read, so the lazy
  // delimiter patterns (quadratic on a run of unclosed `\(`) never see more than a few KB.
  from = Math.max(from, offset - CHAR_REACH);
  to = Math.min(to, offset + CHAR_REACH);
  const window = text.slice(from, Math.max(to, offset));
  const hit = latexSpans(window).find(s => from + s.start <= offset && offset < from + s.end);
  return hit && { ...hit, start: from + hit.start, end: from + hit.end };
}

/**
 * Whether `offset` of a Python file is in prose — a comment or a triple-quoted string (docstrings) —
 * where LaTeX is written; elsewhere `\(` and `$` are code (a regex, a format string).
 */
export function isPythonProse(text: string, offset: number): boolean {
  const before = text.slice(0, offset);
  if ((before.match(/"""|'''/g) ?? []).length % 2 === 1) return true;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', offset);
  const hash = commentStart(text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd), 'python');
  return hash >= 0 && offset - lineStart > hash;
}

/** Languages whose prose may hold LaTeX, and how to tell prose from code in them. */
export function latexInDocumentAt(text: string, offset: number, languageId: string): LatexSpan | undefined {
  if (languageId === 'python') return isPythonProse(text, offset) ? latexAt(text, offset) : undefined;
  if (languageId === 'markdown' || languageId === 'plaintext') return latexAt(text, offset);
  return undefined;
}

import type { Evidence } from './senses';
import { Join, wordTokens } from './wordTokens';

/** The lines around an occurrence, as the matcher may read them. */
export interface Lines {
  lineAt(row: number): string | undefined;
}

/** How far each kind of evidence may reach: a hover never reads more than a few KB. */
export const EVIDENCE_LIMITS = {
  /** Characters of the hovered line either side of the term. */
  lineReach: 160,
  /** Lines and characters scanned back for enclosing calls and definitions. */
  callLines: 30,
  callChars: 3000,
  defLines: 150,
  /** Lines of a definition's body read when the definition itself is hovered. */
  bodyLines: 15,
  /** Characters of any one line looked at while scanning back. */
  lineCap: 400,
  /** Occurrences of an identifier looked at for its uses, and how much of the document. */
  uses: 200,
  usesCalls: 30,
  usesText: 256 * 1024,
} as const;

/** Adds the word keys of text[from, to): every token, and every identifier run joined (`adamw`, `configureoptimizers`). */
export function addWordKeys(into: Set<string>, text: string, from = 0, to = text.length): void {
  const tokens = wordTokens(text, from, to);
  let run = '';
  let parts = 0;
  for (const t of tokens) {
    if (t.join === Join.Break) {
      if (parts > 1) into.add(run);
      run = '';
      parts = 0;
    }
    into.add(t.key);
    run += t.key;
    parts++;
  }
  if (parts > 1) into.add(run);
}

const isIdentChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const OPEN = '([{';
const CLOSE = ')]}';

/** The dotted name written just before `at` (`torch.optim.AdamW` before its `(`), or ''. */
function calleeBefore(line: string, at: number): string {
  let i = at;
  while (i > 0 && line[i - 1] === ' ') i--;
  const end = i;
  while (i > 0 && (isIdentChar(line.charCodeAt(i - 1)) || line[i - 1] === '.')) i--;
  return line.slice(i, end);
}

/**
 * The names of the calls (or brackets) the position sits inside, innermost first, found by walking
 * back over balanced brackets, across lines: `betas=(0.9, 0.95)` three lines into
 * `torch.optim.AdamW(` gives `torch.optim.AdamW`. At most `max` names, within the scan limits.
 */
export function enclosingCalls(lines: Lines, row: number, column: number, max = 2): string[] {
  const names: string[] = [];
  let depth = 0;
  let budget = EVIDENCE_LIMITS.callChars;
  for (let r = row; r >= 0 && r > row - EVIDENCE_LIMITS.callLines && budget > 0; r--) {
    const full = lines.lineAt(r);
    if (full === undefined) break;
    const end = r === row ? Math.min(column, full.length) : full.length;
    const start = Math.max(0, end - EVIDENCE_LIMITS.lineCap);
    for (let i = end - 1; i >= start && budget > 0; i--, budget--) {
      const ch = full[i];
      if (CLOSE.includes(ch)) depth++;
      else if (OPEN.includes(ch)) {
        if (depth > 0) depth--;
        else {
          const name = ch === '(' ? calleeBefore(full, i) : '';
          if (name) names.push(name);
          if (names.length >= max) return names;
        }
      }
    }
  }
  return names;
}

const DEFINES = /^\s*(?:async\s+)?(?:def|class)\s+[A-Za-z_]\w*|^\s*(?:export\s+)?(?:abstract\s+)?class\s+[A-Za-z_$]/;
const DEF = /^(\s*)(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)|^(\s*)(?:export\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/;

/** Leading blanks, counted up to lineCap: a line of a million spaces costs no more than a short one. */
function indentOf(line: string): number {
  const end = Math.min(line.length, EVIDENCE_LIMITS.lineCap);
  let i = 0;
  while (i < end && (line[i] === ' ' || line[i] === '\t')) i++;
  return i;
}

const isBlankLine = (line: string) => indentOf(line) === line.length;

/** The first lineCap characters of a line: what any per-line rule may read. */
const capped = (line: string) => (line.length > EVIDENCE_LIMITS.lineCap ? line.slice(0, EVIDENCE_LIMITS.lineCap) : line);

/** The names of the function or class definitions that enclose `row` (by indentation), innermost first. */
export function enclosingDefinitions(lines: Lines, row: number, max = 2): string[] {
  const names: string[] = [];
  const here = lines.lineAt(row) ?? '';
  let indent = isBlankLine(here) ? Number.MAX_SAFE_INTEGER : indentOf(here);
  for (let r = row - 1; r >= 0 && r > row - EVIDENCE_LIMITS.defLines; r--) {
    const line = lines.lineAt(r);
    if (line === undefined) break;
    if (isBlankLine(line)) continue;
    const ind = indentOf(line);
    if (ind >= indent) continue;
    const m = DEF.exec(capped(line));
    if (m) {
      names.push(m[2] ?? m[4]);
      if (names.length >= max) break;
    }
    indent = ind;
    if (ind === 0) break;
  }
  return names;
}

/** The identifier (letters, digits, `_`) that contains text[start, end) on its line. */
export function identifierAround(line: string, start: number, end: number): { start: number; end: number } {
  let s = start;
  let e = end;
  const floor = Math.max(0, start - 80);
  const ceiling = Math.min(line.length, end + 80);
  while (s > floor && isIdentChar(line.charCodeAt(s - 1))) s--;
  while (e < ceiling && isIdentChar(line.charCodeAt(e))) e++;
  return { start: s, end: e };
}

const COMMENT = /^\s*(?:#|\/\/|\*|--|%)/;

/** Evidence about the occurrence's shape rather than its words; cues name them as written here. */
export const SHAPE = { method: '@method', call: '@call' } as const;

/**
 * Everything around one occurrence that can tell its meaning: the words of the line near it, of the
 * whole identifier and its dotted chain, of the enclosing calls and definitions, and of a comment
 * block it sits in; plus how the identifier is used in the document (`uses`) and the file's imports.
 */
export function occurrenceEvidence(
  lines: Lines,
  row: number,
  line: string,
  start: number,
  end: number,
  usesOf: (identifier: string) => ReadonlySet<string>,
  imports: ReadonlySet<string>,
): Evidence {
  const words = new Set<string>();
  const reach = EVIDENCE_LIMITS.lineReach;
  addWordKeys(words, line, Math.max(0, start - reach), Math.min(line.length, end + reach));
  for (const name of enclosingCalls(lines, row, start)) addWordKeys(words, name);
  for (const name of enclosingDefinitions(lines, row)) addWordKeys(words, name);
  // A definition is told by its body: `class MLP` holding `c_fc` and `gelu` is a Transformer's FFN.
  if (DEFINES.test(capped(line)))
    for (let r = row + 1; r <= row + EVIDENCE_LIMITS.bodyLines; r++) {
      const l = lines.lineAt(r);
      if (l === undefined) break;
      addWordKeys(words, l, 0, Math.min(l.length, EVIDENCE_LIMITS.lineCap));
    }
  // The comment block the occurrence sits in, or the one right above its line, which describes it.
  const inComment = COMMENT.test(capped(line));
  for (const r of inComment ? [row - 2, row - 1, row + 1, row + 2] : [row - 1, row - 2, row - 3]) {
    const l = lines.lineAt(r);
    if (l === undefined || !COMMENT.test(capped(l))) {
      if (inComment) continue;
      break;
    }
    addWordKeys(words, l, 0, Math.min(l.length, EVIDENCE_LIMITS.lineCap));
  }
  const ident = identifierAround(line, start, end);
  const name = line.slice(ident.start, ident.end);
  // The shape of the occurrence itself: `x.clip(0, 1)` is a method of some object, not a model.
  if (line[ident.start - 1] === '.') words.add(SHAPE.method);
  if (/^\s*\(/.test(line.slice(ident.end, ident.end + 8))) words.add(SHAPE.call);
  const uses = /^[A-Za-z_]\w*$/.test(name) ? usesOf(name) : new Set<string>();
  return { words, uses, imports };
}

/**
 * How an identifier is bound and used anywhere in the document: what it is assigned from
 * (`fid = open(…)`, `cfg = self.config`), its attributes and methods (`fid.read`, `cfg.MODEL`), its
 * type annotation (`cfg: CfgNode`), the `with … as` it comes from, the function it is a parameter of,
 * and the calls it is passed to (`betas=` inside `AdamW(`). Word keys, like the other evidence.
 * `lines` are the lines of `text`.
 */
export function identifierUses(text: string, identifier: string, lines: Lines): Set<string> {
  const uses = new Set<string>();
  const scan = text.length > EVIDENCE_LIMITS.usesText ? text.slice(0, EVIDENCE_LIMITS.usesText) : text;
  const pattern = new RegExp(`(?<![\\w.$])${identifier}(?![\\w$])`, 'g');
  let seen = 0;
  let calls = 0;
  // Rows and line starts advance with the matches, one newline at a time: a 256 KB line with 200
  // uses is read once, not once per use.
  let row = 0;
  let lineStart = 0;
  let newline = scan.indexOf('\n');
  for (let m = pattern.exec(scan); m && seen < EVIDENCE_LIMITS.uses; m = pattern.exec(scan), seen++) {
    while (newline >= 0 && newline < m.index) {
      row++;
      lineStart = newline + 1;
      newline = scan.indexOf('\n', lineStart);
    }
    const after = scan.slice(m.index + identifier.length, m.index + identifier.length + 120);
    const attr = /^\s*\.\s*([A-Za-z_]\w*)/.exec(after);
    if (attr) addWordKeys(uses, attr[1]);
    const bound = /^\s*(?::\s*([\w.]+)\s*)?=(?!=)\s*([\w.]+)?/.exec(after);
    if (bound) {
      if (bound[1]) addWordKeys(uses, bound[1]);
      if (bound[2]) addWordKeys(uses, bound[2]);
    }
    const before = scan.slice(Math.max(lineStart, m.index - EVIDENCE_LIMITS.lineCap), m.index);
    // `with open(…) as fid`: the `as` at the end first, so no `.*` runs over the line for every `with`.
    const withAs = /\bas\s*$/.test(before) ? /\bwith\s+([\w.]+)\s*\(/.exec(before) : null;
    if (withAs) addWordKeys(uses, withAs[1]);
    const def = /^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(/.exec(before);
    if (def) addWordKeys(uses, def[1]);
    if (calls < EVIDENCE_LIMITS.usesCalls) {
      calls++;
      for (const name of enclosingCalls(lines, row, m.index - lineStart, 1)) addWordKeys(uses, name);
    }
  }
  return uses;
}

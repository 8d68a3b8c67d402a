import type { Concept } from './concept';
import { ConceptIndex, singularKeys } from './conceptIndex';
import { DocumentContext, isLicenceLine, judgeOccurrence } from './documentContext';
import { identifierAround } from './occurrenceEvidence';
import { Join, WordToken, wordTokens } from './wordTokens';

export interface ConceptMatch {
  /** Built-in concept first, then concepts from the user's notes that define the same term. */
  concepts: Concept[];
  /** The matched term's UTF-16 offsets in the line, end exclusive. */
  start: number;
  end: number;
  text: string;
}

/**
 * The token under the cursor. The `_` or `-` inside an identifier belongs to the word before it, so
 * hovering the underscore of `elbo_per_sample` still finds `elbo`. The single space inside a phrase
 * ("sliding window") also starts from the word before it, but then only a term that spans the space
 * counts (`mustPass`), so a mouse resting between two words never shows the first word alone.
 */
function tokenAt(tokens: readonly WordToken[], column: number, line: string): { index: number; mustPass: boolean } {
  const none = { index: -1, mustPass: false };
  const next = tokens.findIndex(t => column < t.end);
  if (next < 0) return none;
  if (tokens[next].start <= column) return { index: next, mustPass: false };
  if (next === 0 || tokens[next].join !== Join.Loose) return none;
  const ch = line[column];
  if (ch === '_' || ch === '-') return { index: next - 1, mustPass: false };
  return ch === ' ' ? { index: next - 1, mustPass: true } : none;
}

/** At most this many characters either side of the cursor are tokenized: a 2 MB line costs nothing more. */
const LINE_WINDOW = 256;

const isWordChar = (code: number) =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code >= 0xc0;

/**
 * The part of the line that can hold a term covering the cursor: the longest term either side, plus
 * one separator per token (`k_means` is written longer than its alias `kmeans`), widened to whole
 * words so a match never starts or ends inside one.
 */
function lineWindow(line: string, column: number, maxTermLength: number, maxTokens: number): [number, number] {
  const reach = Math.min(LINE_WINDOW, maxTermLength + maxTokens + 1);
  let from = Math.max(0, column - reach);
  let to = Math.min(line.length, column + reach);
  const floor = Math.max(0, column - LINE_WINDOW);
  const ceiling = Math.min(line.length, column + LINE_WINDOW);
  while (from > floor && isWordChar(line.charCodeAt(from - 1))) from--;
  while (to < ceiling && isWordChar(line.charCodeAt(to))) to++;
  return [from, to];
}

/**
 * Text that holds nothing to explain even when letters in it spell a term: a numeric literal
 * (`0x08AE`, `1e-8`), a URL, base64 or hex data (`"iVBORw0KGgo…"` in a notebook), a path with two or
 * more separators. Decided from the run of non-space, non-quote characters around the cursor.
 */
export function isDataLiteral(line: string, column: number): boolean {
  const ident = identifierAround(line, column, column + 1);
  if (ident.end > ident.start && /[0-9]/.test(line[ident.start])) return true;
  const stop = (c: string) => c === ' ' || c === '\t' || c === '"' || c === "'" || c === '`' || c === ',' || c === '(' || c === ')';
  let s = column;
  let e = column;
  const floor = Math.max(0, column - 300);
  const ceiling = Math.min(line.length, column + 300);
  while (s > floor && !stop(line[s - 1])) s--;
  while (e < ceiling && !stop(line[e])) e++;
  const run = line.slice(s, e);
  if (run.includes('://')) return true;
  if (run.length >= 24 && /^[A-Za-z0-9+/=_-]+$/.test(run) && /[0-9]/.test(run) && /[a-z]/.test(run) && /[A-Z]/.test(run)) return true;
  if (/^(?:0x)?[0-9a-fA-F]{16,}$/.test(run)) return true;
  return /^[~.]?[\w.-]*(?:[/\\][\w.-]+){2,}[/\\]?$/.test(run) && /[/\\]/.test(run) && !run.includes('..');
}

/** The index key a run of tokens matches: itself, or the singular of a prose alias it is the plural of. */
function entryKey(index: ConceptIndex, key: string): string | undefined {
  if (index.entries.has(key)) return key;
  for (const singular of singularKeys(key)) if (index.entries.get(singular)?.plural) return singular;
  return undefined;
}

interface Candidate {
  start: number;
  end: number;
  key: string;
  /** The term covers the cursor (else it is elsewhere in the identifier under the cursor). */
  covers: boolean;
}

/**
 * The terms the cursor can mean, best first. Terms covering the cursor come first, longest first.
 * Then — so hovering anywhere on an identifier works the same way — terms elsewhere inside the
 * identifier under the cursor (`value` of `fid_value` shows FID; `prior` of `kl_prior` shows KL):
 * longest first, then nearest the cursor. Identifiers are runs joined by case changes or `_` /
 * `-`, never by spaces: in prose, each word speaks for itself.
 */
function candidates(index: ConceptIndex, tokens: readonly WordToken[], cursor: number, mustPass: boolean, line: string): Candidate[] {
  const found: Candidate[] = [];
  for (let i = cursor; i >= 0 && i > cursor - index.maxTokens; i--) {
    if (i < cursor && tokens[i + 1].join === Join.Break) break;
    let key = '';
    for (let j = i; j < tokens.length && j < i + index.maxTokens; j++) {
      if (j > i && tokens[j].join === Join.Break) break;
      key += tokens[j].key;
      if (j < cursor || (mustPass && j === cursor)) continue;
      const hit = entryKey(index, key);
      if (hit) found.push({ start: tokens[i].start, end: tokens[j].end, key: hit, covers: true });
    }
  }
  if (!mustPass && line.charCodeAt(tokens[cursor].start) < 0x3400) {
    // Chinese has no spaces: a run of Han characters is a sentence, not an identifier.
    const han = (t: number) => line.charCodeAt(tokens[t].start) >= 0x3400;
    const joined = (t: number) => tokens[t].join !== Join.Break && line[tokens[t].start - 1] !== ' ' && !han(t) && !han(t - 1);
    let first = cursor;
    let last = cursor;
    while (first > 0 && joined(first)) first--;
    while (last + 1 < tokens.length && joined(last + 1)) last++;
    for (let i = first; i <= last; i++) {
      let key = '';
      for (let j = i; j <= last && j < i + index.maxTokens; j++) {
        key += tokens[j].key;
        if (i <= cursor && j >= cursor) continue;
        const hit = entryKey(index, key);
        if (hit) found.push({ start: tokens[i].start, end: tokens[j].end, key: hit, covers: false });
      }
    }
  }
  const distance = (c: Candidate) => (c.covers ? 0 : Math.min(Math.abs(c.start - tokens[cursor].start), Math.abs(c.end - tokens[cursor].end)));
  return found.sort((a, b) => Number(b.covers) - Number(a.covers) || b.end - b.start - (a.end - a.start) || distance(a) - distance(b));
}

/**
 * The concept whose term is under `column` (0-based UTF-16 offset) of `line`, the 0-based `row` of
 * the document the context was built for (-1 when unknown: only the line is then read), or undefined.
 * The best fitting candidate wins; the range is the term itself (`elbo` in `elbo_per_sample`, but
 * all of `neg_elbo`, which is a term of its own).
 */
export function findConceptAt(
  index: ConceptIndex,
  line: string,
  column: number,
  context: DocumentContext,
  row = -1,
): ConceptMatch | undefined {
  if (column < 0 || column >= line.length) return undefined;
  if (row >= 0 && context.skipsRow(row)) return undefined;
  const [from, to] = lineWindow(line, column, index.maxTermLength, index.maxTokens);
  const tokens = wordTokens(line, from, to);
  const { index: cursor, mustPass } = tokenAt(tokens, column, line);
  if (cursor < 0) return undefined;
  const found = candidates(index, tokens, cursor, mustPass, line);
  if (!found.length) return undefined;
  if (isLicenceLine(line.slice(Math.max(0, column - 200), column + 200)) || isDataLiteral(line, column)) return undefined;
  for (const c of found) {
    const text = line.slice(c.start, c.end);
    const ids = judgeOccurrence(index.entries.get(c.key)!, { line, row, start: c.start, end: c.end, text }, context);
    if (ids) return { concepts: ids.map(id => index.concepts.get(id)!), start: c.start, end: c.end, text };
  }
  return undefined;
}

import type { Concept } from './concept';
import type { ConceptIndex } from './conceptIndex';
import { DocumentContext, termFits } from './documentContext';
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
 * The concept whose term covers `column` (0-based UTF-16 offset) in `line`, or undefined.
 * The longest fitting term wins; the range is the term itself (`elbo` in `elbo_per_sample`, but all of
 * `neg_elbo`, which is a term of its own).
 */
export function findConceptAt(
  index: ConceptIndex,
  line: string,
  column: number,
  context: DocumentContext,
): ConceptMatch | undefined {
  if (column < 0 || column >= line.length) return undefined;
  const [from, to] = lineWindow(line, column, index.maxTermLength, index.maxTokens);
  const tokens = wordTokens(line, from, to);
  const { index: cursor, mustPass } = tokenAt(tokens, column, line);
  if (cursor < 0) return undefined;

  let best: { start: number; end: number; key: string } | undefined;
  for (let i = cursor; i >= 0 && i > cursor - index.maxTokens; i--) {
    if (i < cursor && tokens[i + 1].join === Join.Break) break;
    let key = '';
    for (let j = i; j < tokens.length && j < i + index.maxTokens; j++) {
      if (j > i && tokens[j].join === Join.Break) break;
      key += tokens[j].key;
      if (j < cursor || (mustPass && j === cursor)) continue;
      const entry = index.entries.get(key);
      if (!entry) continue;
      const start = tokens[i].start;
      const end = tokens[j].end;
      if (best && end - start <= best.end - best.start) continue;
      if (termFits(entry, line.slice(start, end), line, context)) best = { start, end, key };
    }
  }
  if (!best) return undefined;
  const entry = index.entries.get(best.key)!;
  return {
    concepts: entry.conceptIds.map(id => index.concepts.get(id)!),
    start: best.start,
    end: best.end,
    text: line.slice(best.start, best.end),
  };
}

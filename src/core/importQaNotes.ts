import { MAX_NOTES_BYTES } from './notesLimits';
import { NotesEnv, Token, parseNotesBlocks } from './notesMarkdown';
import { NotesGloss, extractTerms } from './notesTerms';

export type { NotesGloss } from './notesTerms';

/**
 * Reads Q&A study notes in the seed's format: a question is a block of `>` lines (several lines,
 * empty `>` lines, or just an image); its answer is everything up to the next question block. Each
 * entry also gets the terms it defines, so they can be hovered in code. Every step is linear in the
 * file's size: markdown-it reads the structure, and the term rules look at bounded windows.
 */

export interface NotesEntry {
  /** The question's Markdown, without the `>` markers. */
  question: string;
  /** The answer's Markdown, as written. */
  answer: string;
  terms: string[];
  /** The glosses among the terms: the names the entry gives one concept, paired as written. */
  glosses?: NotesGloss[];
  /** 1-based line of the question block's first line. */
  line: number;
}

export interface NotesProblem {
  line: number;
  col: number;
  message: string;
  /** An obvious repair, offered as a quick fix: insert `text` at the start of 1-based `line`. */
  fix?: NotesFix;
}

export interface NotesFix {
  title: string;
  /** May be one past the last line: then the text goes at the end of the file. */
  line: number;
  text: string;
}

export { MAX_NOTES_BYTES };
/** Problems reported for one file, the last of them saying how many more there are. */
const MAX_PROBLEMS = 100;

/**
 * Structure comes from markdown-it's block tokens, as the panel renders the same file: a question is
 * a top-level blockquote (a quote inside a list item, or a `>` inside a fence or display math, is part
 * of an answer), and its answer is the source lines up to the next question, verbatim.
 */
export function importQaNotes(text: string): { entries: NotesEntry[]; problems: NotesProblem[] } {
  const refused = refusalReason(text);
  if (refused) return { entries: [], problems: [{ line: 1, col: 1, message: refused }] };
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = source.split('\n');
  const { tokens, env } = parseNotesBlocks(source);
  const questions: { open: number; close: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type !== 'blockquote_open' || tokens[i].level !== 0) continue;
    let close = i + 1;
    while (close < tokens.length && !(tokens[close].type === 'blockquote_close' && tokens[close].level === 0)) close++;
    questions.push({ open: i, close });
    i = close;
  }
  const entries = questions.map(({ open, close }, n) => {
    const [first, afterQuestion] = tokens[open].map!;
    const next = questions[n + 1];
    const answerEnd = next ? tokens[next.open].map![0] : lines.length;
    const question = lines
      .slice(first, afterQuestion)
      .map(l => l.replace(/^ {0,3}> ?/, ''))
      .join('\n')
      .trim();
    const answer = trimBlankLines(lines.slice(afterQuestion, answerEnd)).join('\n');
    const { terms, glosses } = extractTerms(tokens.slice(open + 1, close), tokens.slice(close + 1, next ? next.open : tokens.length), env);
    return { question, answer, terms, line: first + 1, glosses } satisfies NotesEntry;
  });
  return { entries, problems: lintNotes(lines, tokens, env, entries) };
}

function trimBlankLines(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && !lines[a].trim()) a++;
  while (b > a && !lines[b - 1].trim()) b--;
  return lines.slice(a, b);
}

/** A notes file is text of a sane size: too many bytes, NUL bytes or undecodable characters refuse it. */
function refusalReason(text: string): string | undefined {
  if (utf8Bytes(text, MAX_NOTES_BYTES) > MAX_NOTES_BYTES) return `file is larger than ${MAX_NOTES_BYTES / 1024 / 1024} MB; not indexed`;
  const head = text.slice(0, 8192);
  if (head.includes('\0')) return 'file looks binary (NUL bytes); not indexed';
  const replaced = head.match(/\uFFFD/g)?.length ?? 0;
  if (replaced > 8 && replaced > head.length / 100) return 'file is not valid UTF-8 text; not indexed';
  return undefined;
}

/** The UTF-8 size of `text`, counted only until it passes `limit`. */
function utf8Bytes(text: string, limit: number): number {
  if (text.length > limit) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      bytes += 4; // a surrogate pair is one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function lintNotes(lines: readonly string[], tokens: readonly Token[], env: NotesEnv, entries: readonly NotesEntry[]): NotesProblem[] {
  // Each kind of problem comes in line order, so the first MAX_PROBLEMS of each kind hold the first
  // MAX_PROBLEMS overall: a machine-made file with a problem per line builds no more than that.
  const kept: NotesProblem[] = [];
  let total = 0;
  const kind = () => {
    let n = 0;
    return (problem: () => NotesProblem) => {
      total++;
      if (n++ < MAX_PROBLEMS) kept.push(problem());
    };
  };
  if (entries.length === 0) kind()(() => ({ line: 1, col: 1, message: 'no question blocks: a question is a block of lines starting with ">"' }));
  const entryProblem = kind();
  for (const e of entries) {
    if (!e.answer.trim()) entryProblem(() => ({ line: e.line, col: 1, message: 'question has no answer' }));
    else if (e.terms.length === 0)
      entryProblem(() => ({
        line: e.line,
        col: 1,
        message: 'no term found in this entry: write one as **term**, 中文（English, ABBR） or in a heading',
      }));
  }
  const mathProblem = kind();
  for (const [line, { col, fixLine }] of env.unclosedMath)
    mathProblem(() => ({
      line: line + 1,
      col,
      message: 'unclosed $$: display math opened here is never closed',
      fix: { title: 'Close the display math with $$', line: fixLine, text: '$$\n' },
    }));
  // No fix for a code fence: code may hold blank lines, so where it should end is not obvious.
  const fenceProblem = kind();
  for (const t of tokens) if (t.type === 'fence' && !fenceClosed(t, lines)) fenceProblem(() => ({ line: t.map![0] + 1, col: 1, message: 'unclosed code fence' }));
  kept.sort((a, b) => a.line - b.line || a.col - b.col);
  if (total <= MAX_PROBLEMS) return kept;
  const shown = kept.slice(0, MAX_PROBLEMS - 1);
  return [...shown, { line: kept[MAX_PROBLEMS - 1].line, col: 1, message: `${total - shown.length} more problems in this file are not listed` }];
}

/** markdown-it runs an unclosed fence to the end of its container; a closed one ends on its closing line. */
function fenceClosed(fence: Token, lines: readonly string[]): boolean {
  const [first, end] = fence.map!;
  if (end - 1 <= first) return false;
  const last = (lines[end - 1] ?? '').replace(/^[ \t>]*/, '').trimEnd();
  const mark = fence.markup;
  if (last.length < mark.length) return false;
  for (let i = 0; i < last.length; i++) if (last[i] !== mark[0]) return false;
  return true;
}

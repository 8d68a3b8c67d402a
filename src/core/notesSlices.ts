import { NotesEntry, NotesProblem, importQaNotes } from './importQaNotes';

/**
 * Importing a large notes file in one call would hold the extension host for as long as it takes,
 * so the file is cut into slices that the importer reads one at a time, with a pause in between.
 * A slice starts only where a question must start in any case: a `>` line at column 0 after a blank
 * line, outside code fences, HTML blocks and display math. Importing the slices one by one then gives
 * the same entries and problems as importing the whole file.
 */
export interface NotesSlice {
  text: string;
  /** 0-based line of the slice's first line in the whole file. */
  firstLine: number;
}

/** Slices are cut at the first safe line after this many characters. */
export const SLICE_CHARS = 64 * 1024;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** HTML blocks that CommonMark keeps open across blank lines, with what closes each. */
const HTML_BLOCKS: [open: RegExp, close: RegExp][] = [
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<(?:pre|script|style|textarea)(?:[\s>]|$)/i, /<\/(?:pre|script|style|textarea)>/i],
];

export function splitNotesIntoSlices(text: string, sliceChars = SLICE_CHARS): NotesSlice[] {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const slices: NotesSlice[] = [];
  let start = 0;
  let chars = 0;
  let hasQuestion = false;
  let fence: string | undefined;
  let html: RegExp | undefined;
  let display = false;
  let previousBlank = true;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (fence) {
      const mark = FENCE.exec(line)?.[1];
      if (mark && mark[0] === fence[0] && mark.length >= fence.length) fence = undefined;
    } else if (html) {
      if (html.test(line)) html = undefined;
    } else {
      const isQuestion = line.startsWith('>');
      if (isQuestion && previousBlank && hasQuestion && !display && chars >= sliceChars) {
        slices.push({ text: lines.slice(start, n).join('\n'), firstLine: start });
        start = n;
        chars = 0;
      }
      if (isQuestion) hasQuestion = true;
      const mark = FENCE.exec(line)?.[1];
      const block = HTML_BLOCKS.find(([open]) => open.test(line));
      if (mark) fence = mark;
      else if (block && !block[1].test(line)) html = block[1];
      else display = togglesDisplay(line) ? !display : display;
    }
    previousBlank = !line.trim();
    chars += line.length + 1;
  }
  slices.push({ text: lines.slice(start).join('\n'), firstLine: start });
  return slices;
}

/** Whether a line has an odd number of unescaped `$$` outside code spans. */
function togglesDisplay(line: string): boolean {
  if (!line.includes('$$')) return false;
  const withoutCode = line.replace(/`+[^`]*`+/g, m => ' '.repeat(m.length));
  let odd = false;
  for (let at = withoutCode.indexOf('$$'); at >= 0; at = withoutCode.indexOf('$$', at + 2)) if (withoutCode[at - 1] !== '\\') odd = !odd;
  return odd;
}

export interface SlicedImport {
  entries: NotesEntry[];
  problems: NotesProblem[];
  /** Time spent importing, pauses excluded. */
  ms: number;
}

export interface SliceOptions {
  /** Gives the event loop a turn between slices. */
  pause: () => Promise<void>;
  /** Importing stops once it has used this much time (pauses excluded): `undefined` is returned. */
  budgetMs: number;
  /** Stops early (e.g. the file changed again meanwhile): `undefined` is returned. */
  cancelled?: () => boolean;
  now?: () => number;
  sliceChars?: number;
}

/** Imports a notes file slice by slice, pausing between slices; lines are those of the whole file. */
export async function importNotesInSlices(text: string, options: SliceOptions): Promise<SlicedImport | undefined> {
  const now = options.now ?? (() => performance.now());
  let ms = 0;
  let t = now();
  const slices = splitNotesIntoSlices(text, options.sliceChars);
  const entries: NotesEntry[] = [];
  const problems: NotesProblem[] = [];
  for (let i = 0; i < slices.length; i++) {
    if (i > 0) {
      ms += now() - t;
      if (ms > options.budgetMs) return undefined;
      await options.pause();
      if (options.cancelled?.()) return undefined;
      t = now();
    }
    const { text: sliceText, firstLine } = slices[i];
    const result = importQaNotes(sliceText);
    // The first slice holds a question whenever more follow, so no entries means the importer
    // refused the text (binary, not UTF-8): the later slices are the same refused file.
    if (i === 0 && slices.length > 1 && result.entries.length === 0) return { entries: [], problems: result.problems, ms: now() - t };
    for (const e of result.entries) entries.push({ ...e, line: e.line + firstLine });
    for (const p of result.problems) problems.push({ ...p, line: p.line + firstLine, ...(p.fix && { fix: { ...p.fix, line: p.fix.line + firstLine } }) });
  }
  ms += now() - t;
  return ms > options.budgetMs ? undefined : { entries, problems, ms };
}

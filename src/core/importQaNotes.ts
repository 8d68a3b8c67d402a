/**
 * Reads Q&A study notes in the seed's format: a question is a block of `>` lines (several lines,
 * empty `>` lines, or just an image); its answer is everything up to the next question block. Each
 * entry also gets the terms it defines, so they can be hovered in code.
 */

export interface NotesEntry {
  /** The question's Markdown, without the `>` markers. */
  question: string;
  /** The answer's Markdown, as written. */
  answer: string;
  terms: string[];
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

/**
 * Files larger than this are refused with one problem instead of being indexed. The extension checks
 * the size in bytes before reading; a thousand pages of notes are well under it.
 */
export const MAX_NOTES_BYTES = 2 * 1024 * 1024;
/** Lines longer than this are kept in the answer but not searched for terms (a pasted blob). */
const MAX_TERM_LINE = 4000;

const QUESTION_LINE = /^ {0,3}>/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function importQaNotes(text: string): { entries: NotesEntry[]; problems: NotesProblem[] } {
  const problems: NotesProblem[] = [];
  const binary = binaryReason(text);
  if (binary) return { entries: [], problems: [{ line: 1, col: 1, message: binary }] };
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const entries: NotesEntry[] = [];
  let fence: string | undefined;
  let current: { line: number; question: string[]; answer: string[] } | undefined;
  let inQuestion = false;
  const finish = () => {
    if (!current) return;
    const question = current.question.join('\n').trim();
    const answer = trimBlankLines(current.answer).join('\n');
    entries.push({ question, answer, terms: extractTerms(question, answer), line: current.line });
    current = undefined;
  };
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    const fenceMark = FENCE.exec(line)?.[1];
    if (fence) {
      if (fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length && !line.slice(line.indexOf(fenceMark) + fenceMark.length).trim())
        fence = undefined;
    } else if (fenceMark) {
      fence = fenceMark;
    } else if (QUESTION_LINE.test(line)) {
      if (!inQuestion) {
        finish();
        current = { line: n + 1, question: [], answer: [] };
      }
      current!.question.push(line.replace(/^ {0,3}> ?/, ''));
      inQuestion = true;
      continue;
    }
    inQuestion = false;
    current?.answer.push(line);
  }
  finish();
  problems.push(...lintNotesText(lines, entries));
  return { entries, problems };
}

function trimBlankLines(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && !lines[a].trim()) a++;
  while (b > a && !lines[b - 1].trim()) b--;
  return lines.slice(a, b);
}

/** A notes file is text: NUL bytes or many undecodable characters mean it is something else. */
function binaryReason(text: string): string | undefined {
  if (text.length > MAX_NOTES_BYTES) return `file is larger than ${MAX_NOTES_BYTES / 1024 / 1024} MB; not indexed`;
  const head = text.slice(0, 8192);
  if (head.includes('\0')) return 'file looks binary (NUL bytes); not indexed';
  const replaced = head.match(/\uFFFD/g)?.length ?? 0;
  if (replaced > 8 && replaced > head.length / 100) return 'file is not valid UTF-8 text; not indexed';
  return undefined;
}

function lintNotesText(lines: string[], entries: NotesEntry[]): NotesProblem[] {
  const problems: NotesProblem[] = [];
  if (entries.length === 0)
    problems.push({ line: 1, col: 1, message: 'no question blocks: a question is a block of lines starting with ">"' });
  for (const e of entries) {
    if (!e.answer.trim()) problems.push({ line: e.line, col: 1, message: 'question has no answer' });
    else if (e.terms.length === 0)
      problems.push({
        line: e.line,
        col: 1,
        message: 'no term found in this entry: write one as **term**, 中文（English, ABBR） or in a heading',
      });
  }
  let fence: { mark: string; line: number } | undefined;
  let display: { line: number; col: number } | undefined;
  lines.forEach((line, n) => {
    const fenceMark = FENCE.exec(line)?.[1];
    if (fenceMark && !display) {
      if (!fence) fence = { mark: fenceMark, line: n + 1 };
      else if (fenceMark[0] === fence.mark[0] && fenceMark.length >= fence.mark.length) fence = undefined;
      return;
    }
    if (fence) return;
    const withoutCode = line.replace(/`+[^`]*`+/g, m => ' '.repeat(m.length));
    for (let at = withoutCode.indexOf('$$'); at >= 0; at = withoutCode.indexOf('$$', at + 2)) {
      if (at > 0 && withoutCode[at - 1] === '\\') continue;
      display = display ? undefined : { line: n + 1, col: at + 1 };
    }
  });
  // Display math cannot span a blank line, so the block ends at the first one after it opened (or at
  // the end of the file): that is where the closing $$ belongs.
  const blockEnd = (opened: number) => {
    for (let i = opened; i < lines.length; i++) if (!lines[i].trim()) return i + 1;
    return lines.length + 1;
  };
  if (display)
    problems.push({
      ...display,
      message: 'unclosed $$: display math opened here is never closed',
      fix: { title: 'Close the display math with $$', line: blockEnd(display.line), text: '$$\n' },
    });
  // No fix for a code fence: code may hold blank lines, so where it should end is not obvious.
  if (fence) problems.push({ line: fence.line, col: 1, message: 'unclosed code fence' });
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}

// ---------------------------------------------------------------------------------------------
// Terms

const HAN = '\\u3400-\\u4dbf\\u4e00-\\u9fff';
/** A term written right before its gloss: Chinese with embedded Latin (KL散度, Kullback-Leibler散度). */
const HAN_TERM_BEFORE = new RegExp(`[${HAN}A-Za-z0-9\\-]+$`);
/** A gloss in full-width or ASCII parentheses: （Evidence Lower Bound, ELBO） or (FID). */
const GLOSS = /[（(]([^（）()\n]{1,80})[）)]/g;
/**
 * Function characters that end the words before a Chinese term: in "我们引入一个变分下界（…）" the term
 * starts after 个. Chinese has no spaces, so these particles, measure words and common verbs are the
 * cheapest reliable word boundary.
 */
const HAN_BOUNDARY = /.*[的了个是在和与及或将把对用为被让使从到等即称叫作由以其这那该各每]/;
/** Glosses that are asides, not names: （如…）, （即…）, （也称为…）, （因为…）, （通常…）. */
const ASIDE_START = /^(?:如|即|也|例如|比如|因为|由于|通常|一般|包括|见|参见|注|e\.g\.|i\.e\.|see |cf\.)/i;
const ABBREVIATION = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$|^[A-Z][a-z]?[A-Z][A-Za-z0-9]*$/;
/** Headings that name a part of an answer rather than a concept. */
const GENERIC_HEADINGS = new Set(
  '总结 结论 小结 具体公式 公式 优势 挑战 应用 应用场景 策略 原理 解释 定义 示例 例子 参考 参考文献 概述 引言 背景 证明 问题 答案 回答 计算公式 summary conclusion overview introduction references example examples answer question proof'.split(' '),
);
/** "变分下界的定义" is about 变分下界: these endings are dropped from heading terms. */
const HEADING_SUFFIX = /(?:的定义|的证明|的比较|的特点|的目标|的原理|的应用|的计算)$/;

function extractTerms(question: string, answer: string): string[] {
  const terms: string[] = [];
  const seen = new Set<string>();
  const add = (raw: string) => {
    const term = raw.replace(/^[\s*_`"'“”‘’]+|[\s*_`"'“”‘’:：,，.。;；]+$/g, '').replace(/\s+/g, ' ');
    if (term.length < 2 || term.length > 48) return;
    if (!/[A-Za-z\u3400-\u9fff]/.test(term)) return;
    const key = term.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    terms.push(term);
  };
  // Glosses name a term most explicitly, so they come first: the first term titles the entry.
  const questionLines = maskNonProse(question).split('\n').filter(l => l.length <= MAX_TERM_LINE);
  const answerLines = maskNonProse(answer).split('\n').filter(l => l.length <= MAX_TERM_LINE);
  for (const line of [...questionLines, ...answerLines]) glossTerms(line, add);
  for (const line of answerLines) boldTerms(line, add);
  for (const line of answerLines) headingTerms(line, add);
  return terms;
}

/** Blanks out code, math, links and images so their contents are never taken for terms. */
function maskNonProse(text: string): string {
  const blank = (m: string) => m.replace(/[^\n]/g, ' ');
  return text
    .replace(/^ {0,3}(`{3,}|~{3,})[\s\S]*?^ {0,3}\1/gm, blank)
    .replace(/`+[^`\n]*`+/g, blank)
    .replace(/\$\$[\s\S]*?\$\$/g, blank)
    .replace(/\\\[[\s\S]*?\\\]/g, blank)
    .replace(/\\\([\s\S]*?\\\)/g, blank)
    .replace(/\$[^$\n]+\$/g, blank)
    .replace(/!\[[^\]\n]*\]\([^)\n]*\)/g, blank)
    .replace(/\]\([^)\n]*\)/g, blank);
}

function glossTerms(line: string, add: (t: string) => void): void {
  for (const m of line.matchAll(GLOSS)) {
    const inside = m[1].trim();
    if (!inside || ASIDE_START.test(inside)) continue;
    const before = line.slice(0, m.index).replace(/\*+$/, '');
    const items = inside.split(/\s*[,，、;；]\s*/).filter(Boolean);
    const latinItems = items.every(i => /^[A-Za-z][A-Za-z0-9 \-'’./&+]*$/.test(i));
    if (latinItems) {
      if (!items.every(i => /[A-Z]/.test(i))) continue;
    } else if (!(items.length === 1 && isShortHanTerm(inside))) continue;

    const hanBefore = HAN_TERM_BEFORE.exec(before)?.[0];
    if (hanBefore && new RegExp(`[${HAN}]`).test(hanBefore)) {
      const term = hanBefore.replace(HAN_BOUNDARY, '');
      if ((term.match(new RegExp(`[${HAN}]`, 'g'))?.length ?? 0) <= 8) add(term);
    } else if (/[A-Za-z]\s*$/.test(before)) {
      const name = englishNameBefore(before, items.find(i => ABBREVIATION.test(i)));
      if (name) add(name);
      else if (!latinItems || !items.some(i => ABBREVIATION.test(i))) continue;
    } else if (!latinItems) continue;
    items.forEach(add);
  }
}

/**
 * A Chinese gloss names the term only in the mixed form notes use for abbreviations
 * (Kullback-Leibler散度（KL散度）); a purely Chinese one is usually a qualifier, as in （深度）自编码器.
 */
function isShortHanTerm(s: string): boolean {
  return s.length <= 10 && new RegExp(`[${HAN}]`).test(s) && /[A-Za-z]/.test(s) && !/[，。；：！？\s的和与或]/.test(s);
}

/**
 * The English name an abbreviation stands for: the shortest run of preceding words whose initials
 * spell it (Frechet Inception Distance → FID); without an abbreviation, the capitalised words before.
 */
function englishNameBefore(before: string, abbreviation: string | undefined): string | undefined {
  const words = before
    .trimEnd()
    .split(/\s+/)
    .slice(-6)
    .map(w => w.replace(/^[^A-Za-z]+/, ''));
  if (abbreviation) {
    const want = abbreviation.replace(/[^A-Za-z]/g, '').toLowerCase();
    for (let n = 1; n <= words.length; n++) {
      const run = words.slice(-n);
      const initials = run.flatMap(w => w.split('-')).map(w => w[0]?.toLowerCase() ?? '').join('');
      if (initials === want) return run.join(' ');
    }
    return undefined;
  }
  const run: string[] = [];
  for (let i = words.length - 1; i >= 0 && /^[A-Z][\w-]*$/.test(words[i]); i--) run.unshift(words[i]);
  return run.length ? run.join(' ') : undefined;
}

function boldTerms(line: string, add: (t: string) => void): void {
  for (const m of line.matchAll(/(\*\*|__)(?=\S)([^*_\n]{1,60}?)(?<=\S)\1/g)) {
    const inner = m[2];
    if (GLOSS.test(inner)) {
      GLOSS.lastIndex = 0;
      continue; // its gloss was read by glossTerms
    }
    GLOSS.lastIndex = 0;
    const after = line.slice((m.index ?? 0) + m[0].length);
    // "**应用**：…" labels a paragraph; it is not a term.
    if (/^\s*[：:]/.test(after) || /[：:]$/.test(inner)) continue;
    if (/[，。；！？,;!?]/.test(inner) || inner.split(/\s+/).length > 5) continue;
    if (GENERIC_HEADINGS.has(inner.toLowerCase())) continue;
    add(inner);
  }
}

function headingTerms(line: string, add: (t: string) => void): void {
  const h = /^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
  if (!h) return;
  const text = h[1]
    .replace(/^(?:\d+[.)、]|[（(]\d+[）)]|[一二三四五六七八九十]+[、.])\s*/, '')
    .replace(/[*_`]/g, '')
    .replace(HEADING_SUFFIX, '')
    .trim();
  if (GLOSS.test(text)) {
    GLOSS.lastIndex = 0;
    return; // its gloss was read by glossTerms
  }
  GLOSS.lastIndex = 0;
  if (!text || GENERIC_HEADINGS.has(text.toLowerCase()) || /[，。；：！？,;:!?]/.test(text)) return;
  const han = text.match(new RegExp(`[${HAN}]`, 'g'))?.length ?? 0;
  const words = text.split(/\s+/).length;
  if (/[与和及]/.test(text)) return;
  if ((han > 0 && han <= 6 && words <= 2) || (han === 0 && words <= 4)) add(text);
}

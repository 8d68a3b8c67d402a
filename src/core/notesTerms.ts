import { NotesEnv, Token, parseNotesInline } from './notesMarkdown';

/**
 * The terms a notes entry defines, read from its prose only (code, math and images are never terms):
 * glosses 中文（English, ABBR）, bold terms and headings. Every rule looks at a bounded window, so a
 * term costs the same on a short line and a pasted megabyte.
 */

/** One gloss: the names a note gives one concept, the Chinese one directly before the parenthesis. */
export interface NotesGloss {
  zh?: string;
  en?: string;
  abbr?: string;
}

/** Lines longer than this are kept in the answer but not searched for terms (a pasted blob). */
const MAX_TERM_LINE = 4000;
/** A paragraph is searched for terms up to this many characters: terms are named early, not in a blob. */
const MAX_TERM_BLOCK = 64 * 1024;
/** How far before a gloss the term it glosses may start. */
const MAX_TERM_BEFORE = 64;
const MAX_TERM = 48;

const HAN_CHAR = /[\u3400-\u4dbf\u4e00-\u9fff]/;
const HAN_ALL = /[\u3400-\u4dbf\u4e00-\u9fff]/g;
/** A gloss in full-width or ASCII parentheses: （Evidence Lower Bound, ELBO） or (FID). */
const GLOSS = /[（(]([^（）()\n]{1,80})[）)]/g;
const HAS_GLOSS = /[（(][^（）()\n]{1,80}[）)]/;
/**
 * Function characters that end the words before a Chinese term: in "我们引入一个变分下界（…）" the term
 * starts after 个. Chinese has no spaces, so these particles, measure words and common verbs are the
 * cheapest reliable word boundary.
 */
const HAN_BOUNDARY = new Set('的了个是在和与及或将把对用为被让使从到等即称叫作由以其这那该各每');
/** Glosses that are asides, not names: （如…）, （即…）, （也称为…）, （因为…）, （通常…）. */
const ASIDE_START = /^(?:如|即|也|例如|比如|因为|由于|通常|一般|包括|见|参见|注|e\.g\.|i\.e\.|see |cf\.)/i;
const ABBREVIATION = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$|^[A-Z][a-z]?[A-Z][A-Za-z0-9]*$/;
const LATIN_NAME = /^[A-Za-z][A-Za-z0-9 \-'’./&+]*$/;
/** Headings that name a part of an answer rather than a concept. */
const GENERIC_HEADINGS = new Set(
  '总结 结论 小结 具体公式 公式 优势 挑战 应用 应用场景 策略 原理 解释 定义 示例 例子 参考 参考文献 概述 引言 背景 证明 问题 答案 回答 计算公式 summary conclusion overview introduction references example examples answer question proof'.split(' '),
);
/** "变分下界的定义" is about 变分下界: these endings are dropped from heading terms. */
const HEADING_SUFFIX = /(?:的定义|的证明|的比较|的特点|的目标|的原理|的应用|的计算)$/;

/** A term character before a gloss: Chinese with embedded Latin (KL散度, Kullback-Leibler散度). */
const isTermChar = (c: string) => /[A-Za-z0-9-]/.test(c) || HAN_CHAR.test(c);

interface Prose {
  /** The inline's text, code, math and images blanked to one space each, line breaks kept. */
  text: string;
  /** Bold spans of plain text: start and end offsets of their content in `text`. */
  bolds: { start: number; end: number }[];
  heading: boolean;
}

export function extractTerms(question: readonly Token[], answer: readonly Token[], env: NotesEnv): { terms: string[]; glosses: NotesGloss[] } {
  const terms: string[] = [];
  const seen = new Set<string>();
  const add = (raw: string): string | undefined => {
    const term = cleanTerm(raw);
    if (term.length < 2 || term.length > MAX_TERM) return undefined;
    if (!/[A-Za-z\u3400-\u9fff]/.test(term)) return undefined;
    const key = term.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      terms.push(term);
    }
    return term;
  };
  const glosses: NotesGloss[] = [];
  const questionProse = proseOfAll(question, env);
  const answerProse = proseOfAll(answer, env);
  // Glosses name a term most explicitly, so they come first: the first term titles the entry.
  for (const p of [...questionProse, ...answerProse]) for (const line of p.text.split('\n')) glossTerms(line, add, glosses);
  for (const p of answerProse) boldTerms(p, add);
  for (const p of answerProse) if (p.heading) headingTerm(p.text, add);
  return { terms, glosses };
}

function cleanTerm(raw: string): string {
  let a = 0;
  let b = raw.length;
  const lead = /[\s*_`"'“”‘’]/;
  const trail = /[\s*_`"'“”‘’:：,，.。;；]/;
  while (a < b && lead.test(raw[a])) a++;
  while (b > a && trail.test(raw[b - 1])) b--;
  return raw.slice(a, b).replace(/\s+/g, ' ');
}

function proseOfAll(tokens: readonly Token[], env: NotesEnv): Prose[] {
  const all: Prose[] = [];
  tokens.forEach((t, i) => {
    if (t.type !== 'inline') return;
    const heading = tokens[i - 1]?.type === 'heading_open';
    // Only a heading, a gloss or bold names a term: other paragraphs need no inline parse.
    if (heading || /[（(]|\*\*|__/.test(t.content)) all.push(proseOf(t.content, env, heading));
  });
  return all;
}

/** The prose of a paragraph or heading, parsed inline after its long lines are dropped. */
function proseOf(content: string, env: NotesEnv, heading: boolean): Prose {
  let source = content;
  if (source.length > MAX_TERM_LINE) {
    const kept: string[] = [];
    let size = 0;
    for (const line of source.split('\n')) {
      if (line.length > MAX_TERM_LINE) continue;
      size += line.length + 1;
      if (size > MAX_TERM_BLOCK) break;
      kept.push(line);
    }
    source = kept.join('\n');
  }
  let text = '';
  const bolds: Prose['bolds'] = [];
  const open: { start: number; plain: boolean }[] = [];
  const children = parseNotesInline(source, env);
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    switch (child.type) {
      case 'text':
      case 'text_special':
        text += child.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        text += '\n';
        open.forEach(o => (o.plain = false));
        break;
      case 'code_inline':
      case 'math_inline':
      case 'link_target':
        text += ' ';
        open.forEach(o => (o.plain = false));
        break;
      case 'strong_open':
        open.forEach(o => (o.plain = false));
        open.push({ start: text.length, plain: true });
        break;
      case 'strong_close': {
        const o = open.pop();
        if (o?.plain) bolds.push({ start: o.start, end: text.length });
        break;
      }
      default:
        // Emphasis or a link inside bold makes it more than a term; outside bold, its text still counts.
        open.forEach(o => (o.plain = false));
    }
  }
  return { text, bolds, heading };
}

function glossTerms(line: string, add: (t: string) => string | undefined, glosses: NotesGloss[]): void {
  if (line.length > MAX_TERM_LINE) return;
  for (const m of line.matchAll(GLOSS)) {
    const inside = m[1].trim();
    if (!inside || ASIDE_START.test(inside)) continue;
    const items = inside.split(/\s*[,，、;；]\s*/).filter(Boolean);
    const latinItems = items.every(i => LATIN_NAME.test(i));
    if (latinItems) {
      if (!items.every(i => /[A-Z]/.test(i))) continue;
    } else if (!(items.length === 1 && isShortHanTerm(inside))) continue;

    let end = m.index;
    for (let stars = 0; end > 0 && line[end - 1] === '*' && stars < 8; stars++) end--;
    let start = end;
    while (start > 0 && end - start < MAX_TERM_BEFORE && isTermChar(line[start - 1])) start--;
    const run = line.slice(start, end);
    let named: string | undefined;
    if (HAN_CHAR.test(run)) {
      let from = run.length;
      while (from > 0 && !HAN_BOUNDARY.has(run[from - 1])) from--;
      const term = run.slice(from);
      if ((term.match(HAN_ALL)?.length ?? 0) <= 8) named = add(term);
    } else {
      const before = line.slice(Math.max(0, end - 400), end);
      if (/[A-Za-z]\s*$/.test(before.slice(-MAX_TERM_BEFORE))) {
        const name = englishNameBefore(before, items.find(i => ABBREVIATION.test(i)));
        if (name) named = add(name);
        else if (!latinItems || !items.some(i => ABBREVIATION.test(i))) continue;
      } else if (!latinItems) continue;
    }
    const names = [named, ...items.map(add)].filter((n): n is string => !!n);
    if (names.length >= 2) mergeGloss(glosses, glossOf(names));
  }
}

/** Sorts a gloss's names into Chinese, English and abbreviation, each field taking the first that fits. */
function glossOf(names: readonly string[]): NotesGloss {
  const gloss: NotesGloss = {};
  for (const name of names) {
    if (HAN_CHAR.test(name)) {
      // A second Chinese name is the short form notes write for an abbreviation: Kullback-Leibler散度（KL散度）.
      if (!gloss.zh) gloss.zh = name;
      else gloss.abbr ??= name;
    } else if (ABBREVIATION.test(name)) gloss.abbr ??= name;
    else gloss.en ??= name;
  }
  return gloss;
}

/** A gloss repeated (in a heading and again in the text, or shortened) adds to the first, not a new pair. */
function mergeGloss(glosses: NotesGloss[], gloss: NotesGloss): void {
  const fields = ['zh', 'en', 'abbr'] as const;
  const same = (a?: string, b?: string) => !!a && !!b && a.toLowerCase() === b.toLowerCase();
  for (const g of glosses) {
    if (!fields.some(f => same(g[f], gloss[f]))) continue;
    if (fields.some(f => g[f] && gloss[f] && !same(g[f], gloss[f]))) continue;
    for (const f of fields) if (!g[f] && gloss[f]) g[f] = gloss[f];
    return;
  }
  glosses.push(gloss);
}

/**
 * A Chinese gloss names the term only in the mixed form notes use for abbreviations
 * (Kullback-Leibler散度（KL散度）); a purely Chinese one is usually a qualifier, as in （深度）自编码器.
 */
function isShortHanTerm(s: string): boolean {
  return s.length <= 10 && HAN_CHAR.test(s) && /[A-Za-z]/.test(s) && !/[，。；：！？\s的和与或]/.test(s);
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

function boldTerms(prose: Prose, add: (t: string) => unknown): void {
  for (const { start, end } of prose.bolds) {
    const inner = prose.text.slice(start, end);
    if (inner.length > 60 || /[*_\n]/.test(inner) || HAS_GLOSS.test(inner)) continue; // a gloss was read above
    // "**应用**：…" labels a paragraph; it is not a term.
    if (/^\s*[：:]/.test(prose.text.slice(end, end + 8)) || /[：:]$/.test(inner)) continue;
    if (/[，。；！？,;!?]/.test(inner) || inner.split(/\s+/).length > 5) continue;
    if (GENERIC_HEADINGS.has(inner.toLowerCase())) continue;
    add(inner);
  }
}

function headingTerm(heading: string, add: (t: string) => unknown): void {
  if (heading.length > 200 || heading.includes('\n')) return;
  const text = heading
    .trim()
    .replace(/^(?:\d+[.)、]|[（(]\d+[）)]|[一二三四五六七八九十]+[、.])\s*/, '')
    .replace(/[*_`]/g, '')
    .replace(HEADING_SUFFIX, '')
    .trim();
  if (HAS_GLOSS.test(text)) return; // its gloss was read by glossTerms
  if (!text || GENERIC_HEADINGS.has(text.toLowerCase()) || /[，。；：！？,;:!?]/.test(text)) return;
  const han = text.match(HAN_ALL)?.length ?? 0;
  const words = text.split(/\s+/).length;
  if (/[与和及]/.test(text)) return;
  if ((han > 0 && han <= 6 && words <= 2) || (han === 0 && words <= 4)) add(text);
}

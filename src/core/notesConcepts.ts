import type { Concept } from './concept';
import type { NotesEntry } from './importQaNotes';

const HAN = /[\u3400-\u9fff]/;
const SUMMARY_MAX = 200;

/**
 * Turns the entries of one notes file into concepts the matcher can return. Each entry with terms is
 * one concept; its id names the file and line, so the hover can link to the exact place.
 */
export function conceptsFromNotes(file: string, entries: readonly NotesEntry[]): Concept[] {
  return entries
    .filter(e => e.terms.length > 0)
    .map(e => {
      const han = e.terms.filter(t => HAN.test(t));
      const latin = e.terms.filter(t => !HAN.test(t));
      const abbr = latin.filter(t => /^[A-Z][A-Z0-9-]+$/.test(t));
      const summary = firstSentence(e.answer);
      return {
        id: `note:${file}:${e.line}`,
        title: titleOf(e),
        aliases: { en: latin.filter(t => !abbr.includes(t)), 'zh-cn': han, abbr },
        identifiers: [],
        // A single English word from someone's notes ("Chunking", "PCA") may name anything in code.
        ambiguous: latin.filter(t => !/\s/.test(t)),
        caseSensitive: [],
        summary: { en: summary, 'zh-cn': summary },
        formulas: firstDisplayFormula(e.answer),
        qa: { en: [{ question: e.question, answer: e.answer }], 'zh-cn': [{ question: e.question, answer: e.answer }] },
        related: [],
        references: [],
        snippets: [],
        source: { file, line: e.line },
      } satisfies Concept;
    });
}

/**
 * Both titles name one concept: the entry's first gloss, written 中文（English, ABBR）. Without a gloss
 * nothing says which English term goes with which Chinese one, so the first term titles both.
 */
function titleOf(e: NotesEntry): Concept['title'] {
  const g = e.glosses?.[0];
  if (!g) return { en: e.terms[0], 'zh-cn': e.terms[0] };
  const en = g.en ?? g.abbr ?? g.zh!;
  return { en, 'zh-cn': g.zh ?? en };
}

/** The answer's prose is read for a summary only this far: the first sentence is near the start. */
const SUMMARY_WINDOW = 1000;

/** The first sentence of an answer as plain text, for the hover's summary line. */
export function firstSentence(markdown: string): string {
  const text = proseStart(markdown)
    .replace(/!\[[^\]\n]*\]\([^)\n]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const end = text.search(/[。！？]|[.!?](\s|$)/);
  const sentence = end >= 0 ? text.slice(0, end + 1) : text;
  return sentence.length > SUMMARY_MAX ? `${sentence.slice(0, SUMMARY_MAX - 1)}…` : sentence;
}

/**
 * The answer's first lines of prose, up to SUMMARY_WINDOW characters: code fences, display math,
 * headings, quotes, tables and rules skipped line by line, so a long answer costs no more than a short one.
 */
function proseStart(markdown: string): string {
  const kept: string[] = [];
  let size = 0;
  let fence: string | undefined;
  let math = false;
  for (let from = 0; from < markdown.length && size < SUMMARY_WINDOW; ) {
    const nl = markdown.indexOf('\n', from);
    const to = nl < 0 ? markdown.length : nl;
    const line = markdown.slice(from, Math.min(to, from + SUMMARY_WINDOW));
    from = to + 1;
    const mark = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (mark && mark[0] === fence[0] && mark.length >= fence.length) fence = undefined;
      continue;
    }
    if (mark) {
      fence = mark;
      continue;
    }
    const displays = line.split('$$').length - 1;
    if (math || displays % 2) {
      if (displays % 2) math = !math;
      continue;
    }
    if (!line.trim() || /^ {0,3}(#|>|\||-{3,})/.test(line)) continue;
    kept.push(line.replace(/\$\$[^$]*\$\$/g, ' '));
    size += line.length + 1;
  }
  return kept.join(' ');
}

/** Longer than this, a note's formula is a pasted blob, not something a hover should typeset. */
const MAX_FORMULA = 2000;

function firstDisplayFormula(markdown: string): string[] {
  const m = /\$\$([\s\S]+?)\$\$/.exec(markdown);
  const formula = m?.[1].trim();
  return formula && formula.length <= MAX_FORMULA ? [formula] : [];
}

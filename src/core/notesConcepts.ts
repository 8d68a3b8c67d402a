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
        title: { en: latin.find(t => !abbr.includes(t)) ?? e.terms[0], 'zh-cn': han[0] ?? e.terms[0] },
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

/** The first sentence of an answer as plain text, for the hover's summary line. */
export function firstSentence(markdown: string): string {
  const text = markdown
    .replace(/^ {0,3}(`{3,}|~{3,})[\s\S]*?^ {0,3}\1/gm, ' ')
    .replace(/\$\$[\s\S]*?\$\$/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .split('\n')
    .filter(l => l.trim() && !/^ {0,3}(#|>|\||-{3,})/.test(l))
    .join(' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const end = text.search(/[。！？]|[.!?](\s|$)/);
  const sentence = end >= 0 ? text.slice(0, end + 1) : text;
  return sentence.length > SUMMARY_MAX ? `${sentence.slice(0, SUMMARY_MAX - 1)}…` : sentence;
}

function firstDisplayFormula(markdown: string): string[] {
  const m = /\$\$([\s\S]+?)\$\$/.exec(markdown);
  return m ? [m[1].trim()] : [];
}

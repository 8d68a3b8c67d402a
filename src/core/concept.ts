/** The shapes every layer shares: built-in concepts, concepts made from the user's notes, and matches. */

export const CONTENT_LANGUAGES = ['en', 'zh-cn'] as const;
export type ContentLanguage = (typeof CONTENT_LANGUAGES)[number];
export type Bilingual = Record<ContentLanguage, string>;

/** A group of concepts (tree view, walkthrough, panel index); the list is data: src/content/topics.yaml. */
export interface TopicInfo {
  id: string;
  title: Bilingual;
}

/**
 * A documented trap of a library call, shown first when the hovered term is one of `calls`
 * (`F.kl_div` → "input must be log-probabilities").
 */
export interface Pitfall {
  /** How the call is shown, e.g. `F.kl_div(input, target)`. */
  api: string;
  /** The call's names as code spells them after the last dot; each is a term of the concept. */
  calls: string[];
  text: Bilingual;
  /** Where the claim was verified (documentation page, warning text). */
  checked: string;
}

export interface QuestionAnswer {
  question: string;
  /** Markdown with $…$ / $$…$$ math. */
  answer: string;
}

/** Where a concept came from: the built-in base, or a line of a notes file. */
export type ConceptSource = 'builtin' | { file: string; line: number };

export interface Concept {
  id: string;
  /** A TopicInfo id; notes have none. */
  topic?: string;
  title: Bilingual;
  aliases: { en: string[]; 'zh-cn': string[]; abbr: string[] };
  identifiers: string[];
  /** Terms that also mean something outside ML; they need ML context to fire. */
  ambiguous: string[];
  /** Terms that match only in exactly this spelling (IS, not "is"). */
  caseSensitive: string[];
  summary: Bilingual;
  formulas: string[];
  qa: Record<ContentLanguage, QuestionAnswer[]>;
  related: string[];
  references: string[];
  snippets: string[];
  pitfalls?: Pitfall[];
  source: ConceptSource;
}

export function isBuiltin(concept: Concept): boolean {
  return concept.source === 'builtin';
}

/** Every term a concept can be found by: aliases of both languages, abbreviations and code identifiers. */
export function termsOf(concept: Concept): string[] {
  const terms = [...concept.aliases.en, ...concept.aliases['zh-cn'], ...concept.aliases.abbr, ...concept.identifiers];
  for (const p of concept.pitfalls ?? []) for (const call of p.calls) if (!terms.includes(call)) terms.push(call);
  return terms;
}

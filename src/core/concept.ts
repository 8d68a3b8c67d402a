/** The shapes every layer shares: built-in concepts, concepts made from the user's notes, and matches. */

export const CONTENT_LANGUAGES = ['en', 'zh-cn'] as const;
export type ContentLanguage = (typeof CONTENT_LANGUAGES)[number];
export type Bilingual = Record<ContentLanguage, string>;

export const TOPICS = [
  'clustering',
  'dimensionality-reduction',
  'variational-inference',
  'diffusion-evaluation',
  'long-context',
] as const;
export type Topic = (typeof TOPICS)[number];

export const TOPIC_TITLES: Record<Topic, Bilingual> = {
  clustering: { en: 'Clustering', 'zh-cn': '聚类' },
  'dimensionality-reduction': { en: 'Dimensionality reduction & autoencoders', 'zh-cn': '降维与自编码器' },
  'variational-inference': { en: 'Variational inference', 'zh-cn': '变分推断' },
  'diffusion-evaluation': { en: 'Diffusion & generative evaluation', 'zh-cn': '扩散模型与生成评估' },
  'long-context': { en: 'Long context', 'zh-cn': '长上下文' },
};

export interface QuestionAnswer {
  question: string;
  /** Markdown with $…$ / $$…$$ math. */
  answer: string;
}

/** Where a concept came from: the built-in base, or a line of a notes file. */
export type ConceptSource = 'builtin' | { file: string; line: number };

export interface Concept {
  id: string;
  topic?: Topic;
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
  source: ConceptSource;
}

export function isBuiltin(concept: Concept): boolean {
  return concept.source === 'builtin';
}

/** Every term a concept can be found by: aliases of both languages, abbreviations and code identifiers. */
export function termsOf(concept: Concept): string[] {
  return [...concept.aliases.en, ...concept.aliases['zh-cn'], ...concept.aliases.abbr, ...concept.identifiers];
}

import type { Concept, TopicInfo } from './concept';
import type { Sense } from './senses';

/** What the build writes to dist/kb.json and every runtime (extension, CLI, tests, bench) reads. */
export interface KnowledgeBaseData {
  /** In display order (src/content/topics.yaml). */
  topics: TopicInfo[];
  concepts: Concept[];
  /** Words with several meanings and the cues that tell them apart (src/content/senses.yaml). */
  senses: Sense[];
}

/**
 * Where the build puts the hover images of a topic's concepts: `{ [conceptId]: svg }`, each the
 * concept's first formula drawn in `currentColor` (see formulaForTheme). One file per topic, read on
 * the first hover that needs it: loading the base parses no glyph paths, and the glyphs that formulas
 * of a topic share compress together in the package.
 */
export function formulaPackPath(topic: string): string[] {
  return ['dist', 'formulas', `${topic}.json`];
}

export function parseKnowledgeBase(json: string): KnowledgeBaseData {
  const data = JSON.parse(json) as KnowledgeBaseData;
  if (!Array.isArray(data.topics) || !Array.isArray(data.senses) || !Array.isArray(data.concepts))
    throw new Error('knowledge base file is malformed; rebuild with `npm run build`');
  return data;
}

/**
 * Text colours of VS Code's default light, dark and high-contrast themes (their `foreground`), so a
 * formula reads like the hover's text: an image cannot inherit the colour.
 */
export const FORMULA_INK = { light: '#1f1f1f', dark: '#cccccc', hcDark: '#ffffff', hcLight: '#292929' } as const;

export type FormulaTheme = keyof typeof FORMULA_INK;

/**
 * A hover image cannot inherit the text colour, so the one stored SVG is inked for the theme kind
 * when the hover is built.
 */
export function formulaForTheme(svg: string, theme: FormulaTheme): string {
  return svg.replaceAll('currentColor', FORMULA_INK[theme]);
}

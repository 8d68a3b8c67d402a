import type { Concept, ContentLanguage } from './concept';
import type { ConceptMatch } from './findConceptAt';
import { pitfallFor } from './pitfallFor';

/** A position as people and `kb explain` count it: 1-based line and column (UTF-16 code units). */
export interface LineCol {
  line: number;
  col: number;
}

/** What the hover shows at a position, as `kb explain` prints it. */
export interface Explanation {
  id: string;
  title: Record<ContentLanguage, string>;
  summary: Record<ContentLanguage, string>;
  term: string;
  /** The matched term; end is exclusive. */
  range: { start: LineCol; end: LineCol };
  source: string;
  formula: string | null;
  related: string[];
  snippets: string[];
  /** The documented trap of the hovered call (`kl_div`), or null. */
  pitfall: { api: string; text: Record<ContentLanguage, string>; checked: string } | null;
  /** The user's notes that define the same term. */
  notes: { id: string; source: string; question: string }[];
}

export function sourceLabel(concept: Concept): string {
  return concept.source === 'builtin' ? 'builtin' : `${concept.source.file}:${concept.source.line}`;
}

/** Turns a match on 0-based line `line` into the explanation the hover and `kb explain` share. */
export function explainMatch(match: ConceptMatch, line: number): Explanation {
  const [main, ...rest] = match.concepts;
  const notes = rest.filter(c => c.source !== 'builtin');
  const pitfall = pitfallFor(main, match.text);
  return {
    id: main.id,
    title: main.title,
    summary: main.summary,
    term: match.text,
    range: { start: { line: line + 1, col: match.start + 1 }, end: { line: line + 1, col: match.end + 1 } },
    source: sourceLabel(main),
    formula: main.formulas[0] ?? null,
    related: main.related,
    snippets: main.snippets,
    pitfall: pitfall ? { api: pitfall.api, text: pitfall.text, checked: pitfall.checked } : null,
    notes: notes.map(n => ({ id: n.id, source: sourceLabel(n), question: n.qa.en[0]?.question ?? '' })),
  };
}

import { Concept, isBuiltin, termsOf } from './concept';
import { foldKey, termKey } from './wordTokens';

/** One indexed term. Several concepts can share it: a built-in one and the user's notes. */
export interface IndexEntry {
  conceptIds: string[];
  /** The term's word keys (`chunk`, `size`), for the context rules in documentContext. */
  words: string[];
  ambiguous: boolean;
  /** Set for case-sensitive terms: the exact letters the text must show (IS, not is). */
  exact?: string;
}

/**
 * Every term of every concept, keyed by its folded token string. Built once; a lookup walks only the
 * few tokens around the cursor (at most maxTokens² key lookups), never the knowledge base or the document.
 */
export interface ConceptIndex {
  concepts: ReadonlyMap<string, Concept>;
  entries: ReadonlyMap<string, IndexEntry>;
  /** The most tokens any term has: how far back from the cursor a match can start. */
  maxTokens: number;
  /** The longest term in characters: how much of a line around the cursor can matter. */
  maxTermLength: number;
}

export function buildConceptIndex(concepts: readonly Concept[]): ConceptIndex {
  const byId = new Map<string, Concept>();
  const entries = new Map<string, IndexEntry>();
  let maxTokens = 1;
  let maxTermLength = 1;
  // Built-in concepts first, so a shared term lists the built-in concept before the user's note.
  const ordered = [...concepts.filter(isBuiltin), ...concepts.filter(c => !isBuiltin(c))];
  for (const concept of ordered) {
    byId.set(concept.id, concept);
    // Most concepts (every note) have no ambiguous or case-sensitive terms: allocate nothing for them.
    const ambiguous = concept.ambiguous.length ? new Set(concept.ambiguous.map(foldKey)) : undefined;
    const exact = concept.caseSensitive.length ? new Set(concept.caseSensitive) : undefined;
    for (const term of termsOf(concept)) {
      const parsed = termKey(term);
      if (!parsed) continue;
      const { key, words } = parsed;
      let entry = entries.get(key);
      if (!entry) {
        entry = { conceptIds: [], words, ambiguous: false };
        entries.set(key, entry);
        maxTokens = Math.max(maxTokens, words.length);
      }
      maxTermLength = Math.max(maxTermLength, term.length);
      // Concepts are added one at a time, so a repeat can only be the last id: no O(n) scan of a term
      // that thousands of notes share (a heading such as "推导" in every file).
      if (entry.conceptIds[entry.conceptIds.length - 1] !== concept.id) entry.conceptIds.push(concept.id);
      if (ambiguous?.has(foldKey(term))) entry.ambiguous = true;
      if (exact?.has(term)) entry.exact = term.replace(/[\s_-]/g, '');
    }
  }
  return { concepts: byId, entries, maxTokens, maxTermLength };
}

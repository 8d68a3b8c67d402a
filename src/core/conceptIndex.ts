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
 * few tokens around the cursor (prefixes prune the walk), never the knowledge base or the document.
 */
export interface ConceptIndex {
  concepts: ReadonlyMap<string, Concept>;
  entries: ReadonlyMap<string, IndexEntry>;
  /** Every prefix of every key, so a walk stops as soon as no term can follow. */
  prefixes: ReadonlySet<string>;
  /** The most tokens any term has: how far back from the cursor a match can start. */
  maxTokens: number;
}

export function buildConceptIndex(concepts: readonly Concept[]): ConceptIndex {
  const byId = new Map<string, Concept>();
  const entries = new Map<string, IndexEntry>();
  const prefixes = new Set<string>();
  let maxTokens = 1;
  // Built-in concepts first, so a shared term lists the built-in concept before the user's note.
  const ordered = [...concepts.filter(isBuiltin), ...concepts.filter(c => !isBuiltin(c))];
  for (const concept of ordered) {
    byId.set(concept.id, concept);
    const ambiguous = new Set(concept.ambiguous.map(foldKey));
    const exact = new Set(concept.caseSensitive);
    for (const term of new Set(termsOf(concept))) {
      const parsed = termKey(term);
      if (!parsed) continue;
      const { key, words } = parsed;
      let entry = entries.get(key);
      if (!entry) {
        entry = { conceptIds: [], words, ambiguous: false };
        entries.set(key, entry);
        for (let n = 1; n <= key.length; n++) prefixes.add(key.slice(0, n));
        maxTokens = Math.max(maxTokens, words.length);
      }
      if (!entry.conceptIds.includes(concept.id)) entry.conceptIds.push(concept.id);
      if (ambiguous.has(foldKey(term))) entry.ambiguous = true;
      if (exact.has(term)) entry.exact = term.replace(/[\s_-]/g, '');
    }
  }
  return { concepts: byId, entries, prefixes, maxTokens };
}

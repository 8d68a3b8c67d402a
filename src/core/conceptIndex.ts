import { Concept, isBuiltin, termsOf } from './concept';
import { Sense, senseApplies } from './senses';
import { foldKey, termKey } from './wordTokens';

/** One indexed term. Several concepts can share it: a built-in one and the user's notes. */
export interface IndexEntry {
  conceptIds: string[];
  /** The term's word keys (`chunk`, `size`), for the context rules in documentContext. */
  words: string[];
  ambiguous: boolean;
  /** Set for case-sensitive terms: the exact letters the text must show (IS, not is). */
  exact?: string;
  /** The senses (src/content/senses.yaml) whose word the term contains: cues that decide per occurrence. */
  senses?: Sense[];
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

/**
 * The plural of a prose phrase's last word ("beta schedule" → "beta schedules"), so that people's
 * plurals find the singular alias; irregular plurals are listed as aliases in the content.
 */
export function pluralOf(phrase: string): string | undefined {
  const m = /([A-Za-z]{3,})$/.exec(phrase);
  if (!m || /[A-Z]{2}/.test(m[1])) return undefined;
  const w = m[1];
  const head = phrase.slice(0, phrase.length - w.length);
  if (/(?:s|x|z|ch|sh)$/i.test(w)) return /(?:ss|x|z|ch|sh)$/i.test(w) ? `${head}${w}es` : undefined;
  if (/[^aeiou]y$/i.test(w)) return `${head}${w.slice(0, -1)}ies`;
  return `${head}${w}s`;
}

export function buildConceptIndex(concepts: readonly Concept[], senses: readonly Sense[] = []): ConceptIndex {
  const byId = new Map<string, Concept>();
  const entries = new Map<string, IndexEntry>();
  let maxTokens = 1;
  let maxTermLength = 1;
  const add = (concept: Concept, term: string, ambiguous: boolean, exact: boolean, onlyIfNew: boolean) => {
    const parsed = termKey(term);
    if (!parsed) return;
    const { key, words } = parsed;
    let entry = entries.get(key);
    if (entry && onlyIfNew) return;
    if (!entry) {
      entry = { conceptIds: [], words, ambiguous: false };
      const applying = senses.filter(s => senseApplies(s, words));
      if (applying.length) entry.senses = applying;
      entries.set(key, entry);
      maxTokens = Math.max(maxTokens, words.length);
    }
    maxTermLength = Math.max(maxTermLength, term.length);
    // Concepts are added one at a time, so a repeat can only be the last id: no O(n) scan of a term
    // that thousands of notes share (a heading such as "推导" in every file).
    if (entry.conceptIds[entry.conceptIds.length - 1] !== concept.id) entry.conceptIds.push(concept.id);
    if (ambiguous) entry.ambiguous = true;
    if (exact) entry.exact = term.replace(/[\s_-]/g, '');
  };
  const plurals: [Concept, string, boolean][] = [];
  // Built-in concepts first, so a shared term lists the built-in concept before the user's note.
  const ordered = [...concepts.filter(isBuiltin), ...concepts.filter(c => !isBuiltin(c))];
  for (const concept of ordered) {
    byId.set(concept.id, concept);
    // Most concepts (every note) have no ambiguous or case-sensitive terms: allocate nothing for them.
    const ambiguous = concept.ambiguous.length ? new Set(concept.ambiguous.map(foldKey)) : undefined;
    const exact = concept.caseSensitive.length ? new Set(concept.caseSensitive) : undefined;
    for (const term of termsOf(concept)) add(concept, term, !!ambiguous?.has(foldKey(term)), !!exact?.has(term), false);
    if (isBuiltin(concept))
      for (const alias of concept.aliases.en) {
        const plural = pluralOf(alias);
        if (plural) plurals.push([concept, plural, !!ambiguous?.has(foldKey(alias))]);
      }
  }
  // Plurals only where no concept has the spelling as a term of its own.
  for (const [concept, plural, ambiguous] of plurals) add(concept, plural, ambiguous, false, true);
  return { concepts: byId, entries, maxTokens, maxTermLength };
}

import { Concept, isBuiltin, termsOf } from './concept';
import { Sense, senseApplies, sharedConcepts } from './senses';
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
  /** A built-in prose alias ("noise schedule"): its plural matches too. */
  plural?: true;
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
 * The keys a plural word run can be the plural of ("beta schedules" → "beta schedule",
 * "hierarchies" → "hierarchy", "losses" → "loss"): tried only where the plural itself is no term, and
 * only for prose aliases, so people's plurals find the singular without indexing every plural.
 */
export function singularKeys(key: string): string[] {
  if (key.length < 4 || !key.endsWith('s')) return [];
  const out: string[] = [];
  if (key.endsWith('ies')) out.push(`${key.slice(0, -3)}y`);
  if (/(?:ss|x|z|ch|sh)es$/.test(key)) out.push(key.slice(0, -2));
  if (!key.endsWith('ss')) out.push(key.slice(0, -1));
  return out;
}

export function buildConceptIndex(concepts: readonly Concept[], senses: readonly Sense[] = []): ConceptIndex {
  const byId = new Map<string, Concept>();
  const entries = new Map<string, IndexEntry>();
  let maxTokens = 1;
  let maxTermLength = 1;
  const add = (concept: Concept, term: string, ambiguous: boolean, exact: boolean, prose: boolean) => {
    const parsed = termKey(term);
    if (!parsed) return;
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
    if (ambiguous) entry.ambiguous = true;
    if (exact) entry.exact = term.replace(/[\s_-]/g, '');
    if (prose) entry.plural = true;
  };
  // Built-in concepts first, so a shared term lists the built-in concept before the user's note.
  const ordered = [...concepts.filter(isBuiltin), ...concepts.filter(c => !isBuiltin(c))];
  for (const concept of ordered) {
    byId.set(concept.id, concept);
    // Most concepts (every note) have no ambiguous or case-sensitive terms: allocate nothing for them.
    const ambiguous = concept.ambiguous.length ? new Set(concept.ambiguous.map(foldKey)) : undefined;
    const exact = concept.caseSensitive.length ? new Set(concept.caseSensitive) : undefined;
    const builtin = isBuiltin(concept);
    for (const term of termsOf(concept))
      add(concept, term, !!ambiguous?.has(foldKey(term)), !!exact?.has(term), builtin && concept.aliases.en.includes(term));
  }
  preferNotesThatNameTheTerm(entries, byId);
  // A sense rules the terms of the concepts it is about: those it names, or those that own its word.
  const owners = senses.map(s => {
    const ids = new Set(sharedConcepts(s));
    for (const words of s.terms) for (const id of entries.get(words.join(''))?.conceptIds ?? []) ids.add(id);
    return [...ids];
  });
  // Only senses whose first word the entry has can apply: one Map lookup per word, not per sense.
  const byFirstWord = new Map<string, number[]>();
  senses.forEach((s, i) => {
    for (const words of s.terms) {
      const list = byFirstWord.get(words[0]) ?? [];
      if (!list.includes(i)) list.push(i);
      byFirstWord.set(words[0], list);
    }
  });
  for (const entry of entries.values()) {
    let applying: Sense[] | undefined;
    for (const word of entry.words)
      for (const i of byFirstWord.get(word) ?? [])
        if (!applying?.includes(senses[i]) && senseApplies(senses[i], entry.words, entry.conceptIds, owners[i])) (applying ??= []).push(senses[i]);
    if (applying) entry.senses = applying;
  }
  return { concepts: byId, entries, maxTokens, maxTermLength };
}

/**
 * The keys a concept is named by: each part of its titles ("Denoising diffusion probabilistic model",
 * "DDPM"), the abbreviations its titles show, its first alias and identifier.
 */
function primaryKeys(concept: Concept): Set<string> {
  const titles = [concept.title.en, concept.title['zh-cn']];
  const names = [
    ...titles.flatMap(t => t.split(/\s*[（()）,，、]\s*/)),
    ...concept.aliases.abbr.filter(a => titles.some(t => t.includes(a))),
    concept.aliases.en[0],
    concept.aliases['zh-cn'][0],
    concept.identifiers[0],
  ];
  return new Set(names.filter((n): n is string => !!n).map(n => termKey(n)?.key ?? ''));
}

/**
 * A built-in concept comes before a note on a shared term — unless the note is named by that term
 * (its title or abbreviation), the built-in concept has it only as a secondary alias, and the note
 * does not also use one of the built-in concept's own names: then the note is about something else
 * (a note on DDIM where the base filed DDIM under DDPM) and is the best match; the hover lists the
 * built-in concept under it.
 */
function preferNotesThatNameTheTerm(entries: Map<string, IndexEntry>, byId: ReadonlyMap<string, Concept>): void {
  const primary = new Map<string, Set<string>>();
  const keysOf = (c: Concept) => {
    let keys = primary.get(c.id);
    if (!keys) primary.set(c.id, (keys = primaryKeys(c)));
    return keys;
  };
  for (const [key, entry] of entries) {
    if (entry.conceptIds.length < 2) continue;
    const concepts = entry.conceptIds.map(id => byId.get(id)!);
    const builtins = concepts.filter(isBuiltin);
    const notes = concepts.filter(c => !isBuiltin(c));
    if (!builtins.length || !notes.length || builtins.some(c => keysOf(c).has(key))) continue;
    // A note that also names the built-in concept by one of its own names (ELBO) is about that concept.
    const builtinNames = new Set(builtins.flatMap(c => [...keysOf(c)]));
    // A note's terms all come from its gloss (中文（English, ABBR）): each names it.
    const naming = notes.filter(c => {
      const keys = termsOf(c).map(t => termKey(t)?.key ?? '');
      return keys.includes(key) && !keys.some(k => builtinNames.has(k));
    });
    if (naming.length) entry.conceptIds = [...naming, ...builtins, ...notes.filter(c => !naming.includes(c))].map(c => c.id);
  }
}

import { Concept, CONTENT_LANGUAGES, isBuiltin, termsOf } from './concept';
import { termKey } from './wordTokens';

export interface SearchHit {
  concept: Concept;
  score: number;
  /** The text that matched, for showing why a result is there. */
  matched: string;
}

interface SearchField {
  text: string;
  compact: string;
  weight: number;
}

/** Folds "K-Means++", "k_means" and "kmeans" to one comparable string; Chinese stays as it is. */
function compact(text: string): string {
  return termKey(text)?.key ?? text.toLowerCase().replace(/[\s_\-.,:;!?'"()（）]/g, '');
}

const fieldCache = new WeakMap<Concept, SearchField[]>();

function fieldsOf(concept: Concept): SearchField[] {
  let fields = fieldCache.get(concept);
  if (fields) return fields;
  fields = [];
  for (const lang of CONTENT_LANGUAGES) fields.push({ text: concept.title[lang], compact: compact(concept.title[lang]), weight: 1 });
  for (const term of termsOf(concept)) fields.push({ text: term, compact: compact(term), weight: 1 });
  for (const lang of CONTENT_LANGUAGES)
    for (const qa of concept.qa[lang]) fields.push({ text: qa.question, compact: compact(qa.question), weight: 0.5 });
  fieldCache.set(concept, fields);
  return fields;
}

/** Characters of `query` appear in `text` in order; denser runs score higher (0..1). */
function subsequenceScore(query: string, text: string): number {
  let at = -1;
  let gaps = 0;
  for (const ch of query) {
    const next = text.indexOf(ch, at + 1);
    if (next < 0) return 0;
    if (at >= 0) gaps += next - at - 1;
    at = next;
  }
  return query.length / (query.length + gaps);
}

function scoreField(query: string, field: SearchField): number {
  const f = field.compact;
  if (!f) return 0;
  if (f === query) return 100 * field.weight;
  if (f.startsWith(query)) return (80 + 10 * (query.length / f.length)) * field.weight;
  if (f.includes(query)) return (60 + 10 * (query.length / f.length)) * field.weight;
  if (query.length >= 3 && f.length <= 64) {
    const s = subsequenceScore(query, f);
    if (s >= 0.5) return 20 * s * field.weight;
  }
  return 0;
}

/**
 * Free-text search over titles (en/zh), aliases, identifiers and question text, as the palette and the
 * panel's search box use it. Exact > prefix > substring > in-order fuzzy match.
 */
export function searchConcepts(concepts: Iterable<Concept>, query: string, limit = 20): SearchHit[] {
  const q = compact(query.trim());
  if (!q) return [];
  const hits: SearchHit[] = [];
  for (const concept of concepts) {
    let best = 0;
    let matched = '';
    for (const field of fieldsOf(concept)) {
      const s = scoreField(q, field);
      if (s > best) {
        best = s;
        matched = field.text;
      }
    }
    if (best > 0) hits.push({ concept, score: best, matched });
  }
  // On a tie the built-in concept comes first: a note that names the same term is the user's summary of
  // it, and the built-in page shows that note too.
  const rank = (c: Concept) => (isBuiltin(c) ? 0 : 1);
  hits.sort((a, b) => b.score - a.score || rank(a.concept) - rank(b.concept) || a.concept.id.localeCompare(b.concept.id));
  return hits.slice(0, limit);
}

/** The one concept a free-text term names (`kb lookup`), or undefined when nothing matches well. */
export function lookupConcept(concepts: Iterable<Concept>, term: string): Concept | undefined {
  const [best] = searchConcepts(concepts, term, 1);
  return best && best.score >= 55 ? best.concept : undefined;
}

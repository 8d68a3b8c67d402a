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
  // A title or abbreviation names the concept; an alias or identifier may be a part or a variant.
  for (const lang of CONTENT_LANGUAGES) {
    const title = concept.title[lang];
    fields.push({ text: title, compact: compact(title), weight: 1 });
    // "Adam 算法", "Softmax & log-softmax": the title's head alone is a name too.
    const head = title.split(/\s*[（(&,，、:：]|\s+(?:and|vs)\s+/)[0];
    if (head && head !== title) fields.push({ text: title, compact: compact(head), weight: 1 });
  }
  for (const abbr of concept.aliases.abbr) fields.push({ text: abbr, compact: compact(abbr), weight: 1 });
  for (const term of termsOf(concept)) fields.push({ text: term, compact: compact(term), weight: 0.95 });
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
  // A misspelling ("softmx", "learnig rate"): close to the field, or to its start of the same length.
  if (query.length >= 4) {
    const allowed = query.length >= 8 ? 2 : 1;
    const whole = Math.abs(f.length - query.length) <= allowed ? editDistance(query, f, allowed) : allowed + 1;
    const start = f.length > query.length ? editDistance(query, f.slice(0, query.length), allowed) : allowed + 1;
    const d = Math.min(whole, start + 0.5);
    if (d <= allowed) return (whole <= allowed ? 55 : 50) - 10 * d * field.weight;
  }
  if (query.length >= 3 && f.length <= 64) {
    const s = subsequenceScore(query, f);
    if (s >= 0.5) return 20 * s * field.weight;
  }
  return 0;
}

/** Optimal-string-alignment distance (swaps count once), giving up past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      row.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
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
    // A note that names a term the base also has is the user's summary of it: the built-in page
    // (which shows the note too) comes first unless the note matches clearly better.
    if (!isBuiltin(concept)) best *= 0.9;
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
  // 40: exact, prefix, substring and one-or-two-letter misspellings; never an in-order fuzzy guess.
  return best && best.score >= 40 ? best.concept : undefined;
}

import { isMap, isSeq, parseDocument } from 'yaml';
import type { ContentProblem } from './conceptSchema';
import { SHAPE } from './occurrenceEvidence';
import { termKey } from './wordTokens';

/**
 * What an occurrence shows about its meaning. Each list holds word keys (`read`, `adamw`,
 * `configureoptimizers`): single words of the text around the occurrence, or whole identifiers.
 */
export interface Cues {
  /** Words of the line, the identifier itself, the enclosing calls and definition, the comment. */
  words: string[];
  /** Words of how the identifier is bound and used anywhere in the document (`fid = open(…)`, `fid.read`). */
  uses: string[];
  /** Imported modules that give this meaning away for the whole file. */
  imports: string[];
}

/**
 * A word with more than one meaning (src/content/senses.yaml): the cues of its non-ML meaning, and of
 * each concept that claims it. It applies to every term containing the word (`fid` also rules
 * `fid_score`; `chunk` rules `chunk_size`).
 */
export interface Sense {
  /** The word (or words, `[chunk, chunks]`) as written, and the index words of each. */
  term: string;
  terms: string[][];
  why: string;
  other?: Cues;
  /** Concept id → cues for that meaning; '*' stands for the concept the term belongs to. */
  concepts: Record<string, Cues>;
}

const EMPTY: Cues = { words: [], uses: [], imports: [] };

/**
 * Parses src/content/senses.yaml. Problems carry the entry's line; the build fails on any of them.
 * Known concept ids are checked when given.
 */
export function parseSensesFile(file: string, text: string, conceptIds?: ReadonlySet<string>): { senses: Sense[]; problems: ContentProblem[] } {
  const problems: ContentProblem[] = [];
  const doc = parseDocument(text, { prettyErrors: false });
  const lineOf = (offset: number) => 1 + (text.slice(0, offset).match(/\n/g)?.length ?? 0);
  for (const e of doc.errors) problems.push({ file, line: lineOf(e.pos[0]), message: `YAML: ${e.message.split('\n')[0]}` });
  const senses: Sense[] = [];
  if (!isSeq(doc.contents)) {
    if (!doc.errors.length) problems.push({ file, line: 1, message: 'expected a list of senses' });
    return { senses, problems };
  }
  for (const item of doc.contents.items) {
    const line = lineOf((item as { range?: number[] }).range?.[0] ?? 0);
    const fail = (message: string) => problems.push({ file, line, message });
    const v = (isMap(item) ? item.toJSON() : {}) as Record<string, unknown>;
    const spellings = (Array.isArray(v.term) ? v.term : [v.term]).filter((t): t is string => typeof t === 'string');
    const parsed = spellings.map(t => termKey(t));
    if (!spellings.length || parsed.some(p => !p)) {
      fail('a sense needs a term (a word, or a list of words)');
      continue;
    }
    if (typeof v.why !== 'string' || !v.why.trim()) fail(`${v.term}: say why (one line)`);
    const cues = (raw: unknown, where: string): Cues => {
      if (raw === undefined) return EMPTY;
      const r = (raw ?? {}) as Record<string, unknown>;
      for (const k of Object.keys(r)) if (!['words', 'uses', 'imports'].includes(k)) fail(`${v.term}.${where}: unknown key ${k}`);
      const list = (k: 'words' | 'uses' | 'imports') => {
        const l = r[k] ?? [];
        if (!Array.isArray(l) || !l.every(x => typeof x === 'string' && x.trim())) {
          fail(`${v.term}.${where}.${k}: expected a list of words`);
          return [];
        }
        if (k === 'imports') return l.map(x => x.toLowerCase());
        return l.map(x => {
          if (x.startsWith('@')) {
            if (!(Object.values(SHAPE) as string[]).includes(x)) fail(`${v.term}.${where}.${k}: unknown shape ${x}`);
            return x;
          }
          const key = termKey(x)?.key;
          if (!key) fail(`${v.term}.${where}.${k}: "${x}" has no word in it`);
          return key ?? '';
        });
      };
      return { words: list('words'), uses: list('uses'), imports: list('imports') };
    };
    const concepts: Record<string, Cues> = {};
    const rawConcepts = (v.concepts ?? {}) as Record<string, unknown>;
    for (const [id, c] of Object.entries(rawConcepts)) {
      if (id !== '*' && conceptIds && !conceptIds.has(id)) fail(`${v.term}: "${id}" is not a concept id`);
      concepts[id] = cues(c, id);
    }
    if (v.ml !== undefined) concepts['*'] = cues(v.ml, 'ml');
    senses.push({
      term: spellings.join('/'),
      terms: parsed.map(p => p!.words),
      why: String(v.why ?? ''),
      other: v.other === undefined ? undefined : cues(v.other, 'other'),
      concepts,
    });
  }
  return { senses, problems };
}

/** The concepts a sense lets share its term (two or more named, besides '*'). */
export function sharedConcepts(sense: Sense): string[] {
  return Object.keys(sense.concepts).filter(id => id !== '*');
}

/**
 * Whether a sense rules an index entry: the entry's words contain the sense's words as a run, and the
 * entry belongs to one of the sense's `owners` — the concepts it names or that own its word — when
 * there are any (`clip` rules CLIP's and PPO's terms, not gradient clipping's `clip_grad_norm_`;
 * `padding` rules convolution padding, not the tokenizer's `padding_side`).
 */
export function senseApplies(sense: Sense, words: readonly string[], conceptIds: readonly string[] = [], owners: readonly string[] = sharedConcepts(sense)): boolean {
  if (owners.length && !conceptIds.some(id => owners.includes(id))) return false;
  return sense.terms.some(t => containsRun(words, t));
}

function containsRun(words: readonly string[], run: readonly string[]): boolean {
  const n = run.length;
  for (let i = 0; i + n <= words.length; i++) {
    let all = true;
    for (let j = 0; j < n && all; j++) all = words[i + j] === run[j];
    if (all) return true;
  }
  return false;
}

/** The evidence of one occurrence, as word-key sets (see occurrenceEvidence). */
export interface Evidence {
  words: ReadonlySet<string>;
  uses: ReadonlySet<string>;
  imports: ReadonlySet<string>;
}

/** How many distinct cues the evidence shows: words and uses count one each, an import one in all. */
export function cueScore(cues: Cues | undefined, evidence: Evidence): number {
  if (!cues) return 0;
  let score = 0;
  for (const w of cues.words) if (evidence.words.has(w)) score++;
  for (const u of cues.uses) if (evidence.uses.has(u)) score++;
  if (cues.imports.some(m => evidence.imports.has(m))) score++;
  return score;
}

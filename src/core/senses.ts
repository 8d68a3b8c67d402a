
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

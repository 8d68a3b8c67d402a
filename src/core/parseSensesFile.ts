import { isMap, isSeq, parseDocument } from 'yaml';
import type { ContentProblem } from './conceptSchema';
import { SHAPE } from './occurrenceEvidence';
import type { Cues, Sense } from './senses';
import { termKey } from './wordTokens';

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


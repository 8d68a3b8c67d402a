import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Concept, TopicInfo } from '../core/concept';
import { parseSensesFile } from '../core/parseSensesFile';
import { Sense, sharedConcepts } from '../core/senses';
import { ContentProblem, checkConceptSet, parseConceptFile, parseTopicsFile } from '../core/conceptSchema';

export const CONCEPTS_DIR = join('src', 'content', 'concepts');
export const TOPICS_FILE = join('src', 'content', 'topics.yaml');
export const SENSES_FILE = join('src', 'content', 'senses.yaml');
export const SNIPPET_INDEX = join('snippets', 'index.json');

/** Reads and validates every concept file under `root`; the build and the schema tests share this. */
export function loadConceptSources(root: string): { concepts: Concept[]; topics: TopicInfo[]; senses: Sense[]; problems: ContentProblem[] } {
  const dir = join(root, CONCEPTS_DIR);
  const concepts: Concept[] = [];
  const { topics, problems } = parseTopicsFile(TOPICS_FILE, readFileSync(join(root, TOPICS_FILE), 'utf8'));
  const topicIds = new Set(topics.map(t => t.id));
  for (const name of readdirSync(dir).filter(n => n.endsWith('.md')).sort()) {
    const file = join(CONCEPTS_DIR, name);
    const parsed = parseConceptFile(file, readFileSync(join(dir, name), 'utf8'), topicIds);
    problems.push(...parsed.problems);
    if (parsed.concept) concepts.push(parsed.concept);
  }
  const snippetIndex = join(root, SNIPPET_INDEX);
  const snippetIds = existsSync(snippetIndex)
    ? new Set((JSON.parse(readFileSync(snippetIndex, 'utf8')) as { id: string }[]).map(s => s.id))
    : undefined;
  const parsedSenses = existsSync(join(root, SENSES_FILE))
    ? parseSensesFile(SENSES_FILE, readFileSync(join(root, SENSES_FILE), 'utf8'), new Set(concepts.map(c => c.id)))
    : { senses: [], problems: [] };
  problems.push(...parsedSenses.problems);
  const shared = new Map<string, Set<string>>();
  for (const sense of parsedSenses.senses) {
    const ids = sharedConcepts(sense);
    if (ids.length > 1) for (const words of sense.terms) shared.set(words.join(''), new Set(ids));
  }
  problems.push(...checkConceptSet(concepts, snippetIds, id => join(CONCEPTS_DIR, `${id}.md`), shared));
  return { concepts, topics, senses: parsedSenses.senses, problems };
}

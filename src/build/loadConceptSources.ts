import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Concept } from '../core/concept';
import { ContentProblem, checkConceptSet, parseConceptFile } from '../core/conceptSchema';

export const CONCEPTS_DIR = join('src', 'content', 'concepts');
export const SNIPPET_INDEX = join('snippets', 'index.json');

/** Reads and validates every concept file under `root`; the build and the schema tests share this. */
export function loadConceptSources(root: string): { concepts: Concept[]; problems: ContentProblem[] } {
  const dir = join(root, CONCEPTS_DIR);
  const concepts: Concept[] = [];
  const problems: ContentProblem[] = [];
  for (const name of readdirSync(dir).filter(n => n.endsWith('.md')).sort()) {
    const file = join(CONCEPTS_DIR, name);
    const parsed = parseConceptFile(file, readFileSync(join(dir, name), 'utf8'));
    problems.push(...parsed.problems);
    if (parsed.concept) concepts.push(parsed.concept);
  }
  const snippetIndex = join(root, SNIPPET_INDEX);
  const snippetIds = existsSync(snippetIndex)
    ? new Set((JSON.parse(readFileSync(snippetIndex, 'utf8')) as { id: string }[]).map(s => s.id))
    : undefined;
  problems.push(...checkConceptSet(concepts, snippetIds, id => join(CONCEPTS_DIR, `${id}.md`)));
  return { concepts, problems };
}

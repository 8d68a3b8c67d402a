import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ContentProblem, parseConceptFile, parseTopicsFile } from '../core/conceptSchema';
import { checkConceptMath } from './checkConceptMath';
import { CONCEPTS_DIR, TOPICS_FILE } from './loadConceptSources';

/**
 * The whole-base checks of the build, applied to some files only, for authors writing concepts while
 * others are unfinished: `related` ids may also name concepts still to be written (`pending`).
 */
export async function checkConceptFiles(root: string, ids: string[], pending: ReadonlySet<string>): Promise<ContentProblem[]> {
  const dir = join(root, CONCEPTS_DIR);
  const existing = new Set(readdirSync(dir).filter(n => n.endsWith('.md')).map(n => n.slice(0, -3)));
  const { topics, problems } = parseTopicsFile(TOPICS_FILE, readFileSync(join(root, TOPICS_FILE), 'utf8'));
  const topicIds = new Set(topics.map(t => t.id));
  for (const id of ids.length ? ids : [...existing]) {
    const file = join(CONCEPTS_DIR, `${id}.md`);
    if (!existsSync(join(root, file))) {
      problems.push({ file, line: 1, message: 'no such file' });
      continue;
    }
    const text = readFileSync(join(root, file), 'utf8');
    const parsed = parseConceptFile(file, text, topicIds);
    problems.push(...parsed.problems);
    if (!parsed.concept) continue;
    for (const r of parsed.concept.related)
      if (!existing.has(r) && !pending.has(r)) problems.push({ file, line: 2, message: `related "${r}" is not a concept id` });
    problems.push(...(await checkConceptMath(parsed.concept, file, text)).problems);
  }
  return problems;
}

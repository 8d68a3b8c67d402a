import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContentProblem } from '../core/conceptSchema';
import type { KnowledgeBaseData } from '../core/knowledgeBase';
import { checkConceptMath } from './checkConceptMath';
import { CONCEPTS_DIR, loadConceptSources } from './loadConceptSources';

/** The base, and each concept's hover image (SVG of its first formula) by concept id. */
export async function buildKnowledgeBase(
  root: string,
): Promise<{ data?: KnowledgeBaseData; formulaImages?: Record<string, string>; problems: ContentProblem[] }> {
  const { concepts, topics, senses, problems } = loadConceptSources(root);
  if (problems.length) return { problems };
  const formulaImages: Record<string, string> = {};
  for (const c of concepts) {
    const file = join(CONCEPTS_DIR, `${c.id}.md`);
    const checked = await checkConceptMath(c, file, readFileSync(join(root, file), 'utf8'));
    problems.push(...checked.problems);
    if (checked.images.length) formulaImages[c.id] = checked.images[0];
  }
  return problems.length ? { problems } : { data: { topics, concepts, senses }, formulaImages, problems };
}

import { join } from 'node:path';
import type { ContentProblem } from '../core/conceptSchema';
import type { KnowledgeBaseData } from '../core/knowledgeBase';
import { formulaSvg } from './formulaSvg';
import { CONCEPTS_DIR, loadConceptSources } from './loadConceptSources';

export async function buildKnowledgeBase(root: string): Promise<{ data?: KnowledgeBaseData; problems: ContentProblem[] }> {
  const { concepts, problems } = loadConceptSources(root);
  if (problems.length) return { problems };
  const formulaImages: KnowledgeBaseData['formulaImages'] = {};
  for (const c of concepts) {
    if (!c.formulas.length) continue;
    try {
      formulaImages[c.id] = await formulaSvg(c.formulas[0]);
    } catch (e) {
      problems.push({ file: join(CONCEPTS_DIR, `${c.id}.md`), line: 2, message: (e as Error).message });
    }
  }
  return problems.length ? { problems } : { data: { concepts, formulaImages }, problems };
}

import type { Concept, TopicInfo } from '../../src/core/concept';
import type { Sense } from '../../src/core/senses';
import { ConceptIndex, buildConceptIndex } from '../../src/core/conceptIndex';
import { loadConceptSources } from '../../src/build/loadConceptSources';
import { ROOT } from './paths';

let cached: { concepts: Concept[]; topics: TopicInfo[]; senses: Sense[]; index: ConceptIndex } | undefined;

/** The shipped concepts, parsed and validated by the same code as the build, and their index. */
export function builtin(): { concepts: Concept[]; topics: TopicInfo[]; senses: Sense[]; index: ConceptIndex } {
  if (!cached) {
    const { concepts, topics, senses, problems } = loadConceptSources(ROOT);
    if (problems.length) throw new Error(`content problems:\n${problems.map(p => `${p.file}:${p.line}: ${p.message}`).join('\n')}`);
    cached = { concepts, topics, senses, index: buildConceptIndex(concepts, senses) };
  }
  return cached;
}

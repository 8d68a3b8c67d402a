import type { Concept } from '../../src/core/concept';
import { ConceptIndex, buildConceptIndex } from '../../src/core/conceptIndex';
import { loadConceptSources } from '../../src/build/loadConceptSources';
import { ROOT } from './paths';

let cached: { concepts: Concept[]; index: ConceptIndex } | undefined;

/** The shipped concepts, parsed and validated by the same code as the build, and their index. */
export function builtin(): { concepts: Concept[]; index: ConceptIndex } {
  if (!cached) {
    const { concepts, problems } = loadConceptSources(ROOT);
    if (problems.length) throw new Error(`content problems:\n${problems.map(p => `${p.file}:${p.line}: ${p.message}`).join('\n')}`);
    cached = { concepts, index: buildConceptIndex(concepts) };
  }
  return cached;
}

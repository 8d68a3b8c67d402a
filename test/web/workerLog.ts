/** Which lines of the web-worker extension host's output are ours and say something went wrong. */

/**
 * Known and being fixed elsewhere: reading the resource-scoped mlConceptLens.notes.files without a
 * resource (the "host" helper's change to src/notesIndexer.ts). The lead removes this after merging it.
 */
const PENDING_FIX = /Accessing a resource scoped configuration without providing a resource[^\n]*mlConceptLens\.notes\.files/;

const OURS = /ml-concept-lens|mlConceptLens|ML Concept Lens/i;
const BAD = /\[(error|warning)\]|\bError\b|\bfailed\b|Uncaught|Cannot find module/;

/** The in-host runner's own result lines (test titles name us; a failed test is reported elsewhere). */
const RUNNER = /\bWEB(TEST|METRIC) \{/;

export function errorLinesOfOurs(lines: string[]): string[] {
  return lines.filter(l => OURS.test(l) && BAD.test(l) && !PENDING_FIX.test(l) && !RUNNER.test(l));
}

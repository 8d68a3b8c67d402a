/** Which lines of the web-worker extension host's output are ours and say something went wrong. */

const OURS = /ml-concept-lens|mlConceptLens|ML Concept Lens/i;
const BAD = /\[(error|warning)\]|\bError\b|\bfailed\b|Uncaught|Cannot find module/;

/** The in-host runner's own result lines (test titles name us; a failed test is reported elsewhere). */
const RUNNER = /\bWEB(TEST|METRIC) \{/;

export function errorLinesOfOurs(lines: string[]): string[] {
  return lines.filter(l => OURS.test(l) && BAD.test(l) && !RUNNER.test(l));
}

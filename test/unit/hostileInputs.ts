import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './paths';

/**
 * Markdown and LaTeX an attacker could put in a notes file; none of it may become executable HTML.
 * The same file feeds the end-to-end test that loads it as a notes file in a real VS Code.
 */
export const HOSTILE_INPUTS: readonly string[] = JSON.parse(readFileSync(join(FIXTURES, 'hostile-inputs.json'), 'utf8'));

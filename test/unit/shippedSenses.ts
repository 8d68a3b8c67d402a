import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSensesFile } from '../../src/core/parseSensesFile';
import type { Sense } from '../../src/core/senses';
import { ROOT } from './paths';

/** The shipped src/content/senses.yaml, for matcher tests whose concepts are fixtures. */
export function shippedSenses(): Sense[] {
  const file = join('src', 'content', 'senses.yaml');
  const { senses, problems } = parseSensesFile(file, readFileSync(join(ROOT, file), 'utf8'));
  if (problems.length) throw new Error(problems.map(p => `${p.file}:${p.line}: ${p.message}`).join('\n'));
  return senses;
}

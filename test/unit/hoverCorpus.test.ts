import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDocumentContext } from '../../src/core/documentContext';
import { findConceptAt } from '../../src/core/findConceptAt';
import { languageOfFile } from '../../src/core/languageOfFile';
import { builtin } from './builtinIndex';
import { FIXTURES } from './paths';

/** [file, a text on the line, the term to hover (its middle), expected concept id or null] */
type Case = [string, string, string, string | null];

interface Score {
  positives: number;
  found: number;
  fired: number;
  negatives: number;
  silent: number;
  failures: string[];
}

function score(dir: string): Score {
  const { index } = builtin();
  const cases = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as Case[];
  const s: Score = { positives: 0, found: 0, fired: 0, negatives: 0, silent: 0, failures: [] };
  for (const [file, needle, term, expected] of cases) {
    const text = readFileSync(join(dir, file), 'utf8');
    const lines = text.split('\n');
    const row = lines.findIndex(l => l.includes(needle));
    assert.ok(row >= 0, `${file}: no line contains ${JSON.stringify(needle)}`);
    const at = lines[row].indexOf(term, lines[row].indexOf(needle));
    assert.ok(at >= 0, `${file}:${row + 1}: ${JSON.stringify(term)} not on the line`);
    const column = at + Math.floor(term.length / 2);
    const match = findConceptAt(index, lines[row], column, buildDocumentContext(text, languageOfFile(file), index), row);
    const got = match?.concepts[0].id ?? null;
    if (got) s.fired++;
    if (expected) {
      s.positives++;
      if (got === expected) s.found++;
    } else {
      s.negatives++;
      if (!got) s.silent++;
    }
    if (got !== expected) s.failures.push(`${file}:${row + 1}:${column + 1} ${JSON.stringify(term)}: expected ${expected}, got ${got}`);
  }
  return s;
}

function report(name: string, s: Score): void {
  const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : 'n/a');
  console.log(
    `      ${name}: ${s.positives} positives, ${s.negatives} negatives — recall ${pct(s.found, s.positives)} %, ` +
      `precision ${pct(s.found, s.fired)} %, silence on negatives ${pct(s.silent, s.negatives)} %`,
  );
  for (const f of s.failures) console.log(`        miss: ${f}`);
}

for (const [name, dir, minimum] of [
  ['labelled corpus', join(FIXTURES, 'corpus'), 80],
  ['held-out corpus', join(FIXTURES, 'corpus-heldout'), 40],
] as const) {
  describe(`hover matcher on the ${name}`, () => {
    const s = score(dir);
    before(() => report(name, s));

    it(`has at least ${minimum} labelled positions, positives and negatives`, () => {
      assert.ok(s.positives + s.negatives >= minimum);
      assert.ok(s.positives > 0 && s.negatives > 0);
    });

    it('finds the right concept on at least 95 % of positives', () => {
      assert.ok(s.found / s.positives >= 0.95, s.failures.join('\n'));
    });

    it('stays silent on at least 95 % of negatives', () => {
      assert.ok(s.silent / s.negatives >= 0.95, s.failures.join('\n'));
    });
  });
}

import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
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

const emptyScore = (): Score => ({ positives: 0, found: 0, fired: 0, negatives: 0, silent: 0, failures: [] });

/** File → class ("ml-topics", "ml-general", "non-ml"), so the note can report precision where it matters. */
function classesOf(dir: string): Record<string, string> {
  const file = join(dir, 'classes.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

function score(dir: string): { all: Score; byClass: Map<string, Score> } {
  const { index } = builtin();
  const cases = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as Case[];
  const classes = classesOf(dir);
  const all = emptyScore();
  const byClass = new Map<string, Score>();
  const texts = new Map<string, { text: string; lines: string[]; context: ReturnType<typeof buildDocumentContext> }>();
  for (const [file, needle, term, expected] of cases) {
    let doc = texts.get(file);
    if (!doc) {
      const text = readFileSync(join(dir, file), 'utf8');
      doc = { text, lines: text.split('\n'), context: buildDocumentContext(text, languageOfFile(file), index) };
      texts.set(file, doc);
    }
    const { lines, context } = doc;
    const row = lines.findIndex(l => l.includes(needle));
    assert.ok(row >= 0, `${file}: no line contains ${JSON.stringify(needle)}`);
    const at = lines[row].indexOf(term, lines[row].indexOf(needle));
    assert.ok(at >= 0, `${file}:${row + 1}: ${JSON.stringify(term)} not on the line`);
    const column = at + Math.floor(term.length / 2);
    const match = findConceptAt(index, lines[row], column, context, row);
    const got = match?.concepts[0].id ?? null;
    const cls = classes[file] ?? 'unclassified';
    if (!byClass.has(cls)) byClass.set(cls, emptyScore());
    for (const s of [all, byClass.get(cls)!]) {
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
  }
  return { all, byClass };
}

const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : 'n/a');

function line(name: string, s: Score): string {
  return (
    `${name}: ${s.positives} positives, ${s.negatives} negatives — positives right ${pct(s.found, s.positives)} %, ` +
    `precision ${pct(s.found, s.fired)} %, negatives silent ${pct(s.silent, s.negatives)} %`
  );
}

function report(name: string, scores: { all: Score; byClass: Map<string, Score> }): void {
  console.log(`      ${line(name, scores.all)}`);
  for (const [cls, s] of [...scores.byClass].sort()) console.log(`        ${line(cls, s)}`);
  for (const f of scores.all.failures) console.log(`        miss: ${f}`);
}

for (const [name, dir, minimum] of [
  ['labelled corpus', join(FIXTURES, 'corpus'), 80],
  ['held-out corpus', join(FIXTURES, 'corpus-heldout'), 40],
] as const) {
  describe(`hover matcher on the ${name}`, () => {
    const scores = score(dir);
    const s = scores.all;
    before(() => report(name, scores));

    it(`has at least ${minimum} labelled positions, positives and negatives`, () => {
      assert.ok(s.positives + s.negatives >= minimum);
      assert.ok(s.positives > 0 && s.negatives > 0);
    });

    it('finds the right concept on at least 95 % of positives', () => {
      assert.ok(s.found / s.positives >= 0.95, s.failures.join('\n'));
    });

    it('stays silent on at least 98 % of negatives', () => {
      assert.ok(s.silent / s.negatives >= 0.98, s.failures.join('\n'));
    });

    it('fires with at least 98 % precision', () => {
      assert.ok(s.found / s.fired >= 0.98, s.failures.join('\n'));
    });
  });
}

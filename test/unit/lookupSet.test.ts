import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { searchConcepts } from '../../src/core/searchConcepts';
import { builtin } from './builtinIndex';
import { FIXTURES } from './paths';

/** [query, expected first result] pairs, written per topic by the content's authors. */
function lookupSet(): [string, string][] {
  const dir = join(FIXTURES, 'lookup');
  return readdirSync(dir)
    .filter(f => f.endsWith('.json'))
    .flatMap(f => JSON.parse(readFileSync(join(dir, f), 'utf8')) as [string, string][]);
}

describe('lookup quality (palette and panel search)', () => {
  const { concepts } = builtin();
  const first = (q: string) => searchConcepts(concepts, q, 1)[0]?.concept.id;

  it('finds the everyday terms first', () => {
    const expected: [string, string][] = [
      ['attention', 'attention-mechanism'],
      ['softmax', 'softmax'],
      ['交叉熵', 'cross-entropy-loss'],
      ['学习率', 'learning-rate'],
      ['LayerNorm', 'layer-normalization'],
      ['AdamW', 'adamw'],
      ['top-p', 'top-p-sampling'],
      ['变分下界', 'elbo'],
    ];
    for (const [q, id] of expected) assert.equal(first(q), id, q);
  });

  it('puts the expected concept first for at least 95 % of the labelled lookup set', function () {
    this.timeout(60_000); // several hundred searches over the whole base
    const set = lookupSet();
    assert.ok(set.length >= 150, `${set.length} queries`);
    const ids = new Set(concepts.map(c => c.id));
    const misses = set.filter(([q, id]) => {
      assert.ok(ids.has(id), `lookup set names unknown concept ${id}`);
      return first(q) !== id;
    });
    const accuracy = 1 - misses.length / set.length;
    console.log(`      lookup set: ${set.length} queries, top-1 accuracy ${(100 * accuracy).toFixed(1)} %`);
    for (const [q, id] of misses) console.log(`        miss: ${JSON.stringify(q)} → ${first(q)} (expected ${id})`);
    assert.ok(accuracy >= 0.95, `top-1 accuracy ${accuracy}`);
  });
});

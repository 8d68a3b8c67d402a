import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importQaNotes } from '../../src/core/importQaNotes';
import { lintNotesFiles } from '../../src/core/lintNotes';
import { conceptsFromNotes } from '../../src/core/notesConcepts';
import { searchConcepts } from '../../src/core/searchConcepts';
import { builtin } from './builtinIndex';
import { FIXTURES, SEED } from './paths';

const fixture = (name: string) => readFileSync(join(FIXTURES, 'notes', name), 'utf8');

describe('importQaNotes', () => {
  describe('the seed notes', () => {
    const { entries, problems } = importQaNotes(readFileSync(SEED, 'utf8'));
    const allTerms = entries.flatMap(e => e.terms);

    it('imports as 5 entries with their question lines', () => {
      assert.equal(entries.length, 5);
      assert.deepEqual(entries.map(e => e.line), [3, 41, 113, 195, 247]);
      assert.deepEqual(problems, []);
    });

    it('keeps multi-line questions whole and image-only questions as their image', () => {
      assert.match(entries[1].question, /1\)[\s\S]*2\)/);
      assert.match(entries[2].question, /^!\[CleanShot/);
      assert.match(entries[3].question, /^请回答[\s\S]*1\)[\s\S]*处\n\n\s*理[\s\S]*2\)/);
    });

    it('extracts the terms each answer defines', () => {
      for (const term of ['ELBO', '变分下界', 'Evidence Lower Bound', 'KL散度', 'FID', 'Frechet Inception Distance', '分段处理', 'Chunking', '滑动窗口', 'Sliding Window', '分层处理', 'Hierarchical Processing'])
        assert.ok(allTerms.includes(term), `missing term ${term}; got ${allTerms.join(', ')}`);
    });

    it('takes labels and asides for what they are, not terms', () => {
      for (const noise of ['应用', '策略', '挑战', '优势', '深度', '如均方误差', '即零', '具体公式'])
        assert.ok(!allTerms.includes(noise), `unexpected term ${noise}`);
    });

    it('keeps answers verbatim, display math included', () => {
      assert.match(entries[2].answer, /\$\$\n\\ln p\(X\) = L\(q\) \+ \\text\{KL\}\(q\(Z\) \\\| p\(Z\|X\)\)\n\$\$/);
      assert.ok(!entries[0].answer.includes('>   '));
    });
  });

  describe('own fixtures in the same format', () => {
    it('reads \\( \\), $…$, multi-line $$ and broken images, and the ASCII-paren pattern', () => {
      const { entries, problems } = importQaNotes(fixture('diffusion-QA.md'));
      assert.equal(entries.length, 3);
      assert.deepEqual(problems, []);
      assert.deepEqual(entries[0].terms.slice(0, 3), ['去噪扩散概率模型', 'Denoising Diffusion Probabilistic Model', 'DDPM']);
      assert.ok(entries[1].terms.includes('Classifier-Free Guidance'));
      assert.ok(entries[1].terms.includes('CFG'));
      assert.ok(entries[2].terms.includes('噪声调度'));
    });

    it('reports lint problems with their line and column and loses no entry', () => {
      const { entries, problems } = importQaNotes(fixture('broken-QA.md'));
      assert.equal(entries.length, 3);
      assert.equal(entries[2].answer.split('\n')[0], '$$');
      assert.deepEqual(
        problems.map(p => `${p.line}:${p.col}: ${p.message.split(':')[0]}`),
        ['3:1: question has no answer', '5:1: no term found in this entry', '9:1: no term found in this entry', '11:1: unclosed $$'],
      );
      // Only the unclosed $$ has an obvious repair: close it at the end of its block (here, the file).
      assert.deepEqual(problems.map(p => p.fix?.line), [undefined, undefined, undefined, 13]);
    });

    it('offers to close display math before the first blank line after it', () => {
      const { problems } = importQaNotes('> Q?\n\n**Term** x\n\n$$\nx^2\n\nMore text.\n');
      assert.deepEqual(problems.map(p => [p.line, p.fix]), [[5, { title: 'Close the display math with $$', line: 7, text: '$$\n' }]]);
    });

    it('flags a file without questions, binary content and oversize files with one problem each', () => {
      assert.match(importQaNotes('# Just a heading\n\nSome text.').problems[0].message, /no question blocks/);
      assert.match(importQaNotes('PK\u0003\u0004\0\0\0binary').problems[0].message, /binary/);
      const huge = importQaNotes('x'.repeat(5 * 1024 * 1024));
      assert.equal(huge.problems.length, 1);
      assert.equal(huge.entries.length, 0);
    });

    it('handles 3,000 entries and a 2 MB single line quickly', () => {
      const many = Array.from({ length: 3000 }, (_, i) => `> 问题 ${i}？\n\n**术语${i}（Term ${i}）** 是答案。\n`).join('\n');
      const started = Date.now();
      const { entries } = importQaNotes(many);
      assert.equal(entries.length, 3000);
      assert.deepEqual(entries[2999].terms, ['术语2999', 'Term 2999']);
      const long = importQaNotes(`> Q?\n\n**Answer term** ${'word '.repeat(400_000)}`);
      assert.deepEqual(long.entries[0].terms, []);
      assert.ok(Date.now() - started < 10_000);
    });

    it('does not read a > inside a code fence as a question', () => {
      const { entries } = importQaNotes('> Q1?\n\n```python\n> not a question\n```\n**Term A**\n');
      assert.equal(entries.length, 1);
      assert.match(entries[0].answer, /> not a question/);
    });
  });

  describe('notes as concepts, and lint across files', () => {
    it('turns each entry with terms into a concept that points at its file and line', () => {
      const { entries } = importQaNotes(fixture('diffusion-QA.md'));
      const concepts = conceptsFromNotes('notes/diffusion-QA.md', entries);
      assert.equal(concepts.length, 3);
      assert.deepEqual(concepts[0].source, { file: 'notes/diffusion-QA.md', line: entries[0].line });
      assert.equal(concepts[0].title['zh-cn'], '去噪扩散概率模型');
      assert.ok(concepts[0].aliases.abbr.includes('DDPM'));
      assert.ok(concepts[0].summary.en.length > 0 && concepts[0].summary.en.length <= 200);
    });

    it('ranks the built-in concept above a note that names the same term', () => {
      const { entries } = importQaNotes('> 什么是变分下界？\n\n**变分下界（Evidence Lower Bound, ELBO）** 是对数证据的下界。\n');
      const notes = conceptsFromNotes('notes/vi-QA.md', entries);
      const hits = searchConcepts([...notes, ...builtin().concepts], '变分下界').map(h => h.concept.id);
      assert.equal(hits[0], 'elbo');
      assert.ok(hits.includes(notes[0].id), 'the note is still listed');
    });

    it('reports a term two files define', () => {
      const a = '> Q?\n\n**Shared Term** is one thing.\n';
      const b = '> Q?\n\n**Shared Term** is another.\n';
      const problems = lintNotesFiles([{ file: 'a.md', text: a }, { file: 'b.md', text: b }]);
      assert.deepEqual(problems.map(p => `${p.file}:${p.line}`), ['b.md:1']);
      assert.match(problems[0].message, /also defined in a\.md:1/);
    });
  });
});

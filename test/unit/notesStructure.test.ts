import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importQaNotes } from '../../src/core/importQaNotes';
import { conceptsFromNotes } from '../../src/core/notesConcepts';
import { SEED } from './paths';

const questions = (text: string) => importQaNotes(text).entries.map(e => e.question);
const messages = (text: string) => importQaNotes(text).problems.map(p => `${p.line}: ${p.message.split(':')[0]}`);

describe('notes structure follows CommonMark as markdown-it parses it', () => {
  it('takes a line that starts with an inline code span for prose, not a fence', () => {
    // A backtick fence's info string cannot hold a backtick, so ```code``` is a code span.
    const text = '> Q1?\n\n```code``` 是行内代码，**Term A** 在这里。\n\n> Q2?\n\n**Term B** 是另一个。\n';
    assert.deepEqual(questions(text), ['Q1?', 'Q2?']);
    assert.deepEqual(importQaNotes(text).entries.map(e => e.terms), [['Term A'], ['Term B']]);
    assert.deepEqual(messages(text), []);
  });

  it('still reads a real fence with an info string, and a > inside it as code', () => {
    const text = '> Q1?\n\n```python title="a"\n> not a question\n```\n\n**Term A**\n\n> Q2?\n\n**Term B**\n';
    assert.deepEqual(questions(text), ['Q1?', 'Q2?']);
    assert.match(importQaNotes(text).entries[0].answer, /> not a question/);
  });

  it('keeps a blockquote inside a list item in the answer', () => {
    const text = '> Q1?\n\n- **Term A** 是一项：\n\n  > 引用自教材\n\n- 第二项\n\n> Q2?\n\n**Term B**\n';
    assert.deepEqual(questions(text), ['Q1?', 'Q2?']);
    assert.match(importQaNotes(text).entries[0].answer, /  > 引用自教材\n\n- 第二项$/);
  });

  it('keeps a > line inside display math in the answer, with $$ and with \\[ \\]', () => {
    for (const [open, close] of [['$$', '$$'], ['\\[', '\\]']]) {
      const text = `> Q1?\n\n**Term A**\n\n${open}\na\n> b\n${close}\n\n> Q2?\n\n**Term B**\n`;
      assert.deepEqual(questions(text), ['Q1?', 'Q2?'], open);
      assert.match(importQaNotes(text).entries[0].answer, /\na\n> b\n/);
      assert.deepEqual(messages(text), []);
    }
  });

  it('ends display math that never closes at the blank line, so later questions survive', () => {
    const text = '> Q1?\n\n**Term A**\n\n$$\nx^2\n\n> Q2?\n\n**Term B**\n';
    assert.deepEqual(questions(text), ['Q1?', 'Q2?']);
    assert.deepEqual(messages(text), ['5: unclosed $$']);
    assert.deepEqual(importQaNotes(text).problems[0].fix, { title: 'Close the display math with $$', line: 7, text: '$$\n' });
  });

  it('reports an unclosed fence once, and a fence closed by a longer run as closed', () => {
    assert.deepEqual(messages('> Q?\n\n**Term**\n\n~~~~\ncode\n~~~~~~\n'), []);
    assert.deepEqual(messages('> Q?\n\n**Term**\n\n````\ncode\n```\n'), ['5: unclosed code fence']);
    assert.deepEqual(messages('> Q?\n\n**Term**\n\n- item\n  ```\n  code\n'), ['6: unclosed code fence']);
  });

  it('takes the $$ column inside a list item from the start of the line', () => {
    const [p] = importQaNotes('> Q?\n\n- **Term** 是：\n  $$\n  x\n').problems;
    assert.deepEqual([p.line, p.col], [4, 3]);
  });

  it('never takes code, math, link targets or image text for terms', () => {
    const text = '> Q?\n\n`变分下界（ELBO）` 与 $均值（Mean）$ 和 [链接](https://x.org/页面（Page）) ![图（Figure）](a.png) **真术语（Real Term）**\n';
    assert.deepEqual(importQaNotes(text).entries[0].terms, ['真术语', 'Real Term']);
  });

  it('gives a note concept its first display formula, unless that is a pasted blob', () => {
    const formulas = (math: string) => conceptsFromNotes('n.md', importQaNotes(`> Q?\n\n**Term A** 是：\n\n$$\n${math}\n$$\n`).entries)[0].formulas;
    assert.deepEqual(formulas('L = D - W'), ['L = D - W']);
    assert.deepEqual(formulas('x+'.repeat(1500)), []);
  });

  it('refuses a file over the limit counted in UTF-8 bytes, not characters', () => {
    const han = '> 问题？\n\n**术语**\n' + '中'.repeat(1.5 * 1024 * 1024); // 1.5 M characters, 4.5 MB, over the 2 MiB limit only in bytes
    assert.match(importQaNotes(han).problems[0].message, /larger than 2 MB/);
    assert.equal(importQaNotes(han).entries.length, 0);
  });

  it('lists at most 100 problems for a file, the last saying how many more', () => {
    const text = '> Q?\n\n**Term**\n\n' + '$$\na\n\n'.repeat(500);
    const { problems } = importQaNotes(text);
    assert.equal(problems.length, 100);
    assert.match(problems[99].message, /^401 more problems/);
  });
});

describe('gloss pairing on the seed', () => {
  const { entries } = importQaNotes(readFileSync(SEED, 'utf8'));

  it('pairs each Chinese term with the English name and abbreviation in its own parentheses', () => {
    // Read off the seed by hand: every 中文（English, ABBR） and English (ABBR) it writes, once per entry.
    const pair = (zh?: string, en?: string, abbr?: string) => Object.fromEntries(Object.entries({ zh, en, abbr }).filter(([, v]) => v));
    assert.deepEqual(
      entries.map(e => e.glosses),
      [
        [pair('分配步骤', 'Assignment step'), pair('更新步骤', 'Update step')],
        [pair('变分自动编码器', undefined, 'VAE'), pair('KL散度', 'Kullback-Leibler Divergence')],
        [pair('变分下界', 'Evidence Lower Bound', 'ELBO'), pair('Kullback-Leibler散度', undefined, 'KL散度')],
        [pair('自然语言处理', undefined, 'NLP'), pair(undefined, 'Frechet Inception Distance', 'FID')],
        [pair('分段处理', 'Chunking'), pair('滑动窗口', 'Sliding Window'), pair('分层处理', 'Hierarchical Processing')],
      ],
    );
  });

  it('titles each note concept in both languages from one gloss', () => {
    const titles = conceptsFromNotes('seed.md', entries).map(c => [c.title['zh-cn'], c.title.en]);
    assert.deepEqual(titles, [
      ['分配步骤', 'Assignment step'],
      ['变分自动编码器', 'VAE'],
      ['变分下界', 'Evidence Lower Bound'],
      ['自然语言处理', 'NLP'],
      ['分段处理', 'Chunking'],
    ]);
  });

  it('titles an entry without a gloss by its first term in both languages', () => {
    const { entries: own } = importQaNotes('> 什么是噪声调度？\n\n**噪声调度** 决定每步加多少噪声，**Cosine Schedule** 是其中一种。\n');
    assert.deepEqual(conceptsFromNotes('n.md', own)[0].title, { en: '噪声调度', 'zh-cn': '噪声调度' });
  });
});

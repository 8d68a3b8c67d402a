import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importQaNotes } from '../../src/core/importQaNotes';
import { lintNotesFiles } from '../../src/core/lintNotes';
import { conceptsFromNotes } from '../../src/core/notesConcepts';
import { SEED } from './paths';

/** mulberry32: a tiny seeded generator, so a failing case can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = ReturnType<typeof prng>;
const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)];
const count = (r: Random, min: number, max: number) => min + Math.floor(r() * (max - min + 1));

const HAN_WORDS = ['变分', '下界', '梯度', '损失函数', '潜在空间', '正则化', '采样', '后验分布', '注意力', '卷积', '扩散', '噪声'];
const LATIN_WORDS = ['gradient', 'loss', 'prior', 'sample', 'encoder', 'layer', 'batch', 'kernel', 'token', 'model'];
const INLINE = ['`x > 0`', '$\\mu > 0$', '\\( \\sigma^2 \\)', '`**not bold**`', '$a_{(1)}$', '[链接](https://example.org/a_b)'];

function words(r: Random, n: number): string {
  return Array.from({ length: n }, () => (r() < 0.5 ? pick(r, HAN_WORDS) : pick(r, LATIN_WORDS))).join(r() < 0.5 ? '' : ' ');
}

/** A prose line that no block rule can read as anything but paragraph text. */
function proseLine(r: Random): string {
  const parts = [words(r, count(r, 1, 4))];
  for (let i = count(r, 0, 3); i > 0; i--) parts.push(r() < 0.5 ? pick(r, INLINE) : words(r, count(r, 1, 3)));
  return `${parts.join(' ')}${pick(r, ['。', '，', '.', '；', ''])}`;
}

interface Generated {
  text: string;
  entries: { question: string; paragraphs: string[]; term: string }[];
}

/** Well-formed notes: every question a top-level quote after a blank line, every block closed. */
function generateNotes(r: Random): Generated {
  const out: string[] = ['# 复习笔记', ''];
  const entries: Generated['entries'] = [];
  for (let e = count(r, 1, 8); e > 0; e--) {
    const qLines: string[] = [];
    for (let i = count(r, 1, 3); i > 0; i--) {
      if (qLines.length && r() < 0.3) qLines.push('');
      if (r() < 0.15) qLines.push(`> ${words(r, 2)}`); // a nested quote inside the question
      else qLines.push(`${words(r, count(r, 1, 4))}${pick(r, ['？', '?', '', '（简述）'])}`);
    }
    // The seed indents a question's first line (`>   `); its later lines keep what follows `> `.
    out.push(...qLines.map((l, i) => (!l ? '>' : i === 0 ? `>   ${l}` : `> ${l}`)), '');
    const term = `术语${entries.length}${pick(r, HAN_WORDS)}`;
    const paragraphs: string[] = [];
    const first = `**${term}** ${proseLine(r)}`;
    out.push(first, '');
    paragraphs.push(first);
    for (let b = count(r, 0, 5); b > 0; b--) {
      const kind = pick(r, ['paragraph', 'fence', 'math', 'list', 'heading', 'quoteInList']);
      if (kind === 'paragraph') {
        const lines = Array.from({ length: count(r, 1, 3) }, () => proseLine(r));
        out.push(...lines, '');
        paragraphs.push(lines.join('\n'));
      } else if (kind === 'fence') {
        const mark = pick(r, ['```', '~~~', '````']);
        out.push(`${mark}${pick(r, ['python', '', 'text'])}`, '> not a question', '# not a heading', '$$', mark, '');
      } else if (kind === 'math') {
        out.push('$$', 'L = \\mathbb{E}[\\log p(x|z)]', '> 0 \\quad \\text{always}', '$$', '');
      } else if (kind === 'list') {
        const items = Array.from({ length: count(r, 1, 3) }, () => `- ${proseLine(r)}`);
        out.push(...items, '');
        paragraphs.push(items.join('\n'));
      } else if (kind === 'heading') {
        out.push(`### ${words(r, 2)}`, '');
      } else {
        const item = `- ${proseLine(r)}`;
        const quote = `  > ${proseLine(r)}`;
        out.push(item, '', quote, '');
        paragraphs.push(item, quote);
      }
    }
    entries.push({ question: qLines.join('\n'), paragraphs, term });
  }
  return { text: out.join('\n'), entries };
}

describe('notes import, property checks', () => {
  it('finds every question, answer paragraph and bold term of 300 generated notes', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const notes = generateNotes(prng(seed));
      const { entries, problems } = importQaNotes(notes.text);
      const where = `seed ${seed}:\n${notes.text}`;
      assert.deepEqual(entries.map(e => e.question), notes.entries.map(e => e.question), where);
      notes.entries.forEach((want, i) => {
        for (const paragraph of want.paragraphs) assert.ok(entries[i].answer.includes(paragraph), `${where}\nlost from entry ${i}: ${paragraph}`);
        assert.ok(entries[i].terms.includes(want.term), `${where}\nentry ${i} lacks ${want.term}: ${entries[i].terms.join(', ')}`);
      });
      assert.deepEqual(problems, [], where);
    }
  });

  describe('mutated seed notes', () => {
    const seedText = readFileSync(SEED, 'utf8');
    const seedLines = seedText.split('\n');
    const seedQuestions = importQaNotes(seedText).entries.map(e => e.question);
    /** Lines a mutation may not touch: the question blocks, the blank lines around them, fences and $$. */
    const guarded = new Set<number>();
    seedLines.forEach((line, n) => {
      if (/^ {0,3}>/.test(line)) for (const k of [n - 1, n, n + 1]) guarded.add(k);
      if (/^\s*(```|~~~|\$\$)/.test(line)) guarded.add(n);
    });
    const NOISE = ['`', '``', '*', '**', '_', '$', '$$', '\\(', '\\)', '(', '）', '（', '[', '](', '![', '<', '&amp;', '\\', '|', '中', 'A'];

    it('keeps every seed question through 300 mutations inside the answers', () => {
      for (let seed = 1; seed <= 300; seed++) {
        const r = prng(seed);
        const lines = [...seedLines];
        for (let m = count(r, 1, 12); m > 0; m--) {
          const n = Math.floor(r() * lines.length);
          if (guarded.has(n) || !lines[n].trim()) continue;
          const line = lines[n];
          const at = count(r, Math.min(4, line.length), line.length); // mid-line: a block marker stays a block marker
          const kind = r();
          if (kind < 0.6) lines[n] = line.slice(0, at) + pick(r, NOISE).repeat(count(r, 1, 3)) + line.slice(at);
          else if (kind < 0.85) lines[n] = line.slice(0, at) + line.slice(Math.min(line.length, at + count(r, 1, 20)));
          else lines[n] = `${line} ${line}`;
        }
        const text = lines.join('\n');
        const found = importQaNotes(text).entries.map(e => e.question);
        assert.deepEqual(found, seedQuestions, `seed ${seed}`);
      }
    });

    it('throws on no mutation at all, anywhere in the file (1,000 mutated files)', () => {
      const characters = [...NOISE, '\n', '\n\n', '> ', '```', '~~~~', '$$\n', '# ', '- ', '1. ', '    ', '\t', '\0', '\uFFFD', '\uD800'];
      for (let seed = 1; seed <= 1000; seed++) {
        const r = prng(seed * 7919);
        let text = seedText;
        for (let m = count(r, 1, 30); m > 0; m--) {
          const at = Math.floor(r() * text.length);
          const kind = r();
          if (kind < 0.6) text = text.slice(0, at) + pick(r, characters).repeat(count(r, 1, 4)) + text.slice(at);
          else if (kind < 0.9) text = text.slice(0, at) + text.slice(at + count(r, 1, 200));
          else text = text.slice(0, at);
        }
        const { entries, problems } = importQaNotes(text);
        conceptsFromNotes('m.md', entries);
        lintNotesFiles([{ file: 'm.md', text }]);
        const lineCount = text.split('\n').length;
        for (const e of entries) assert.ok(e.line >= 1 && e.line <= lineCount, `seed ${seed}: entry line ${e.line}`);
        for (const p of problems) assert.ok(p.line >= 1 && p.line <= lineCount + 1 && p.col >= 1, `seed ${seed}: problem at ${p.line}:${p.col}`);
      }
    });
  });
});

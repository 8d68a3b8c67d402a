import { HOSTILE_CORPUS } from './hostileInputs';

/** A small seeded generator (mulberry32): the same inputs on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METACHARACTERS = ['>', '\n', '\n\n', '$', '$$', '\\', '`', '```', '[', ']', '(', ')', '{', '}', '<', '#', '*', '_', '|', '!', '（', '）', '：', ' ', '\t', '~~~'];

/** The seed notes with random edits: spans cut, doubled, moved and sprinkled with Markdown metacharacters. */
export function mutants(seedText: string, count: number, next: () => number): string[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = seedText;
    const edits = 1 + Math.floor(next() * 12);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(next() * text.length);
      const span = Math.floor(next() * 200);
      switch (Math.floor(next() * 6)) {
        case 0:
          text = text.slice(0, at) + text.slice(at + span);
          break;
        case 1:
          text = text.slice(0, at) + text.slice(at, at + span).repeat(2 + Math.floor(next() * 5)) + text.slice(at);
          break;
        case 2:
          text = text.slice(0, at) + pick(METACHARACTERS).repeat(1 + Math.floor(next() * 40)) + text.slice(at);
          break;
        case 3:
          text = text.slice(0, at) + pick(HOSTILE_CORPUS) + text.slice(at);
          break;
        case 4: {
          const to = Math.floor(next() * text.length);
          text = text.slice(0, to) + text.slice(at, at + span) + text.slice(to);
          break;
        }
        default:
          text = text.slice(0, at);
      }
    }
    out.push(text);
  }
  return out;
}

/** Inputs built to hit worst cases: long lines, deep nesting, many questions, long runs of one metacharacter. */
export function pathological(): string[] {
  const MB = 1 << 20;
  const runs = ['`', '[', ']', '(', '$', '\\', '{', '>', '*', '_', '<', '!', '|', '#', ' '].map(c => c.repeat(MB / 4));
  return [
    'a'.repeat(MB),
    `> q\n\n${'x '.repeat(MB / 4)}`,
    `> q\n\n### 术语（Term）\n\n${'(AB)'.repeat(MB / 16)}`,
    `> q\n\n# a${' '.repeat(4000)}b`,
    Array.from({ length: 20_000 }, (_, i) => `> question ${i}?\n\n### 概念${i}（Concept ${i}）\n\nanswer ${i} with $x_${i}$.\n`).join('\n'),
    `${'> '.repeat(10_000)}deep`,
    `${'- '.repeat(10_000)}deep`,
    `$$${'{'.repeat(50_000)}$$`,
    `$${'\\frac{'.repeat(5000)}$`,
    `![a](${'b '.repeat(MB / 8)}`,
    `${'\\['.repeat(MB / 8)}`,
    `${'`a'.repeat(MB / 8)}`,
    `${'](' .repeat(MB / 8)}`,
    `\`\`\`\n${'\\(x\n'.repeat(MB / 16)}`,
    ...runs,
  ];
}


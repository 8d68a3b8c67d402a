import * as assert from 'node:assert/strict';
import { importQaNotes } from '../../src/core/importQaNotes';
import { lintNotesFiles } from '../../src/core/lintNotes';
import { conceptsFromNotes } from '../../src/core/notesConcepts';

/**
 * Growth checks: the same pathological notes at 10 KB, 100 KB and 1 MB must cost time in proportion
 * to their size. Linear is 10x for a tenfold input and quadratic 100x; a tenfold input may take at
 * most 30x, because between 100 KB and 1 MB the parse's live tokens outgrow V8's young generation and
 * a linear input was measured at up to 27x. The time is this process's CPU time, best of a few runs
 * (and of a second try when the first fails), so other work on a busy machine stays out of it; times
 * under a millisecond count as one.
 */
const SIZES = [10_000, 100_000, 1_000_000];
const MAX_RATIO = 30;
const FLOOR_MS = 1;

const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const answered = (body: string) => (size: number) => `> 问题？\n\n${fill(body, size)}`;

const INPUTS: Record<string, (size: number) => string> = {
  // The inputs issue 12 names: a heading padded with spaces, the text before many glosses, and
  // backticks or `](` pairs that the old masking scanned before dropping the line.
  'a heading padded with spaces': answered(`# a${' '.repeat(3000)}b\n`),
  'stars before 490 glosses': answered(`${'*'.repeat(2000)}x${'(AB)'.repeat(490)}\n`),
  'Han text before 490 glosses': answered(`${'中'.repeat(2000)}!${'(AB)'.repeat(490)}\n`),
  'one line of backticks': answered('`'),
  'backtick runs in one paragraph': answered(`${'`'.repeat(37)} x\n`),
  'one line of ]( pairs': answered(']('),
  'image links with spaces': answered(`![a](${'b '.repeat(1500)}\n`),
  'brackets in one paragraph': answered(`${'['.repeat(3000)}\n`),
  'emphasis markers': answered('**a *b _c\n'),
  'math openers that never close': answered('\\(a $ b \\[ $$ x\n'),
  'display math without its $$': answered(`$$\n${'a'.repeat(60)}\n\n`),
  'fences of mixed lengths': answered(`${'`'.repeat(4)}\n${'`'.repeat(3)}\n${'x'.repeat(40)}\n`),
  'deeply nested quotes': size => `${fill('>', size)}\n\n**Term**\n`,
  'many questions': size => fill(`> 问题？\n\n**术语（Term）** 是答案。${'这一段解释它的含义。'.repeat(20)}\n\n`, size),
};

function bestCpuMs(run: () => void, size: number): number {
  let best = Infinity;
  for (let i = 0; i < (size < 1_000_000 ? 5 : 3); i++) {
    const started = process.cpuUsage();
    run();
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

const worstRatio = (times: number[]) => Math.max(...times.slice(1).map((t, i) => t / Math.max(times[i], FLOOR_MS)));

function assertLinear(what: string, texts: string[], run: (text: string) => void): void {
  let times = texts.map(text => bestCpuMs(() => run(text), text.length));
  if (worstRatio(times) >= MAX_RATIO) times = texts.map((text, i) => Math.min(times[i], bestCpuMs(() => run(text), text.length)));
  const shown = times.map((t, i) => `${SIZES[i] / 1000} KB: ${t.toFixed(2)} ms`).join(', ');
  assert.ok(worstRatio(times) < MAX_RATIO, `${what} grows ${worstRatio(times).toFixed(1)}x for 10x the input (${shown})`);
}

/** Lint adds the check across files to the import: timed on the inputs that give it work. */
const LINTED = new Set(['a heading padded with spaces', 'display math without its $$', 'fences of mixed lengths', 'many questions']);

describe('notes import and lint grow linearly', function () {
  this.timeout(20_000);
  for (const [name, make] of Object.entries(INPUTS))
    it(name, () => {
      const texts = SIZES.map(make);
      assertLinear('import', texts, text => conceptsFromNotes('n.md', importQaNotes(text).entries));
      // Two files of half the size each, so that terms repeat across files.
      if (LINTED.has(name))
        assertLinear('lint', texts, text => {
          const half = Math.floor(text.length / 2);
          lintNotesFiles([{ file: 'a.md', text: text.slice(0, half) }, { file: 'b.md', text: `> 问题？\n\n${text.slice(half)}` }]);
        });
    });
});

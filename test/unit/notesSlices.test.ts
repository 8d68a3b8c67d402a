import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importQaNotes } from '../../src/core/importQaNotes';
import { crossFileTermProblems, lintNotesFiles } from '../../src/core/lintNotes';
import { importNotesInSlices, splitNotesIntoSlices } from '../../src/core/notesSlices';
import { FIXTURES, SEED } from './paths';

const fixture = (name: string) => readFileSync(join(FIXTURES, 'notes', name), 'utf8');
const noPause = () => Promise.resolve();

/** Blocks in which a blank line followed by `>` is not a question: a cut there would change the file. */
const TRAPS = [
  '```text\nquoted output:\n\n> not a question\n```',
  '~~~~\n\n> still code\n~~~\n\n> still code\n~~~~',
  '<!-- a comment\n\n> commented out\n-->',
  '<pre>\n\n> preformatted\n</pre>',
  '$$\nx = 1\n\n> inside display math\n$$',
];

/** Notes of every shape we have, repeated with numbered terms so no two entries are alike. */
function generatedNotes(copies: number, eol = '\n', withBroken = true): string {
  const parts = [readFileSync(SEED, 'utf8'), fixture('diffusion-QA.md'), ...(withBroken ? [fixture('broken-QA.md')] : [])];
  const blocks: string[] = [];
  for (let i = 0; i < copies; i++) {
    blocks.push(`> 第 ${i} 个问题？\n\n**术语${i}（Term ${i}）** 是答案。\n\n${TRAPS[i % TRAPS.length]}\n`);
    blocks.push(parts[i % parts.length]);
  }
  return blocks.join('\n').replace(/\n/g, eol);
}

describe('importing notes in slices', () => {
  for (const [name, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ]) {
    it(`gives the same entries and problems as importing the whole file (${name}, many small slices)`, async () => {
      const text = generatedNotes(40, eol);
      const slices = splitNotesIntoSlices(text, 300);
      assert.ok(slices.length > 20, `only ${slices.length} slices`);
      const whole = importQaNotes(text);
      const sliced = await importNotesInSlices(text, { budgetMs: 60_000, pause: noPause, sliceChars: 300 });
      assert.ok(sliced);
      assert.deepEqual(sliced.entries, whole.entries);
      assert.deepEqual(sliced.problems, whole.problems);
    });
  }

  it('cuts only at a question after a blank line, never inside code, HTML or display math', () => {
    // Without the fixture whose $$ is never closed: after it, the importer itself reads a later $$ as a
    // closing one (the equality test above covers that case).
    const text = generatedNotes(40, '\n', false);
    const lines = text.split('\n');
    for (const slice of splitNotesIntoSlices(text, 1).slice(1)) {
      assert.match(slice.text, /^>/);
      assert.equal(lines[slice.firstLine - 1].trim(), '');
      assert.equal(lines[slice.firstLine], slice.text.split('\n')[0]);
      assert.doesNotMatch(slice.text.split('\n')[0], /not a question|still code|commented out|preformatted|inside display math/);
    }
  });

  it('keeps a small file in one slice', () => {
    const text = fixture('diffusion-QA.md');
    assert.deepEqual(splitNotesIntoSlices(text), [{ text, firstLine: 0 }]);
  });

  it('pauses between slices and gives up once the time budget is spent', async () => {
    const text = generatedNotes(40);
    let pauses = 0;
    const pause = () => {
      pauses++;
      return Promise.resolve();
    };
    const done = await importNotesInSlices(text, { budgetMs: 60_000, pause, sliceChars: 300 });
    assert.ok(done);
    assert.equal(pauses, splitNotesIntoSlices(text, 300).length - 1);
    // A clock that advances 100 ms per reading: the budget of 250 ms runs out after the second slice.
    let clock = 0;
    pauses = 0;
    const late = await importNotesInSlices(text, { budgetMs: 250, pause, sliceChars: 300, now: () => (clock += 100) });
    assert.equal(late, undefined);
    assert.ok(pauses >= 1 && pauses < 5, `${pauses} pauses`);
  });

  it('stops when cancelled between slices', async () => {
    let calls = 0;
    const result = await importNotesInSlices(generatedNotes(40), { budgetMs: 60_000, pause: noPause, sliceChars: 300, cancelled: () => ++calls > 2 });
    assert.equal(result, undefined);
    assert.equal(calls, 3);
  });

  it('refuses a binary file with one problem, however many question-like lines follow its head', async () => {
    const text = `\0\0\0PK binary${'\n\n> looks like a question\n\n**Garbage Term** x\n'.repeat(5000)}`;
    const result = await importNotesInSlices(text, { budgetMs: 60_000, pause: noPause, sliceChars: 1000 });
    assert.ok(result);
    assert.equal(result.entries.length, 0);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /binary/);
  });

  it('finds the same cross-file duplicate terms as lintNotesFiles', () => {
    const files = [
      { file: 'a-QA.md', text: fixture('diffusion-QA.md') },
      { file: 'b-QA.md', text: fixture('diffusion-QA.md') },
      { file: 'c-QA.md', text: readFileSync(SEED, 'utf8') },
    ];
    const own = new Set(files.flatMap(f => importQaNotes(f.text).problems.map(p => `${f.file}:${p.line}:${p.message}`)));
    const expected = lintNotesFiles(files).filter(p => !own.has(`${p.file}:${p.line}:${p.message}`));
    assert.ok(expected.length > 3, 'the fixture pair should share terms');
    const actual = crossFileTermProblems(files.map(f => ({ file: f.file, entries: importQaNotes(f.text).entries })));
    assert.deepEqual(actual, expected.map(({ file, line, col, message }) => ({ file, line, col, message })));
  });
});

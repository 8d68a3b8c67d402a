import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ROOT, SEED } from './paths';

const CLI = join(ROOT, 'dist', 'kb.js');

function kb(...args: string[]): { code: number | null; out: string; err: string; json: () => any } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr, json: () => JSON.parse(r.stdout) };
}

const corpus = (name: string) => join(FIXTURES, 'corpus', name);
const notes = (name: string) => join(FIXTURES, 'notes', name);

describe('kb CLI', function () {
  this.timeout(30_000);
  const tmp = mkdtempSync(join(tmpdir(), 'kb-cli-'));

  it('list: every built-in concept with titles, aliases and source', () => {
    const list = kb('list').json();
    assert.ok(list.length >= 30);
    const elbo = list.find((c: any) => c.id === 'elbo');
    assert.deepEqual(Object.keys(elbo), ['id', 'title', 'aliases', 'source']);
    assert.equal(elbo.source, 'builtin');
    assert.ok(elbo.title['zh-cn'] && elbo.aliases.includes('变分下界'));
  });

  it('list --notes adds the notes concepts with their file as source', () => {
    const list = kb('list', '--notes', notes('diffusion-QA.md')).json();
    const fromNotes = list.filter((c: any) => c.source === notes('diffusion-QA.md'));
    assert.equal(fromNotes.length, 3);
  });

  it('lookup: English, Chinese, identifiers; null for nonsense', () => {
    assert.equal(kb('lookup', '变分下界').json().id, 'elbo');
    assert.equal(kb('lookup', 'evidence', 'lower', 'bound').json().id, 'elbo');
    assert.equal(kb('lookup', 'calculate_frechet_distance').json().id, 'frechet-distance');
    assert.equal(kb('lookup', 'xyzzy plugh').json(), null);
  });

  it('explain FILE:LINE:COL: 1-based, UTF-16 columns, the term range', () => {
    const r = kb('explain', `${corpus('vae_train.py')}:34:7`).json();
    assert.equal(r.id, 'elbo');
    assert.equal(r.term, 'neg_elbo');
    assert.deepEqual(r.range, { start: { line: 34, col: 5 }, end: { line: 34, col: 13 } });
    assert.equal(r.source, 'builtin');
    assert.ok(r.formula && r.title.en && r.summary['zh-cn']);
    const zh = kb('explain', `${corpus('notes-QA.md')}:3:18`).json();
    assert.equal(zh.id, 'elbo');
    assert.equal(zh.term, '变分下界');
    assert.equal(kb('explain', `${corpus('io_utils.py')}:6:5`).json(), null);
  });

  it('explain --notes: a term only the notes define, and "from your notes" on a shared one', () => {
    const file = join(tmp, 'use.py');
    writeFileSync(file, 'import torch\nguidance = classifier_free_guidance\nmodel = DDPM()\n');
    const shared = kb('explain', `${file}:3:10`, '--notes', notes('diffusion-QA.md')).json();
    assert.equal(shared.id, 'ddpm');
    assert.equal(shared.notes.length, 1);
    assert.equal(shared.notes[0].source, `${notes('diffusion-QA.md')}:3`);
    const md = join(tmp, 'n.md');
    writeFileSync(md, '> 噪声调度怎么选？\n\n**余弦退火调度** 是一种调度。\n');
    const use = join(tmp, 'use.md');
    writeFileSync(use, '我们使用余弦退火调度。\n');
    const onlyNotes = kb('explain', `${use}:1:7`, '--notes', md).json();
    assert.equal(onlyNotes.id, `note:${md}:1`);
    assert.equal(onlyNotes.source, `${md}:1`);
  });

  it('import: the seed as 5 entries {question, answer, terms, line, glosses}', () => {
    const entries = kb('import', SEED).json();
    assert.equal(entries.length, 5);
    assert.deepEqual(Object.keys(entries[0]), ['question', 'answer', 'terms', 'line', 'glosses']);
  });

  it('lint: file:line:col: message lines, exit 1 on problems, 0 when clean', () => {
    const bad = kb('lint', notes('broken-QA.md'));
    assert.equal(bad.code, 1);
    assert.match(bad.out, new RegExp(`^${notes('broken-QA.md').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:11:1: unclosed \\$\\$`, 'm'));
    const good = kb('lint', notes('diffusion-QA.md'));
    assert.equal(good.code, 0, good.out);
    assert.equal(good.out, '');
  });

  it('render: the panel HTML of a notes file, math typeset', () => {
    const r = kb('render', SEED);
    assert.equal(r.code, 0);
    assert.match(r.out, /<section class="note-entry" id="line-3"/);
    assert.ok(r.out.includes('class="katex"'));
    assert.ok(!r.out.includes('$$'));
  });

  it('bad input: one line on stderr, exit 2, never a stack trace', () => {
    for (const args of [
      ['import', join(tmp, 'missing.md')],
      ['explain', 'no-position'],
      ['explain', `${join(tmp, 'missing.py')}:1:1`],
      ['frobnicate'],
      ['lookup'],
      ['import', tmp],
    ]) {
      const r = kb(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.err.trim().split('\n').length >= 1 && !/\n\s+at /.test(r.err), true, r.err);
      assert.match(r.err, /^kb: /);
    }
  });

  it('binary, huge and many-entry files get a sane result quickly', () => {
    const binary = join(tmp, 'x.bin');
    writeFileSync(binary, Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0xff, 0xfe]));
    assert.deepEqual(kb('import', binary).json(), []);
    assert.match(kb('lint', binary).out, /binary/);
    assert.equal(kb('explain', `${binary}:1:1`).code, 2);

    const long = join(tmp, 'long.py');
    writeFileSync(long, `import torch\n${'x = 1; '.repeat(300_000)}neg_elbo = 0\n`);
    const started = Date.now();
    const r = kb('explain', `${long}:2:${300_000 * 7 + 3}`).json();
    assert.equal(r.id, 'elbo');
    const many = join(tmp, 'many-QA.md');
    writeFileSync(many, Array.from({ length: 3000 }, (_, i) => `> Q${i}?\n\n**Term ${i}** answer.\n`).join('\n'));
    assert.equal(kb('import', many).json().length, 3000);
    const empty = join(tmp, 'empty-QA.md');
    writeFileSync(empty, '> Q1?\n\n> Q2?\n');
    assert.equal(kb('lint', empty).code, 1);
    assert.ok(Date.now() - started < 20_000);
  });
});

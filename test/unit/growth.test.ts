import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Concept } from '../../src/core/concept';
import { buildConceptIndex } from '../../src/core/conceptIndex';
import { buildDocumentContext } from '../../src/core/documentContext';
import { findConceptAt } from '../../src/core/findConceptAt';
import { buildHoverMarkdown } from '../../src/core/hoverMarkdown';
import { importQaNotes } from '../../src/core/importQaNotes';
import { latexInDocumentAt } from '../../src/core/latexInText';
import { conceptsFromNotes } from '../../src/core/notesConcepts';
import { renderInlineMarkdown, renderMarkdown } from '../../src/core/renderMarkdown';
import { builtin } from './builtinIndex';
import { SEED } from './paths';

/**
 * Growth, not speed: the same pathological input at 10 KB, 100 KB and 1 MB. Linear work grows about
 * 10× per step and bounded work not at all; a quadratic rule grows 100×. Each figure is the fastest of
 * a few runs, so a busy machine only makes the check more lenient, never flaky the other way.
 */
const SIZES = [10_000, 100_000, 1_000_000];
/** Per tenfold step of input: linear is ~10 (up to ~35 with garbage collection at 1 MB), quadratic ~100. */
const MAX_STEP_RATIO = 50;
/** Below this a figure is timer and JIT noise: ratios are taken against at least this much. */
const FLOOR_MS = 1;

function fastest(run: () => void, repeats = 3): number {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/**
 * Fails only when every one of three measurements grows too fast: another process on a shared
 * machine can slow one run of the large size, but not turn linear work quadratic three times over.
 */
function assertLinear(name: string, measure: (size: number) => number): void {
  measure(SIZES[0]); // warm the JIT so the first size is not charged for compiling
  let problem = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const times = SIZES.map(measure);
    problem = '';
    for (let i = 1; i < times.length && !problem; i++) {
      const ratio = times[i] / Math.max(times[i - 1], FLOOR_MS);
      if (ratio >= MAX_STEP_RATIO)
        problem = `${name}: ${SIZES[i - 1]} → ${SIZES[i]} characters took ${times[i - 1].toFixed(2)} → ${times[i].toFixed(2)} ms (×${ratio.toFixed(0)})`;
    }
    if (!problem) return;
  }
  assert.fail(problem);
}

const repeat = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

describe('linear growth on pathological input', function () {
  this.timeout(120_000);

  const RENDERER_INPUTS: Record<string, (size: number) => string> = {
    'an image whose destination never closes': n => `![a](${repeat('b ', n)}`,
    'a run of backticks': n => '`'.repeat(n),
    'unclosed \\[': n => repeat('\\[', n),
    'unclosed \\(': n => repeat('\\(', n),
    'image destinations with spaces and parentheses': n => `![a](b${repeat(' (', n)}`,
    'repeated ![a](x with no close': n => repeat('![a](x ', n),
    'backtick runs of many lengths': n => repeat('`` ` ``` ', n),
    'an unclosed fence of \\[ lines': n => `\`\`\`\n${repeat('\\[x\n', n)}`,
    'a $ line of blanks': n => `$ ${' '.repeat(n)}a`,
  };
  for (const [name, make] of Object.entries(RENDERER_INPUTS)) {
    it(`renderMarkdown: ${name}`, () => {
      assertLinear(name, size => {
        const text = make(size);
        return fastest(() => renderMarkdown(text));
      });
    });
  }
  // The formula a hover is inside of: one long line of unclosed delimiters, cursor in the middle.
  const LATEX_LINES: Record<string, (size: number) => string> = {
    'unclosed \\(': n => repeat('\\(a ', n),
    'unclosed $$': n => repeat('$$a ', n),
    'unclosed \\[ in a docstring': n => `"""${repeat('\\[a ', n)}`,
  };
  for (const [name, make] of Object.entries(LATEX_LINES)) {
    it(`latexInDocumentAt: ${name}`, () => {
      assertLinear(name, size => {
        const text = make(size);
        return fastest(() => latexInDocumentAt(text, text.length >> 1, name.includes('docstring') ? 'python' : 'markdown'));
      });
    });
  }
  it('renderInlineMarkdown: unclosed \\[ and backticks', () => {
    assertLinear('inline', size => {
      const text = repeat('\\[`', size);
      return fastest(() => renderInlineMarkdown(text));
    });
  });

  describe('matcher and hover', () => {
    let index: ReturnType<typeof buildConceptIndex>;
    let notes: Concept[];
    before(() => {
      const extra = '\n\n> What is chunking?\n\n### 分块（Chunking）\n\nChunking splits text into pieces.\n';
      notes = conceptsFromNotes('QA.md', importQaNotes(readFileSync(SEED, 'utf8') + extra).entries);
      index = buildConceptIndex([...builtin().concepts, ...notes], builtin().senses);
    });

    /** Hovers `term` at the middle of the last line holding it, 10 times, each with a fresh context. */
    function hoverTime(text: string, languageId: string, term: string): number {
      const lines = text.split('\n');
      let row = lines.length - 1;
      while (row > 0 && !lines[row].includes(term)) row--;
      const line = lines[row];
      const middle = line.indexOf(term, Math.floor(line.length / 2));
      const column = (middle >= 0 ? middle : line.indexOf(term)) + 1;
      const contexts = Array.from({ length: 10 }, () => buildDocumentContext(text, languageId, index));
      let k = 0;
      return fastest(() => {
        for (const context of contexts.slice(k, (k += 3))) {
          const match = findConceptAt(index, line, column, context, row);
          if (match) buildHoverMarkdown({ concepts: match.concepts, lang: 'en', theme: 'dark', titleOf: () => undefined, term: match.text });
        }
      });
    }

    const MATCHER_INPUTS: Record<string, [(size: number) => string, string, string]> = {
      'an ambiguous term used all along one line (python)': [n => `import torch\n${repeat(`${'x'.repeat(600)} fid `, n)}`, 'python', 'fid'],
      'a notes term all along one line (markdown)': [n => repeat(`${'word '.repeat(100)}Chunking `, n), 'markdown', 'Chunking'],
      'with … as on one line (python)': [n => repeat(`with open(p) as fid ${'as '.repeat(60)}`, n), 'python', 'fid'],
      'a blank line of a million spaces above (python)': [n => `import torch\ndef f():\n${' '.repeat(n)}x\n${' '.repeat(n)}\n    fid = 1`, 'python', 'fid'],
      'a Chinese term inside a run of Han characters (markdown)': [n => `${repeat('聚类', n / 2)}K-均值${repeat('聚类', n / 2)}`, 'markdown', 'K-均值'],
      'a term inside a huge identifier (python)': [n => `import torch\n${repeat('a_', n / 2)}elbo${repeat('_b', n / 2)}`, 'python', 'elbo'],
    };
    for (const [name, [make, languageId, term]] of Object.entries(MATCHER_INPUTS)) {
      it(`findConceptAt + hover: ${name}`, () => {
        assertLinear(name, size => hoverTime(make(size), languageId, term));
      });
    }

    it('buildDocumentContext on one long line of notes terms', () => {
      assertLinear('context', size => {
        const text = repeat('Chunking 聚类 `fid` # KMeans ', size);
        return fastest(() => buildDocumentContext(text, 'markdown', index).flipsRow(0));
      });
    });
  });
});

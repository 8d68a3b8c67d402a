import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Concept } from '../../src/core/concept';
import { ConceptIndex, buildConceptIndex } from '../../src/core/conceptIndex';
import { buildDocumentContext } from '../../src/core/documentContext';
import { findConceptAt } from '../../src/core/findConceptAt';
import { buildHoverMarkdown } from '../../src/core/hoverMarkdown';
import { importQaNotes } from '../../src/core/importQaNotes';
import { lintNotesFiles } from '../../src/core/lintNotes';
import { conceptsFromNotes } from '../../src/core/notesConcepts';
import { renderConceptHtml, renderNotesHtml } from '../../src/core/renderConcept';
import { renderFormula, renderInlineMarkdown, renderMarkdown } from '../../src/core/renderMarkdown';
import { builtin } from './builtinIndex';
import { mutants, pathological, random } from './fuzzInputs';
import { HOSTILE_CORPUS } from './hostileInputs';
import { HOVER_URL, PANEL_URL, hoverHtml, loadHtmlParser, unsafeParts } from './htmlSafety';
import { SEED } from './paths';

/** The longest any single call may take: a freeze shows up as a failure, not as a hung test run. */
const CALL_BUDGET_MS = 5000;

describe('fuzz: importer, lint, renderer, panel, hover and matcher on hostile and broken notes', function () {
  this.timeout(120_000);
  let index: ConceptIndex;
  const inputs: { name: string; text: string }[] = [];
  const slowest = new Map<string, { ms: number; input: string }>();

  /** Runs one call, recording how long it took; an exception fails the test with the input named. */
  function call<T>(what: string, input: string, run: () => T): T {
    const started = performance.now();
    let result: T;
    try {
      result = run();
    } catch (error) {
      assert.fail(`${what} threw on ${input}: ${(error as Error).stack}`);
    }
    const ms = performance.now() - started;
    if (ms > (slowest.get(what)?.ms ?? -1)) slowest.set(what, { ms, input });
    return result;
  }

  function assertInert(what: string, input: string, html: string, allowUrl: (url: string) => boolean): void {
    const parts = unsafeParts(html, allowUrl);
    assert.deepEqual(parts, [], `${what} of ${input} is not inert`);
  }

  const warn = console.warn;
  before(async () => {
    // KaTeX warns on stdout for every character it has no metrics for (emoji): thousands of lines.
    console.warn = () => undefined;
    await loadHtmlParser();
    const next = random(12);
    const seedText = readFileSync(SEED, 'utf8');
    mutants(seedText, 120, next).forEach((text, i) => inputs.push({ name: `mutant #${i}`, text }));
    pathological().forEach((text, i) => inputs.push({ name: `pathological #${i} ${JSON.stringify(text.slice(0, 30))}`, text }));
    HOSTILE_CORPUS.forEach((text, i) => inputs.push({ name: `hostile #${i} ${JSON.stringify(text.slice(0, 40))}`, text }));
    // One index over the built-in base and every input's notes, so hovers can land on hostile notes.
    const notes: Concept[] = [];
    inputs.forEach(({ text }, i) => notes.push(...conceptsFromNotes(`notes/${i}/QA.md`, importQaNotes(text).entries)));
    index = buildConceptIndex([...builtin().concepts, ...notes], builtin().senses);
  });

  it('has mutated seed notes, pathological inputs and a hostile corpus of at least 200', () => {
    assert.ok(HOSTILE_CORPUS.length >= 200);
    assert.ok(inputs.length >= 120 + 200);
  });

  it('no call throws, every output is inert HTML, every hover links only to our commands', () => {
    const next = random(34);
    for (const { name, text } of inputs) {
      const { entries } = call('importQaNotes', name, () => importQaNotes(text));
      call('lintNotesFiles', name, () => lintNotesFiles([{ file: 'QA.md', text }, { file: 'other/QA.md', text: text.slice(0, 2000) }]));
      // The 20,000 questions typeset 20,000 formulas: linear, but seconds; a prefix keeps the suite short.
      const page = text.length > 300_000 ? text.slice(0, 300_000) : text;
      assertInert('renderMarkdown', name, call('renderMarkdown', name, () => renderMarkdown(page)), PANEL_URL);
      const inline = text.length > 100_000 ? text.slice(0, 100_000) : text;
      assertInert('renderInlineMarkdown', name, call('renderInlineMarkdown', name, () => renderInlineMarkdown(inline)), PANEL_URL);
      assertInert('renderFormula', name, call('renderFormula', name, () => renderFormula(inline)), PANEL_URL);
      assertInert('renderNotesHtml', name, call('renderNotesHtml', name, () => renderNotesHtml(entries.slice(0, 50))), PANEL_URL);
      const concepts = conceptsFromNotes('QA.md', entries.slice(0, 3));
      const titleOf = (id: string) => index.concepts.get(id)?.title.en;
      for (const concept of concepts) {
        assertInert('renderConceptHtml', name, call('renderConceptHtml', name, () => renderConceptHtml(concept, 'zh-cn', titleOf, concepts)), PANEL_URL);
        const hover = call('buildHoverMarkdown', name, () => buildHoverMarkdown({ concepts: [concept, ...concepts], lang: 'en', theme: 'dark', titleOf }));
        // VS Code renders hovers with marked (GFM autolinks on): parse it the same way.
        assertInert('hover', name, hoverHtml(hover), HOVER_URL);
      }
      // Hover the input as a document: a few lines, a few columns each, in prose and in code.
      const lines = text.split('\n');
      for (const languageId of ['markdown', 'python']) {
        const context = call('buildDocumentContext', name, () => buildDocumentContext(text, languageId, index));
        for (let k = 0; k < 12; k++) {
          const row = Math.floor(next() * lines.length);
          const line = lines[row];
          if (!line) continue;
          const column = Math.floor(next() * line.length);
          const match = call('findConceptAt', name, () => findConceptAt(index, line, column, context, row));
          if (!match) continue;
          const hover = call('buildHoverMarkdown', name, () =>
            buildHoverMarkdown({ concepts: match.concepts, lang: 'zh-cn', theme: 'light', titleOf, term: match.text }),
          );
          assertInert('hover', name, hoverHtml(hover), url => HOVER_URL(url) || url.startsWith('data:image/svg+xml;base64,'));
        }
      }
    }
    const over = [...slowest].filter(([, s]) => s.ms > CALL_BUDGET_MS);
    assert.deepEqual(over.map(([what, s]) => `${what} took ${s.ms.toFixed(0)} ms on ${s.input}`), []);
  });

  after(() => {
    console.warn = warn;
    // The slowest call of each kind, for the reader of a CI log (no assertion beyond the budget above).
    for (const [what, s] of slowest) console.log(`      slowest ${what}: ${s.ms.toFixed(1)} ms (${s.input.slice(0, 60)})`);
  });
});

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importQaNotes } from '../../src/core/importQaNotes';
import { renderNotesHtml } from '../../src/core/renderConcept';
import { boundLatexSizes, normalizeImageLinks, normalizeMathDelimiters, renderFormula, renderMarkdown } from '../../src/core/renderMarkdown';
import { HOSTILE_INPUTS } from './hostileInputs';
import { SEED } from './paths';

const ELEMENTS_THAT_RUN_OR_LOAD = new Set(
  'script iframe object embed img image link meta style base form input button frame frameset applet audio video source track foreignobject animate set details noscript textarea select'.split(' '),
);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc', 'data', 'poster', 'background']);
const SAFE_URL = /^(?:https?:|mailto:|#)/i;
const TAG = /<([A-Za-z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g;
const ATTRIBUTE = /([^\s=>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g;

/**
 * Everything in the output that could run code, load a resource or navigate somewhere unsafe: walks
 * every tag and attribute (markdown-it and KaTeX quote and escape attribute values, so a tag regex is
 * exact here) instead of searching the text, which would also flag harmless escaped text.
 */
function executableParts(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.matchAll(TAG)) {
    const name = tag[1].toLowerCase();
    if (ELEMENTS_THAT_RUN_OR_LOAD.has(name)) found.push(`element <${name}>`);
    for (const attr of tag[2].matchAll(ATTRIBUTE)) {
      const attrName = attr[1].toLowerCase();
      const value = (attr[2] ?? '').replace(/^["']|["']$/g, '');
      if (attrName.startsWith('on')) found.push(`handler ${attrName} on <${name}>`);
      if (URL_ATTRIBUTES.has(attrName) && !SAFE_URL.test(value.trim())) found.push(`${attrName}="${value}" on <${name}>`);
      if (attrName === 'style' && /url\(|expression\(|javascript:/i.test(value)) found.push(`style ${value}`);
    }
  }
  if (/<\s*script/i.test(html)) found.push('a <script tag the walker missed');
  return found;
}

describe('renderMarkdown', () => {
  it('typesets inline $…$, \\( … \\), display $$…$$ and multi-line display math', () => {
    const html = renderMarkdown('Inline $a^2$ and \\( b_i \\).\n\n$$\nc = \\frac{1}{2}\n$$\n\n$$\nd = e\n+ f\n$$');
    assert.equal(html.match(/class="katex"/g)?.length, 4);
    assert.equal(html.match(/class="katex-display"/g)?.length, 2);
    assert.ok(!html.includes('$$'));
  });

  it('typesets every formula of the seed notes, leaving no raw delimiter', () => {
    const { entries } = importQaNotes(readFileSync(SEED, 'utf8'));
    const html = renderNotesHtml(entries);
    assert.ok(!html.includes('$$'), 'raw $$ left');
    assert.ok(!/katex-error/.test(html), 'a seed formula failed to render');
    assert.ok((html.match(/class="katex"/g)?.length ?? 0) > 40);
    assert.match(html, /class="missing-image"[^>]*>\[CleanShot 2024-06-09 at 15\.16\.22\]/);
  });

  it('reads a whole line of $ … $ as display math and keeps currency alone', () => {
    assert.equal(normalizeMathDelimiters('$ c_i = x$'), '$$c_i = x$$');
    assert.equal(normalizeMathDelimiters('costs $5 and $6 today'), 'costs $5 and $6 today');
    assert.equal(normalizeMathDelimiters('`\\(x\\)`'), '`\\(x\\)`');
  });

  it('leaves math delimiters in code alone, with CommonMark code spans and fences', () => {
    assert.equal(normalizeMathDelimiters('``a ` \\(x\\)`` and \\(y\\)'), '``a ` \\(x\\)`` and $y$');
    assert.equal(normalizeMathDelimiters('```\n\\[x\\]\n```\n\\[y\\]'), '```\n\\[x\\]\n```\n$$y$$');
    // An unclosed fence runs to the end; a line starting with an inline code span opens no fence.
    assert.equal(normalizeMathDelimiters('~~~\n\\(x\\)'), '~~~\n\\(x\\)');
    assert.equal(normalizeMathDelimiters('```code``` \\(x\\) a\n\\(y\\) b'), '```code``` $x$ a\n$y$ b');
    assert.equal(normalizeMathDelimiters('\\\\[x\\]'), '\\\\[x\\]');
  });

  it('wraps image destinations that hold spaces, and only those', () => {
    assert.equal(normalizeImageLinks('![shot](/a/Clean Shot 1.png) ![b](c.png)'), '![shot](</a/Clean Shot 1.png>) ![b](c.png)');
    assert.equal(normalizeImageLinks('![![x](a b)'), '![![x](<a b>)');
    assert.equal(normalizeImageLinks('![a]\n(b c)'), '![a]\n(b c)');
  });

  it('cuts negative sizes that would move a formula far outside its block, and keeps ordinary ones', () => {
    const lengths = (html: string, property: string) =>
      [...html.matchAll(new RegExp(`${property}:(-?[\\d.]+)em`, 'g'))].map(m => Number(m[1]));
    const margins = (html: string) => lengths(html, 'margin-(?:left|right)');
    for (const attack of ['a\\kern-100000em b', 'a\\hspace{-5000cm} b', 'a\\mkern-900000mu b', 'a\\mskip -99999mu b']) {
      const shifts = margins(renderFormula(attack));
      assert.ok(shifts.length > 0, attack);
      assert.ok(Math.min(...shifts) >= -10, `${attack}: ${shifts}`);
    }
    const tops = lengths(renderMarkdown('$\\raisebox{-3000em}{x}$'), 'top');
    assert.ok(tops.length > 0 && Math.max(...tops.map(Math.abs)) <= 11, `${tops}`);
    assert.equal(boundLatexSizes('a\\\\[-500em] b \\rule[-300em]{1em}{1em}'), 'a\\\\[-10em] b \\rule[-10em]{1em}{1em}');
    // Typographic kerns, and a negative length that is only text, are left as written.
    assert.equal(boundLatexSizes('\\!\\kern-0.5em\\mkern-18mu x = -200mm'), '\\!\\kern-0.5em\\mkern-18mu x = -200mm');
  });

  it('shows raw HTML as text', () => {
    const html = renderMarkdown('<b>bold</b>');
    assert.match(html, /&lt;b&gt;bold&lt;\/b&gt;/);
  });

  it('renders the content of links it keeps and drops unsafe ones', () => {
    assert.match(renderMarkdown('[paper](https://arxiv.org/abs/1706.08500)'), /<a href="https:\/\/arxiv.org\/abs\/1706.08500">paper<\/a>/);
    assert.ok(!/<a /.test(renderMarkdown('[x](javascript:alert(1))')));
    assert.ok(!/<a /.test(renderMarkdown('[x](command:workbench.action.terminal.new)')));
  });

  describe(`a corpus of ${HOSTILE_INPUTS.length} hostile inputs`, () => {
    it('has at least 50 entries', () => assert.ok(HOSTILE_INPUTS.length >= 50));
    HOSTILE_INPUTS.forEach((input, n) => {
      it(`#${n + 1} ${JSON.stringify(input.slice(0, 50))} renders inert, in under a second`, () => {
        const started = performance.now();
        const html = renderMarkdown(input);
        const elapsed = performance.now() - started;
        assert.deepEqual(executableParts(html), []);
        assert.ok(elapsed < 1000, `took ${elapsed.toFixed(0)} ms`);
      });
    });
  });

  it('bounds macro expansion: a macro bomb renders an error box', () => {
    const html = renderMarkdown('$$\\def\\a{\\a\\a}\\a$$');
    assert.match(html, /katex-error/);
  });

  it('the checker itself catches what it must', () => {
    assert.notDeepEqual(executableParts('<img src=x onerror=alert(1)>'), []);
    assert.notDeepEqual(executableParts('<a href="javascript:alert(1)">x</a>'), []);
    assert.notDeepEqual(executableParts('<span onclick="x()">x</span>'), []);
    assert.deepEqual(executableParts('<a href="https://ok.example">x</a>'), []);
  });
});

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { latexSpans } from '../../src/core/latexInText';
import { MAX_SVG_CHARS, type TypesetResult, createTypesetter } from '../../src/core/texTypesetter';
import { HOSTILE_INPUTS } from './hostileInputs';
import { SEED } from './paths';

const typesetter = createTypesetter();
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', preserveOrder: true, allowBooleanAttributes: true });
/** What MathJax's SVG output is drawn with; a script, foreignObject, image or link is not among them. */
const DRAWING = new Set(['svg', 'defs', 'g', 'path', 'use', 'rect', 'line', 'title', 'desc', 'text', '#text']);

/** Parses the SVG for real and fails on anything that could run, load or link. */
function assertInert(svg: string, source: string): void {
  assert.ok(svg.length <= MAX_SVG_CHARS, `output too large for ${JSON.stringify(source)}`);
  const tree = parser.parse(svg, true) as unknown[];
  const walk = (nodes: unknown[]) => {
    for (const node of nodes as Record<string, unknown>[]) {
      for (const [key, value] of Object.entries(node)) {
        if (key === ':@') {
          for (const [attr, v] of Object.entries(value as Record<string, string>)) {
            assert.doesNotMatch(attr, /^@on/i, `event handler in ${JSON.stringify(source)}`);
            if (/href$/i.test(attr)) assert.match(String(v), /^#MJX-/, `external link in ${JSON.stringify(source)}`);
            assert.doesNotMatch(String(v), /javascript:|url\(/i, `active value in ${JSON.stringify(source)}`);
          }
          continue;
        }
        assert.ok(DRAWING.has(key), `element <${key}> in ${JSON.stringify(source)}`);
        if (Array.isArray(value)) walk(value);
      }
    }
  };
  walk(tree);
}

function timed(latex: string, display: boolean): { result: TypesetResult; ms: number } {
  const started = performance.now();
  const result = typesetter.typeset(latex, display);
  return { result, ms: performance.now() - started };
}

describe('typesetting the seed notes', () => {
  const seed = readFileSync(SEED, 'utf8');
  const spans = latexSpans(seed);

  it('finds inline $…$, \\( \\), display $$…$$ and multi-line formulas in it', () => {
    assert.ok(spans.length >= 40, `only ${spans.length} formulas found`);
    assert.ok(spans.some(s => seed.slice(s.start, s.start + 2) === '\\('));
    assert.ok(spans.some(s => seed.slice(s.start, s.start + 2) === '$$' && s.display));
    assert.ok(spans.some(s => seed[s.start] === '$' && seed[s.start + 1] !== '$' && !s.display));
    assert.ok(spans.some(s => s.display && seed.slice(s.start, s.end).split('\n').length >= 3), 'no multi-line formula');
  });

  it('typesets every one of them as inert SVG', () => {
    for (const span of spans) {
      const { result } = timed(span.latex, span.display);
      assert.ok('svg' in result, `${JSON.stringify(span.latex)}: ${'error' in result ? result.error : ''}`);
      assertInert(result.svg, span.latex);
      assert.match(result.svg, /<path|<use/);
      assert.match(result.svg, /currentColor/);
    }
  });
});

describe('typesetting untrusted LaTeX', () => {
  const hostileLatex = [
    ...HOSTILE_INPUTS.flatMap(input => [input, ...latexSpans(input).map(s => s.latex)]),
    '\\href{javascript:alert(1)}{x}',
    '\\html{x}',
    '\\require{html}\\href{javascript:alert(1)}{x}',
    '\\def\\a{\\a}\\a',
    '\\let\\x=\\frac \\x12',
    '\\newcommand{\\a}{\\a\\a}\\a',
    '\\text{" onload="alert(1)}',
    '\\text{</svg><script>alert(1)</script>}',
    '\\mathrm{<img src=x onerror=alert(1)>}',
    '\\operatorname{javascript:alert(1)}',
    '\\rule{1000000em}{1000000em}',
    '\\kern9999999em x',
    'x^{'.repeat(400) + 'x' + '}'.repeat(400),
    '\\frac{'.repeat(200) + '1' + '}{2}'.repeat(200),
    '\\sqrt{'.repeat(300) + 'x' + '}'.repeat(300),
    '\\begin{matrix}' + 'x & '.repeat(300) + 'x\\end{matrix}',
    '\\sum '.repeat(1900),
    'x'.repeat(5000),
    '\\begin{aligned}' + 'a &= b \\\\ '.repeat(150) + '\\end{aligned}',
    '\\left('.repeat(500) + 'x' + '\\right)'.repeat(500),
    '\\color{red}{x}',
    '\\style{background:url(x)}{x}',
    '\\unicode{x3C}',
    '\\mmlToken{mi}{x}',
    '\\\\'.repeat(1000),
    '\u0000\u0001\uffff\ud800',
  ];

  it('bounds each formula (< 200 ms) and returns inert SVG or a short message', () => {
    for (const latex of hostileLatex) {
      for (const display of [true, false]) {
        const { result, ms } = timed(latex, display);
        assert.ok(ms < 200, `${ms.toFixed(0)} ms for ${JSON.stringify(latex.slice(0, 60))}`);
        if ('svg' in result) assertInert(result.svg, latex);
        else assert.ok(result.error.length > 0 && result.error.length <= 80, result.error);
      }
    }
  });

  it('refuses links, HTML, includes and macro definitions by name', () => {
    for (const [latex, command] of [
      ['\\href{javascript:alert(1)}{x}', 'href'],
      ['\\url{x}', 'url'],
      ['\\htmlStyle{x}{y}', 'htmlStyle'],
      ['\\includegraphics{x.png}', 'includegraphics'],
      ['\\def\\a{\\a}\\a', 'def'],
    ]) {
      const result = typesetter.typeset(latex, true);
      assert.deepEqual(result, { error: `\\${command} is not allowed in a hover formula` });
    }
  });

  it('reports invalid LaTeX with MathJax\'s own message', () => {
    assert.deepEqual(typesetter.typeset('\\frac{1}{', true), { error: 'Missing close brace' });
    assert.deepEqual(typesetter.typeset('\\nosuchmacro x', true), { error: 'Undefined control sequence \\nosuchmacro' });
  });

  it('survives a seeded fuzz of random LaTeX, each formula bounded and inert', () => {
    let state = 0x9e3779b9;
    const random = () => {
      // mulberry32: a fixed seed, so a failure reproduces.
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const tokens = [
      'x', 'y', '1', '+', '-', '=', '^', '_', '{', '}', '(', ')', '[', ']', '&', '\\\\', '\\frac', '\\sqrt', '\\sum', '\\int',
      '\\left(', '\\right)', '\\begin{matrix}', '\\end{matrix}', '\\begin{aligned}', '\\end{aligned}', '\\text{', '\\mathbb{',
      '\\mathcal{', '\\alpha', '\\theta', '\\mid', '\\|', ' ', '%', '#', '~', '$', '<', '>', '"', "'", '\\href{', '\\def',
      '\\color{', '\\kern', '\\rule{', 'em}', '\\hat', '\\tilde', '\\overbrace{', '\\underset{', '\\operatorname{', '\\,', '\\!',
    ];
    for (let n = 0; n < 400; n++) {
      const length = 1 + Math.floor(random() * 60);
      const latex = Array.from({ length }, () => tokens[Math.floor(random() * tokens.length)]).join('');
      const { result, ms } = timed(latex, random() < 0.5);
      assert.ok(ms < 200, `${ms.toFixed(0)} ms for ${JSON.stringify(latex)}`);
      if ('svg' in result) assertInert(result.svg, latex);
      else assert.ok(result.error.length > 0 && result.error.length <= 80, `${JSON.stringify(latex)}: ${result.error}`);
    }
  });
});

import * as assert from 'node:assert/strict';
import { fitSvg, formulaImageMarkdown, proseWithMathMarkdown } from '../../src/core/formulaMarkdown';
import { NOTE_EXCERPT_COLUMNS, buildHoverMarkdown, noteExcerpt } from '../../src/core/hoverMarkdown';
import { FORMULA_INK } from '../../src/core/knowledgeBase';
import { createTypesetter } from '../../src/core/texTypesetter';
import { concept } from './conceptFixtures';

const typesetter = createTypesetter();
const mathImage = (latex: string, display: boolean) => typesetter.typeset(latex, display);
const decode = (md: string) => [...md.matchAll(/data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/g)].map(m => Buffer.from(m[1], 'base64').toString('utf8'));
const widthEx = (svg: string) => Number(/^<svg[^>]*\swidth="([\d.]+)ex"/.exec(svg)![1]);

describe('formula images in hovers', () => {
  it('inks the image for each of the four theme kinds and gives it a readable alt text', () => {
    const result = typesetter.typeset('\\mu + \\sigma^2 \\le \\infty', true);
    for (const theme of ['light', 'dark', 'hcDark', 'hcLight'] as const) {
      const md = formulaImageMarkdown(result, '\\mu + \\sigma^2 \\le \\infty', theme);
      assert.match(md, /^!\[μ \+ σ\^2 ≤ ∞\]\(data:image\/svg\+xml;base64,/);
      const [svg] = decode(md);
      assert.ok(svg.includes(`fill="${FORMULA_INK[theme]}"`), theme);
      assert.doesNotMatch(svg, /currentColor/);
    }
    assert.notEqual(FORMULA_INK.hcDark, FORMULA_INK.dark);
    assert.notEqual(FORMULA_INK.hcLight, FORMULA_INK.light);
  });

  it('shows invalid LaTeX as its text with a short message', () => {
    const md = formulaImageMarkdown(typesetter.typeset('\\frac{1}{', true), '\\frac{1}{', 'dark');
    assert.equal(md, '`\\frac1` *(Missing close brace)*');
  });

  it('breaks the classifier-free guidance formula into lines, and scales what cannot break', () => {
    const cfg = '\\tilde\\epsilon_\\theta(x_t, c) = \\epsilon_\\theta(x_t, \\varnothing) + s \\big(\\epsilon_\\theta(x_t, c) - \\epsilon_\\theta(x_t, \\varnothing)\\big) = (1 + w)\\, \\epsilon_\\theta(x_t, c) - w\\, \\epsilon_\\theta(x_t, \\varnothing), \\qquad s = 1 + w';
    const result = typesetter.typeset(cfg, true);
    assert.ok('svg' in result);
    assert.ok(widthEx(result.svg) <= 58, `width ${widthEx(result.svg)}ex`);
    const wide = '<svg xmlns="http://www.w3.org/2000/svg" width="116ex" height="4ex" viewBox="0 0 10 1"><g/></svg>';
    assert.equal(fitSvg(wide, 58, 18), '<svg xmlns="http://www.w3.org/2000/svg" width="58.000ex" height="2.000ex" viewBox="0 0 10 1"><g/></svg>');
    assert.equal(fitSvg('<svg width="10ex" height="2ex"></svg>', 58, 18), '<svg width="10ex" height="2ex"></svg>');
    assert.equal(fitSvg('<svg width="10ex" height="2ex"></svg>', 58, 18, 0.5), '<svg width="5.000ex" height="1.000ex"></svg>');
  });

  it('typesets the math in prose and escapes the rest', () => {
    const md = proseWithMathMarkdown('EMA: $\\theta_{\\mathrm{ema}} \\leftarrow \\theta$ *kept*', 'light', mathImage);
    assert.match(md, /^EMA\\: !\[θ_ema ← θ\]\(data:image\/svg\+xml;base64,[^)]+\) \\\*kept\\\*$/);
    assert.equal(proseWithMathMarkdown('EMA: $\\theta_t$', 'light', () => undefined), 'EMA\\: `θ_t`');
  });
});

describe('"From your notes" excerpts', () => {
  const answer = [
    '### 分配步骤',
    '',
    '在这个步骤中，每个数据点 \\( x \\) 被分配到最近的质心 \\( c_i \\)，目标函数 $\\sum_{i=1}^{K} \\sum_{x \\in G_i} ||x - c_i||^2$ 不会增加。',
    '',
    '$$',
    'c_i = \\frac{1}{|G_i|} \\sum_{x \\in G_i} x',
    '$$',
    '',
    'More lines that the hover leaves out.',
  ].join('\n');
  const note = concept('note:QA.md:3', {
    source: { file: 'QA.md', line: 3 },
    qa: { en: [], 'zh-cn': [{ question: 'K-均值为何收敛？', answer }] },
  });

  it('is the question and the first lines, short, cut outside a formula', () => {
    const excerpt = noteExcerpt(note, 'zh-cn');
    assert.ok(excerpt.startsWith('K-均值为何收敛？ — 在这个步骤中'), excerpt);
    assert.doesNotMatch(excerpt, /\$[^$]*…$/, 'cut inside a formula');
    const columns = [...excerpt].reduce((n, ch) => n + (/[\u4e00-\u9fff\uff00-\uff60]/.test(ch) ? 2 : 1), 0);
    assert.ok(columns <= NOTE_EXCERPT_COLUMNS, `${columns} columns`);
    assert.match(excerpt, /…$/);
    assert.doesNotMatch(excerpt, /More lines|c_i = /);
  });

  it('shows the excerpt math as images with text alternatives, each one line high', () => {
    assert.match(noteExcerpt(note, 'zh-cn'), /\\\( x \\\)/);
    const md = buildHoverMarkdown({ concepts: [concept('kmeans'), note], lang: 'zh-cn', theme: 'dark', mathImage, titleOf: () => undefined });
    const notePart = md.slice(md.indexOf('来自你的笔记'));
    assert.match(notePart, /!\[x\]\(data:image\/svg\+xml/);
    for (const svg of decode(notePart)) assert.ok(Number(/height="([\d.]+)ex"/.exec(svg)![1]) <= 2.5);
  });

  it('typesets a notes-only concept\'s formula', () => {
    const own = concept('note:QA.md:9', { source: { file: 'QA.md', line: 9 }, summary: { en: 'EMA of $\\theta$.', 'zh-cn': 'EMA of $\\theta$.' }, formulas: ['\\theta_{\\mathrm{ema}} \\leftarrow \\beta\\theta_{\\mathrm{ema}} + (1-\\beta)\\theta'] });
    const md = buildHoverMarkdown({ concepts: [own], lang: 'en', theme: 'light', mathImage, titleOf: () => undefined });
    assert.match(md, /!\[θ_ema ← βθ_ema \+ \(1-β\)θ\]\(data:image\/svg\+xml;base64,/);
    assert.match(md, /^EMA of !\[θ\]\(data:image\/svg\+xml;base64,[^)]+\)\\\.$/m, 'summary math typeset');
  });
});

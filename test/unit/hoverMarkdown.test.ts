import * as assert from 'node:assert/strict';
import { buildHoverMarkdown, escapeMarkdown, latexToReadableText } from '../../src/core/hoverMarkdown';
import { concept } from './conceptFixtures';

describe('buildHoverMarkdown', () => {
  const elbo = concept('elbo', {
    title: { en: 'Evidence lower bound (ELBO)', 'zh-cn': '证据下界（ELBO）' },
    summary: { en: 'A lower bound on ln p(x).', 'zh-cn': '对数证据的下界。' },
    formulas: ['\\ln p(X) = \\mathcal{L}(q) + \\mathrm{KL}'],
    related: ['kl', 'missing'],
    snippets: ['elbo-gaussian-numpy'],
  });
  const note = concept('note:notes/QA.md:3', { source: { file: 'notes/QA.md', line: 3 }, qa: { en: [{ question: 'What is **ELBO**?', answer: 'x' }], 'zh-cn': [] } });
  const titles: Record<string, string> = { kl: 'KL divergence' };
  const build = (lang: 'en' | 'zh-cn', concepts = [elbo]) =>
    buildHoverMarkdown({ concepts, lang, theme: 'dark', formulaImages: { elbo: '<svg fill="currentColor"/>' }, titleOf: id => titles[id] });

  it('shows the title in the display language first, the summary, the formula image and links', () => {
    const md = build('en');
    const lines = md.split('\n');
    assert.equal(lines[0], '**Evidence lower bound \\(ELBO\\)** · *证据下界（ELBO）*');
    assert.equal(lines[2], 'A lower bound on ln p\\(x\\)\\.');
    assert.match(md, new RegExp(`!\\[[^\\]]*\\]\\(data:image/svg\\+xml;base64,${Buffer.from('<svg fill="#cccccc"/>').toString('base64').replace(/[+/]/g, '\\$&')}\\)`));
    assert.match(md, /\[Open explanation\]\(command:mlConceptLens\.openPanel\?%5B%22elbo%22%5D\)/);
    assert.match(md, /\[Insert implementation\]\(command:mlConceptLens\.insertImplementation\?/);
    assert.match(md, /Related: \[KL divergence\]\(command:mlConceptLens\.openPanel\?%5B%22kl%22%5D\)$/m);
    assert.ok(!md.includes('missing'));
  });

  it('puts Chinese first for zh-cn', () => {
    assert.match(build('zh-cn'), /^\*\*证据下界（ELBO）\*\* · \*Evidence lower bound \\\(ELBO\\\)\*/);
    assert.match(build('zh-cn'), /\[打开讲解\]/);
  });

  it('adds "From your notes" with the question and a link to the line', () => {
    const md = build('en', [elbo, note]);
    assert.match(md, /\*\*From your notes:\*\* What is \\\*\\\*ELBO\\\*\\\*\? \[open note\]\(command:mlConceptLens\.openNote\?%5B%22notes%2FQA\.md%22%2C3%5D\)/);
  });

  it('escapes Markdown in text so notes cannot inject links', () => {
    assert.equal(escapeMarkdown('[x](command:evil)'), '\\[x\\]\\(command:evil\\)');
  });

  it('writes simple LaTeX readably when there is no image', () => {
    assert.equal(latexToReadableText('\\frac{a}{b} + \\sum_i \\mu_i \\le \\infty'), '(a)/(b) + Σ_i μ_i ≤ ∞');
  });
});

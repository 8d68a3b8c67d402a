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
    buildHoverMarkdown({ concepts, lang, theme: 'dark', formulaImage: concepts[0].id === 'elbo' ? '<svg fill="currentColor"/>' : undefined, titleOf: id => titles[id] });

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
    assert.match(md, /\*\*From your notes:\*\* What is ELBO\? — x \[open note\]\(command:mlConceptLens\.openNote\?%5B%22notes%2FQA\.md%22%2C3%5D\)/);
  });

  it('leads with the pitfall of a hovered call, in the display language, and only for that call', () => {
    const kl = concept('kl-divergence', {
      title: { en: 'KL divergence', 'zh-cn': 'KL 散度' },
      identifiers: ['kl_divergence'],
      pitfalls: [
        {
          api: 'F.kl_div(input, target)',
          calls: ['kl_div', 'KLDivLoss'],
          text: { en: '`input` must be log-probabilities.', 'zh-cn': '`input` 必须是对数概率。' },
          checked: 'PyTorch docs',
        },
      ],
    });
    const hover = (term: string, lang: 'en' | 'zh-cn' = 'en') =>
      buildHoverMarkdown({ concepts: [kl], lang, theme: 'light', titleOf: () => undefined, term }).split('\n')[0];
    assert.equal(hover('kl_div'), '$(warning) **F\\.kl\\_div\\(input, target\\)** — `input` must be log\\-probabilities\\.');
    assert.match(hover('KLDivLoss', 'zh-cn'), /对数概率/);
    assert.match(hover('klDiv'), /warning/);
    assert.doesNotMatch(hover('kl_divergence'), /warning/);
  });

  it('under a note named by the term, lists the built-in concept that also claims it', () => {
    const ddpm = concept('ddpm', { title: { en: 'DDPM', 'zh-cn': 'DDPM' }, summary: { en: 'Denoising diffusion.', 'zh-cn': '去噪扩散。' } });
    const md = build('en', [note, ddpm]);
    assert.match(md, /\*\*Built-in:\*\* \[DDPM\]\(command:mlConceptLens\.openPanel\?%5B%22ddpm%22%5D\) — Denoising diffusion\\\./);
    assert.doesNotMatch(build('en', [elbo, note]), /Built-in/);
  });

  it('escapes Markdown in text so notes cannot inject links', () => {
    assert.equal(escapeMarkdown('[x](command:evil)'), '\\[x\\]\\(command\\:evil\\)');
  });

  it('writes simple LaTeX readably when there is no image', () => {
    assert.equal(latexToReadableText('\\frac{a}{b} + \\sum_i \\mu_i \\le \\infty'), '(a)/(b) + Σ_i μ_i ≤ ∞');
  });
});

describe('buildHoverMarkdown with many notes on one term', () => {
  it('lists three notes and counts the rest', () => {
    const main = concept('elbo', { title: { en: 'ELBO', 'zh-cn': '证据下界' } });
    const notes = Array.from({ length: 17 }, (_, i) =>
      concept(`note:n${i}.md:1`, { source: { file: `n${i}.md`, line: 1 }, qa: { en: [{ question: `Question ${i}?`, answer: 'a' }], 'zh-cn': [] } }),
    );
    const md = buildHoverMarkdown({ concepts: [main, ...notes], lang: 'en', theme: 'light', titleOf: () => undefined });
    assert.equal(md.match(/From your notes/g)?.length, 3);
    assert.match(md, /and 14 more in your notes/);
    const zh = buildHoverMarkdown({ concepts: [main, ...notes], lang: 'zh-cn', theme: 'light', titleOf: () => undefined });
    assert.match(zh, /你的笔记中还有 14 条/);
  });
});

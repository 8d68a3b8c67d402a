import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { checkConceptMath } from '../../src/build/checkConceptMath';
import { formulaSvg } from '../../src/build/formulaSvg';
import { CONTENT_LANGUAGES } from '../../src/core/concept';
import { parseConceptFile } from '../../src/core/conceptSchema';
import { renderFormula } from '../../src/core/renderMarkdown';
import { renderConceptHtml, renderConceptParts } from '../../src/core/renderConcept';
import { lookupConcept } from '../../src/core/searchConcepts';
import { builtin } from './builtinIndex';
import { ROOT } from './paths';

describe('built-in knowledge base', () => {
  const { concepts } = builtin();
  const byId = new Map(concepts.map(c => [c.id, c]));
  const text = (id: string, lang: 'en' | 'zh-cn') => {
    const c = byId.get(id);
    assert.ok(c, `missing concept ${id}`);
    return [c.summary[lang], ...c.qa[lang].flatMap(q => [q.question, q.answer])].join('\n');
  };

  it('has at least 30 concepts, every topic populated, all valid', () => {
    assert.ok(concepts.length >= 30, `${concepts.length} concepts`);
    for (const topic of builtin().topics) assert.ok(concepts.some(c => c.topic === topic.id), topic.id);
  });

  it('has both languages for every title, summary and question', () => {
    for (const c of concepts)
      for (const lang of CONTENT_LANGUAGES) {
        assert.ok(c.title[lang] && c.summary[lang], `${c.id} ${lang}`);
        assert.ok(c.qa[lang].length >= 1, `${c.id} has no ${lang} questions`);
      }
  });

  it('typesets every formula with KaTeX without an error', function () {
    this.timeout(30_000); // ~600 formulas on a busy 2-core CI machine
    for (const c of concepts) for (const f of c.formulas) assert.ok(!renderFormula(f).includes('katex-error'), `${c.id}: ${f}`);
  });

  it('renders every concept page in both languages with no raw math left', function () {
    this.timeout(120_000); // KaTeX's first render of 295 pages × 2 languages on a cold, busy CI core
    for (const c of concepts)
      for (const lang of CONTENT_LANGUAGES) {
        const html = renderConceptHtml(c, lang, id => byId.get(id)?.title[lang]);
        assert.ok(!html.includes('$$'), `${c.id} ${lang}: raw $$`);
        assert.ok(!html.includes('katex-error'), `${c.id} ${lang}: KaTeX error`);
      }
  });

  it('renders a page in parts (top first, then questions, notes, links) that add up to the whole page', () => {
    const c = byId.get('elbo')!;
    const titleOf = (id: string) => byId.get(id)?.title.en;
    const whole = renderConceptHtml(c, 'en', titleOf);
    const parts = renderConceptParts(c, 'en', titleOf);
    const sections = (html: string) => html.match(/<section class="qa">/g)?.length ?? 0;
    assert.ok(sections(whole) >= 3);
    assert.equal(sections(parts.top), 0);
    assert.equal(sections(parts.qa), sections(whole));
    assert.equal(parts.notes, '');
    assert.equal([parts.top, parts.qa, parts.tail].join('\n'), whole);
  });

  it('answers every question of the seed notes', () => {
    const seedQuestions: [string, RegExp, RegExp][] = [
      ['kmeans-objective', /non-increasing|never increase|cannot increase/i, /不会增加|不增|非增/],
      ['kmeans', /finite|finitely/i, /有限/],
      ['linear-autoencoder', /subspace/i, /子空间/],
      ['vae', /KL/, /KL/],
      ['latent-space', /interpolat/i, /插值/],
      ['elbo', /p\(X,\s*Z\)\s*\/\s*p\(Z\s*\\mid\s*X\)|\\frac\{p\(X,\s*Z\)\}\{p\(Z\s*\\mid\s*X\)\}/, /KL/],
      ['diffusion-beyond-images', /Diffusion-LM/, /Diffusion-LM/],
      ['fid', /Inception/, /Inception/],
      ['long-context', /retrieval|RAG/i, /检索|RAG/],
    ];
    for (const [id, en, zh] of seedQuestions) {
      assert.match(text(id, 'en'), en, `${id} (en)`);
      assert.match(text(id, 'zh-cn'), zh, `${id} (zh-cn)`);
    }
  });

  it('makes the corrections the content guide lists', () => {
    assert.doesNotMatch(text('kmeans-objective', 'en'), /\bstrictly decreas(es|ing) (at|in) every/i);
    assert.match(text('kmeans', 'en') + text('kmeans-objective', 'en'), /local (optimum|minimum)/i);
    assert.match(text('linear-autoencoder', 'en'), /invertible/i);
    assert.match(text('linear-autoencoder', 'en'), /orthonormal|orthogonal/i);
    assert.match(text('vae', 'en') + text('beta-vae', 'en') + text('latent-space', 'en'), /not guaranteed|no guarantee/i);
    assert.match(text('vae', 'en'), /log\s*\\?sigma\^2|logvar|log-variance|log variance/i);
    assert.match(text('elbo', 'en'), /Jensen/);
    assert.match(text('fid', 'en'), /sample size|number of samples|biased/i);
    assert.match(text('fid', 'en'), /2048/);
    assert.match(text('fid', 'en'), /clean-?fid|resiz/i);
    for (const system of ['D3PM', 'DiffWave', 'WaveGrad', 'Video Diffusion'])
      assert.match(text('diffusion-beyond-images', 'en'), new RegExp(system), system);
    assert.match(text('long-context', 'en') + text('sliding-window', 'en'), /FlashAttention[\s\S]{0,80}\bexact|\bexact[\s\S]{0,80}FlashAttention/i);
    assert.match(text('lost-in-the-middle', 'en'), /beginning|start/i);
  });

  it('finds concepts by English, Chinese, alias and identifier', () => {
    const id = (q: string) => lookupConcept(concepts, q)?.id;
    assert.equal(id('elbo'), 'elbo');
    assert.equal(id('变分下界'), 'elbo');
    assert.equal(id('Evidence Lower Bound'), 'elbo');
    assert.equal(id('KMeans'), 'kmeans');
    assert.equal(id('k-means++'), 'kmeans-plus-plus');
    assert.equal(id('frechet inception'), 'fid');
    assert.equal(id('滑动窗口'), 'sliding-window');
    assert.equal(id('qwertyuiop'), undefined);
  });

  it('reports a content problem with its file and line', () => {
    const file = join(ROOT, 'src', 'content', 'concepts', 'elbo.md');
    const broken = readFileSync(file, 'utf8').replace(/^topic: .*$/m, 'topic: astrology');
    const { problems } = parseConceptFile('src/content/concepts/elbo.md', broken, new Set(builtin().topics.map(t => t.id)));
    assert.equal(problems.length, 1);
    assert.match(`${problems[0].file}:${problems[0].line}: ${problems[0].message}`, /^src\/content\/concepts\/elbo\.md:3: topic "astrology" is not in src\/content\/topics\.yaml/);
  });
});

describe('build-time content checks', () => {
  const concept = builtin().concepts.find(c => c.id === 'jensen-inequality')!;
  const file = 'src/content/concepts/jensen-inequality.md';
  const source = readFileSync(join(ROOT, file), 'utf8');
  const topics = new Set(builtin().topics.map(t => t.id));

  it('rejects answers whose en and zh-cn differ in display formulas or code blocks', () => {
    const broken = source.replace(/(# zh-cn[\s\S]*?\n)\$\$\n([\s\S]*?)\n\$\$\n/, '$1');
    const { problems } = parseConceptFile(file, broken, topics);
    assert.ok(problems.some(p => /en has \d+ display formulas and 0 code blocks, zh-cn has \d+/.test(p.message)), JSON.stringify(problems));
  });

  it('rejects text that says where the content came from', () => {
    const { problems } = parseConceptFile(file, source.replace('For a random variable', 'As the seed notes say, for a random variable'), topics);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /where the content came from/);
  });

  it('typesets in KaTeX strict mode and MathJax, with file:line', async () => {
    // Chinese outside \text{} is what KaTeX only warns about: strict mode makes it an error.
    const unicode = { ...concept, formulas: ['x = 步长'], qa: { en: [{ question: 'Q?', answer: 'Here $\\eta = 步长$ is.' }], 'zh-cn': [] } };
    const { problems } = await checkConceptMath(unicode, file, `---\nformulas:\n  - 'x = 步长'\n---\nHere $\\eta = 步长$ is.\n`);
    assert.ok(problems.some(p => p.line === 3 && /formula \(KaTeX\)/.test(p.message)), JSON.stringify(problems));
    assert.ok(problems.some(p => p.line === 5 && /en math "\\eta = 步长" \(KaTeX strict\)/.test(p.message)), JSON.stringify(problems));
    const fine = await checkConceptMath({ ...concept, formulas: ['x = \\text{步长}'], qa: { en: [], 'zh-cn': [] } }, file, '');
    assert.deepEqual(fine.problems, []);
    const broken = await checkConceptMath({ ...concept, formulas: ['\\frac{1}{'], qa: { en: [], 'zh-cn': [] } }, file, '');
    assert.match(broken.problems.map(p => p.message).join('\n'), /MathJax/);
  });

  it('makes lean, well-formed SVG even when the LaTeX holds < and &', async () => {
    const svg = await formulaSvg('a < b \\;\\&\\; c > d');
    assert.equal(XMLValidator.validate(svg), true);
    assert.doesNotMatch(svg, /data-/);
    assert.match(svg, /^<svg[^>]*viewBox/);
  });
});

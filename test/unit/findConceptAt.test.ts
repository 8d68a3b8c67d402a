import * as assert from 'node:assert/strict';
import { buildConceptIndex } from '../../src/core/conceptIndex';
import { buildDocumentContext } from '../../src/core/documentContext';
import { findConceptAt } from '../../src/core/findConceptAt';
import { concept } from './conceptFixtures';
import { shippedSenses } from './shippedSenses';

const index = buildConceptIndex([
  concept('elbo', { aliases: { en: ['evidence lower bound'], 'zh-cn': ['变分下界', '证据下界'], abbr: ['ELBO'] }, identifiers: ['elbo', 'neg_elbo', 'computeElbo'] }),
  concept('kl', { aliases: { en: ['KL divergence'], 'zh-cn': ['KL散度'], abbr: ['KL'] }, identifiers: ['kl_div', 'kl_loss'], ambiguous: ['KL'] }),
  concept('fid', { identifiers: ['fid', 'fid_score'], ambiguous: ['fid'] }),
  concept('kmeans', { aliases: { en: ['k-means'], 'zh-cn': ['K-均值'], abbr: [] }, identifiers: ['KMeans', 'kmeans'] }),
  concept('kpp', { aliases: { en: ['k-means++'], 'zh-cn': [], abbr: [] }, identifiers: ['kMeansPlusPlus', 'kmeans_plus_plus'] }),
  concept('is', { aliases: { en: ['Inception Score'], 'zh-cn': [], abbr: ['IS'] }, ambiguous: ['IS'], caseSensitive: ['IS'] }),
  concept('chunking', { identifiers: ['chunk_size', 'chunk'], ambiguous: ['chunk', 'chunk_size'] }),
], shippedSenses());

/** Hovers the middle of `term` (default: the needle) on the first line containing `needle`. */
function at(text: string, needle: string, languageId = 'python', term = needle) {
  const lines = text.split('\n');
  const row = lines.findIndex(l => l.includes(needle));
  assert.ok(row >= 0, `needle ${needle} not in text`);
  const col = lines[row].indexOf(term, lines[row].indexOf(needle)) + Math.floor(term.length / 2);
  const match = findConceptAt(index, lines[row], col, buildDocumentContext(text, languageId, index), row);
  return match && { id: match.concepts[0].id, text: match.text };
}

describe('findConceptAt', () => {
  it('finds terms in every identifier convention and returns the term range', () => {
    assert.deepEqual(at('loss = neg_elbo(x)', 'neg_elbo'), { id: 'elbo', text: 'neg_elbo' });
    assert.deepEqual(at('const v = computeElbo(x)', 'computeElbo', 'typescript'), { id: 'elbo', text: 'computeElbo' });
    assert.deepEqual(at('m = KMeans(3)', 'KMeans'), { id: 'kmeans', text: 'KMeans' });
    assert.deepEqual(at('c = kMeansPlusPlus(x)', 'kMeansPlusPlus'), { id: 'kpp', text: 'kMeansPlusPlus' });
    assert.deepEqual(at('elbo_per_sample = 1', 'elbo_per', 'python', 'elbo'), { id: 'elbo', text: 'elbo' });
    // Anywhere on an identifier that contains a term: the term, and only the term, is the range.
    assert.deepEqual(at('elbo_per_sample = 1', 'sample'), { id: 'elbo', text: 'elbo' });
    assert.equal(at('per_sample = 1', 'sample'), undefined);
  });

  it('on the space inside a phrase, matches only a term that spans it', () => {
    const line = 'maximise the evidence lower bound here';
    const ctx = buildDocumentContext(line, 'markdown', index);
    const space = line.indexOf(' lower');
    assert.equal(findConceptAt(index, line, space, ctx)?.text, 'evidence lower bound');
    assert.equal(findConceptAt(index, 'the elbo is', 'the elbo'.length, buildDocumentContext('the elbo is', 'markdown', index)), undefined);
  });

  it('prefers the longest term: k-means++ over k-means', () => {
    assert.deepEqual(at('We use k-means++ seeding.', 'k-means++', 'markdown'), { id: 'kpp', text: 'k-means++' });
  });

  it('matches multi-word phrases and Chinese without spaces', () => {
    assert.deepEqual(at('# maximise the evidence lower bound', 'lower'), { id: 'elbo', text: 'evidence lower bound' });
    assert.deepEqual(at('我们最大化变分下界来训练', '下界', 'markdown'), { id: 'elbo', text: '变分下界' });
    assert.deepEqual(at('用K-均值聚类', '均值', 'markdown'), { id: 'kmeans', text: 'K-均值' });
  });

  it('keeps ambiguous terms silent without ML context', () => {
    assert.equal(at('fid = os.open(path, os.O_RDONLY)', 'fid'), undefined);
    assert.equal(at('def read(fid):\n    return fid.read()', 'fid.read'), undefined);
    const download = 'import requests\nfor chunk in r.iter_content(chunk_size=8192):\n    f.write(chunk)';
    assert.equal(at(download, 'chunk_size'), undefined);
    assert.equal(at(download, 'f.write', 'python', 'chunk'), undefined);
  });

  it('lets ambiguous terms fire in ML code, unless the line gives another meaning away', () => {
    const ml = 'import torch\nfid = compute(real, fake)\nfd = os.open(p); fid = fd';
    assert.deepEqual(at(ml, 'fid = compute', 'python', 'fid'), { id: 'fid', text: 'fid' });
    assert.equal(at(ml, 'fid = fd', 'python', 'fid'), undefined);
  });

  it('in prose, ambiguous terms fire only as abbreviations', () => {
    const notes = 'The ELBO has a KL term.\nopen a new chunk of kl text';
    assert.deepEqual(at(notes, 'KL term', 'markdown', 'KL'), { id: 'kl', text: 'KL' });
    assert.equal(at(notes, 'kl text', 'markdown', 'kl'), undefined);
    assert.equal(at(notes, 'chunk of', 'markdown', 'chunk'), undefined);
  });

  it('matches case-sensitive terms only in their exact spelling', () => {
    const doc = 'import torch\nIS = inception_score(p)\nif x is None: pass';
    assert.deepEqual(at(doc, 'IS =', 'python', 'IS'), { id: 'is', text: 'IS' });
    assert.equal(at(doc, 'is None', 'python', 'is'), undefined);
  });

  it('returns nothing off a term and for columns outside the line', () => {
    const context = buildDocumentContext('', 'python', index);
    assert.equal(findConceptAt(index, 'x = 1', 2, context), undefined);
    assert.equal(findConceptAt(index, 'elbo', 10, context), undefined);
    assert.equal(findConceptAt(index, 'elbo', -1, context), undefined);
  });

  it('costs the same on a 2 MB line: only the cursor window is read', () => {
    const line = `${'x'.repeat(1_000_000)} elbo ${'y'.repeat(1_000_000)}`;
    const match = findConceptAt(index, line, 1_000_002, buildDocumentContext('', 'python', index));
    assert.equal(match?.concepts[0].id, 'elbo');
    assert.equal(match?.start, 1_000_001);
  });
});

describe('notes and built-in concepts on one term', () => {
  const ddpm = concept('ddpm', {
    title: { en: 'Denoising diffusion probabilistic model (DDPM)', 'zh-cn': '去噪扩散概率模型' },
    aliases: { en: ['denoising diffusion probabilistic model', 'denoising diffusion implicit model'], 'zh-cn': [], abbr: ['DDPM', 'DDIM'] },
    identifiers: ['q_sample'],
  });
  const elbo = concept('elbo', { title: { en: 'ELBO', 'zh-cn': '证据下界（ELBO）' }, aliases: { en: [], 'zh-cn': ['证据下界', '变分下界'], abbr: ['ELBO'] } });
  const note = (id: string, en: string, zh: string, abbr: string[]) =>
    concept(id, { title: { en, 'zh-cn': zh }, aliases: { en: [en], 'zh-cn': [zh], abbr }, source: { file: 'QA.md', line: 1 } });
  const first = (concepts: ReturnType<typeof concept>[], term: string, text: string) => {
    const index = buildConceptIndex(concepts);
    const m = findConceptAt(index, text, text.indexOf(term) + 1, buildDocumentContext(text, 'markdown', index), 0);
    return m?.concepts.map(c => c.id);
  };

  it('a note named by a term the base has only as a secondary alias leads', () => {
    const ddim = note('note:ddim', 'denoising diffusion implicit model', '去噪扩散隐式模型', ['DDIM']);
    assert.deepEqual(first([ddpm, ddim], 'DDIM', 'We sample with DDIM here.'), ['note:ddim', 'ddpm']);
  });

  it('the built-in concept leads where it is named by the term, or the note also uses its names', () => {
    const ddpmNote = note('note:ddpm', 'denoising diffusion', '去噪扩散', ['DDPM']);
    assert.deepEqual(first([ddpm, ddpmNote], 'DDPM', 'We train a DDPM here.'), ['ddpm', 'note:ddpm']);
    const elboNote = note('note:elbo', 'evidence lower bound', '变分下界', ['ELBO']);
    assert.deepEqual(first([elbo, elboNote], '变分下界', '最大化变分下界'), ['elbo', 'note:elbo']);
  });
});

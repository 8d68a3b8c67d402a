import * as assert from 'node:assert/strict';
import { Join, termKey, wordTokens } from '../../src/core/wordTokens';

const keys = (text: string) => wordTokens(text).map(t => t.key);

describe('wordTokens', () => {
  it('splits every identifier convention into the same words', () => {
    assert.deepEqual(keys('neg_elbo'), ['neg', 'elbo']);
    assert.deepEqual(keys('computeElbo'), ['compute', 'elbo']);
    assert.deepEqual(keys('KMeans'), ['k', 'means']);
    assert.deepEqual(keys('kMeansPlusPlus'), ['k', 'means', 'plus', 'plus']);
    assert.deepEqual(keys('VAELoss'), ['vae', 'loss']);
    assert.deepEqual(keys('KL_WEIGHT'), ['kl', 'weight']);
    assert.deepEqual(keys('k-means++'), ['k', 'means', '+', '+']);
    assert.deepEqual(keys('inertia_'), ['inertia']);
    assert.deepEqual(keys('UNet2DModel'), ['u', 'net', '2', 'd', 'model']);
  });

  it('makes each Han character a token joined tightly to its neighbours', () => {
    const tokens = wordTokens('用KL散度衡量');
    assert.deepEqual(tokens.map(t => t.key), ['用', 'kl', '散', '度', '衡', '量']);
    assert.ok(tokens.slice(1).every(t => t.join === Join.Tight));
  });

  it('folds accents so Fréchet and Frechet share a key', () => {
    assert.equal(termKey('Fréchet distance')?.key, termKey('frechet_distance')?.key);
  });

  it('keeps UTF-16 offsets of the original text', () => {
    const line = 'x = 变分下界 + fid_score';
    for (const t of wordTokens(line)) assert.equal(line.slice(t.start, t.end).toLowerCase(), t.key);
  });

  it('breaks runs at punctuation and at double spaces', () => {
    const tokens = wordTokens('self.kl  loss');
    assert.deepEqual(tokens.map(t => t.join), [Join.Break, Join.Break, Join.Break]);
    assert.equal(termKey('init="k-means++"'), undefined);
  });

  it('tokenizes only the requested slice', () => {
    const tokens = wordTokens('aaa bbb ccc', 4, 7);
    assert.deepEqual(tokens.map(t => [t.key, t.start]), [['bbb', 4]]);
  });
});

import * as assert from 'node:assert/strict';
import { buildConceptIndex, singularKeys } from '../../src/core/conceptIndex';
import { buildDocumentContext } from '../../src/core/documentContext';
import { findConceptAt, isDataLiteral } from '../../src/core/findConceptAt';
import { enclosingCalls, enclosingDefinitions, identifierUses } from '../../src/core/occurrenceEvidence';
import { concept } from './conceptFixtures';
import { shippedSenses } from './shippedSenses';

// Fixture concepts named like the shipped ones, so the shipped senses.yaml (which names adam and
// noise-schedule for `betas`) applies; the rules, not the content, are under test here.
const index = buildConceptIndex(
  [
    concept('fid', { identifiers: ['fid', 'fid_score'], ambiguous: ['fid'] }),
    concept('chunking', { identifiers: ['chunk_size', 'chunk'], ambiguous: ['chunk', 'chunk_size'] }),
    concept('classifier-free-guidance', { identifiers: ['cfg', 'guidance_scale'], ambiguous: ['cfg'] }),
    concept('adam', { identifiers: ['Adam', 'betas'], ambiguous: ['betas'] }),
    concept('noise-schedule', { aliases: { en: ['noise schedule', 'beta schedule'], 'zh-cn': [], abbr: [] }, identifiers: ['betas', 'alphas_cumprod'], ambiguous: ['betas'] }),
    concept('kl', { aliases: { en: [], 'zh-cn': [], abbr: ['KL'] }, identifiers: ['kl'], ambiguous: ['kl'] }),
    concept('ema', { identifiers: ['ema'], ambiguous: ['ema'] }),
    concept('is', { aliases: { en: ['Inception Score'], 'zh-cn': [], abbr: ['IS'] }, ambiguous: ['IS'], caseSensitive: ['IS'] }),
    concept('ae', { aliases: { en: ['autoencoder'], 'zh-cn': [], abbr: ['AE'] }, ambiguous: ['AE'], caseSensitive: ['AE'] }),
    concept('vae', { aliases: { en: ['latent variable'], 'zh-cn': [], abbr: ['VAE'] }, identifiers: ['vae'] }),
    concept('elbo', { identifiers: ['elbo'] }),
  ],
  shippedSenses(),
);

/** The concept id hovered at the middle of `term` on the first line containing `needle`, or null. */
function hover(text: string, needle: string, term = needle, languageId = 'python'): string | null {
  const lines = text.split('\n');
  const row = lines.findIndex(l => l.includes(needle));
  assert.ok(row >= 0, `no line has ${needle}`);
  const col = lines[row].indexOf(term, lines[row].indexOf(needle)) + Math.floor(term.length / 2);
  return findConceptAt(index, lines[row], col, buildDocumentContext(text, languageId, index), row)?.concepts[0].id ?? null;
}

const lines = (text: string) => ({ lineAt: (r: number) => text.split('\n')[r] });

describe('sense per occurrence', () => {
  describe('how the identifier is bound and used in the document', () => {
    it('a handle from open(…) or with open(…) as is not FID, even in a numpy file', () => {
      const wav = 'import numpy as np\nwith open(path, "rb") as fid:\n    header = parse(fid)';
      assert.equal(hover(wav, 'parse(fid)', 'fid'), null);
      const assigned = 'import torch\nfid = open(path)\nn = len(fid)';
      assert.equal(hover(assigned, 'len(fid)', 'fid'), null);
    });
    it('a handle used with .read / .seek is not FID', () => {
      const reader = 'import numpy as np\ndef _read_fmt_chunk(fid, size):\n    res = fid.read(4)\n    return res';
      assert.equal(hover(reader, 'res = fid', 'fid'), null);
    });
    it('FID computed from features fires', () => {
      const metric = 'import torch\nfid = frechet_distance(mu_real, sigma_real, mu_fake, sigma_fake)\nprint(fid)';
      assert.equal(hover(metric, 'print(fid)', 'fid'), 'fid');
    });
    it('a config object (attribute access, CfgNode type, self.config) is not classifier-free guidance', () => {
      const d2 = 'import torch\ndef setup(cfg: CfgNode):\n    x = cfg\n    n = cfg.MODEL.ROI_HEADS.NUM_CLASSES';
      assert.equal(hover(d2, 'x = cfg', 'cfg'), null);
      assert.equal(hover('import torch\nclass A:\n    def f(self):\n        cfg = self.config\n        return cfg', 'return cfg', 'cfg'), null);
      assert.equal(hover('import torch\nfrom detectron2.config import get_cfg\ncfg = get_cfg()\nm = build(cfg)', 'build(cfg)', 'cfg'), null);
    });
    it('a guidance weight is classifier-free guidance', () => {
      const sampler = 'import torch\nnoise = noise_pred_uncond + cfg * (noise_pred_cond - noise_pred_uncond)';
      assert.equal(hover(sampler, 'cfg *', 'cfg'), 'classifier-free-guidance');
    });
    it('records attributes, assignments, annotations, with-as sources, parameters and calls', () => {
      const text = 'def g(fid):\n    pass\nwith open(p) as fid:\n    fid.seek(0)\nfid: IO = make()\nsend(fid)';
      const uses = identifierUses(text, 'fid', lines(text));
      for (const w of ['g', 'open', 'seek', 'io', 'make', 'send']) assert.ok(uses.has(w), w);
    });
  });

  describe('the enclosing call or definition, spanning lines', () => {
    it('betas inside torch.optim.AdamW( are Adam’s', () => {
      const opt = 'import torch\noptimizer = torch.optim.AdamW(\n    params,\n    betas=(0.9, 0.95),\n)';
      assert.equal(hover(opt, 'betas=', 'betas'), 'adam');
    });
    it('betas in a method that builds optimizers are Adam’s', () => {
      const pl = 'import torch\nclass M:\n    def configure_optimizers(self):\n        betas = (0.9, 0.95)\n        return make(betas)';
      assert.equal(hover(pl, 'betas = (', 'betas'), 'adam');
    });
    it('a scheduler’s betas are the noise schedule', () => {
      const sched = 'import torch\nclass DDPMScheduler:\n    def __init__(self, num_train_timesteps):\n        self.betas = (\n            torch.linspace(1e-4, 0.02, num_train_timesteps)\n        )\n        self.alphas = 1.0 - self.betas';
      assert.equal(hover(sched, 'self.betas = (', 'betas'), 'noise-schedule');
      assert.equal(hover(sched, '1.0 - self.betas', 'betas'), 'noise-schedule');
    });
    it('finds calls and definitions by brackets and indentation', () => {
      const t = 'def outer():\n    x = call(a,\n        f(b), [c,\n        d])';
      assert.deepEqual(enclosingCalls(lines(t), 3, 8), ['call']);
      assert.deepEqual(enclosingDefinitions(lines(t), 3), ['outer']);
    });
  });

  describe('words on the line and in the comment block', () => {
    it('byte I/O words silence chunk, text words let it fire', () => {
      const dl = 'import requests\nfor chunk in r.iter_content(chunk_size=8192):\n    f.write(chunk)';
      assert.equal(hover(dl, 'chunk_size'), null);
      const rag = 'import numpy as np\n# split the documents into chunks with overlap for the retriever\nchunks = split(docs, chunk_size=512)';
      assert.equal(hover(rag, 'chunk_size'), 'chunking');
    });
    it('a RIFF header’s chunk size is not chunking, even in a numpy file', () => {
      const riff = 'import numpy as np\n# RIFF header: chunk id, then chunk size\nchunk_size = struct.unpack("<I", fid.read(4))[0]';
      assert.equal(hover(riff, 'chunk_size ='), null);
    });
  });

  describe('what the document is about', () => {
    it('numpy alone does not make a file ML; numpy and ML vocabulary do', () => {
      assert.equal(hover('import numpy as np\nfid = compute(a)', 'fid ='), null);
      assert.equal(hover('import numpy as np\nx = elbo(q)\nfid = compute(a)', 'fid ='), 'fid');
    });
  });
});

describe('prose and code, and the shape of the occurrence', () => {
  const vocab = 'import torch\n';
  it('in a comment or docstring, a lower-case word with another meaning is English; an identifier is code', () => {
    assert.equal(hover(`${vocab}x = 1  # clip the predicted x_0 to [-1, 1]`, 'clip the', 'clip'), null);
    assert.equal(hover(`${vocab}def f():\n    """Split the text into a chunk per page."""\n    return 1`, 'into a chunk', 'chunk'), null);
    assert.equal(hover(`${vocab}x = 1  # chunk_size of each text passage for the retriever`, 'chunk_size of', 'chunk_size'), 'chunking');
    assert.equal(hover(`${vocab}x = 1  # the KL term`, 'KL term', 'KL'), 'kl');
  });
  it('in Markdown, a fenced block or a code span is code', () => {
    const md = 'Training notes on the ELBO.\n\n```python\nfid = frechet_distance(mu_real, sigma_real, mu_fake, sigma_fake)\n```\n\nSee `fid_score` and the fid of the run.';
    assert.equal(hover(md, 'fid = frechet', 'fid', 'markdown'), 'fid');
    assert.equal(hover(md, 'See `fid_score`', 'fid_score', 'markdown'), 'fid');
    assert.equal(hover(md, 'the fid of', 'fid', 'markdown'), null);
  });
  it('a method call on some object is not the concept: x.chunk(2), tensor.clip(0, 1)', () => {
    const t = `${vocab}a, b = noise_pred.chunk(2)\n# split the text documents for the retriever\nchunk = docs[0]`;
    assert.equal(hover(t, 'noise_pred.chunk', 'chunk'), null);
    assert.equal(hover(t, 'chunk = docs', 'chunk'), 'chunking');
  });
  it('a definition is told by its body', () => {
    const index2 = buildConceptIndex(
      [
        concept('mlp', { identifiers: ['MLP'], ambiguous: ['MLP'] }),
        concept('feed-forward-network', { identifiers: ['MLP', 'c_fc'], ambiguous: ['MLP'] }),
      ],
      shippedSenses(),
    );
    const at = (text: string, needle: string) => {
      const lines = text.split('\n');
      const row = lines.findIndex(l => l.includes(needle));
      return findConceptAt(index2, lines[row], lines[row].indexOf('MLP') + 1, buildDocumentContext(text, 'python', index2), row)?.concepts[0].id;
    };
    const gpt = 'import torch\nclass MLP(nn.Module):\n    def __init__(self, config):\n        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd)\n        self.gelu = nn.GELU()';
    assert.equal(at(gpt, 'class MLP'), 'feed-forward-network');
    const sk = 'import torch\nclass MLP(nn.Module):\n    """A classifier: hidden_layer_sizes like sklearn MLPClassifier."""\n    def __init__(self, hidden_dims):\n        pass';
    assert.equal(at(sk, 'class MLP'), 'mlp');
  });
});

describe('text that is nothing to explain', () => {
  it('licence boilerplate: "AS IS" is not Inception Score', () => {
    const header = '# Copyright 2024 The Authors.\n#\n# Released under an open licence and provided on an "AS IS" BASIS.\nimport torch\nIS = inception_score(p)';
    assert.equal(hover(header, 'AS IS', 'IS'), null);
    assert.equal(hover(header, 'IS =', 'IS'), 'is');
    assert.equal(hover('import torch\nx = 1  # provided "AS IS", WITHOUT WARRANTIES', 'AS IS', 'IS'), null);
  });
  it('numeric, hex, base64, URL and path literals', () => {
    assert.equal(hover('import torch\nmask = 0x08AE', '0x08AE', 'AE'), null);
    const b64 = '"image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="';
    assert.ok(isDataLiteral(b64, b64.indexOf('SUhE') + 1));
    assert.ok(isDataLiteral('see https://example.org/vae/elbo.html', 30));
    assert.ok(isDataLiteral('p = "runs/vae/elbo/best.pt"', 14));
    assert.ok(!isDataLiteral('loss = neg_elbo(x) / n', 10));
    assert.equal(hover('import torch\nloss = neg_elbo(x)', 'neg_elbo', 'elbo'), 'elbo');
  });
  it('a raw notebook: cell sources fire, outputs and metadata do not', () => {
    const nb = [
      '{',
      ' "cells": [',
      '  {',
      '   "cell_type": "code",',
      '   "outputs": [',
      '    { "data": { "text/plain": [ "vae loss 3.2" ] } }',
      '   ],',
      '   "source": [',
      '    "import torch\\n",',
      '    "loss = vae(x)\\n"',
      '   ]',
      '  }',
      ' ],',
      ' "metadata": { "kernelspec": { "name": "vae" } },',
      ' "nbformat": 4',
      '}',
    ].join('\n');
    assert.equal(hover(nb, 'loss = vae', 'vae', 'json'), 'vae');
    assert.equal(hover(nb, 'vae loss', 'vae', 'json'), null);
    assert.equal(hover(nb, '"name": "vae"', 'vae', 'json'), null);
  });
});

describe('recall of real spellings', () => {
  it('plurals of prose phrases', () => {
    assert.ok(singularKeys('betaschedules').includes('betaschedule'));
    assert.ok(singularKeys('losses').includes('loss'));
    assert.ok(singularKeys('hierarchies').includes('hierarchy'));
    assert.deepEqual(singularKeys('loss'), []);
    // Identifiers are not prose: `alphas_cumprod` does not make `alpha_cumprod` a term, nor `elbos` elbo.
    assert.equal(hover('import torch\nx = elbos(q)', 'elbos'), null);
    assert.equal(hover('Both beta schedules end near zero.', 'beta schedules', 'schedules', 'markdown'), 'noise-schedule');
    assert.equal(hover('The latent variables are Gaussian.', 'latent variables', 'variables', 'markdown'), 'vae');
  });
  it('anywhere on an identifier that contains a term', () => {
    const ml = 'import torch\nfid_value = 1\nkl_prior = 2\nnormal_kl = 3\nema_decay = 0.999';
    assert.equal(hover(ml, 'fid_value', 'value'), 'fid');
    assert.equal(hover(ml, 'kl_prior', 'prior'), 'kl');
    assert.equal(hover(ml, 'normal_kl', 'normal'), 'kl');
    assert.equal(hover(ml, 'ema_decay', 'decay'), 'ema');
    assert.equal(hover('the value is kl', 'the value', 'value', 'markdown'), null);
  });
});

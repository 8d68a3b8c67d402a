import * as assert from 'node:assert/strict';
import { isPythonProse, latexAt, latexInDocumentAt, latexSpans } from '../../src/core/latexInText';

const at = (text: string, needle: string) => text.indexOf(needle);

describe('latexSpans', () => {
  it('finds every delimiter with its kind', () => {
    const text = 'a $x^2$ b \\(y_1\\) c $$\\sum_i z_i$$ d \\[\\int f\\] e :math:`\\alpha + 1` f';
    assert.deepEqual(
      latexSpans(text).map(s => [s.latex, s.display]),
      [['x^2', false], ['y_1', false], ['\\sum_i z_i', true], ['\\int f', true], ['\\alpha + 1', false]],
    );
  });

  it('takes prices and escaped dollars for text', () => {
    assert.deepEqual(latexSpans('costs $5 and $10 today'), []);
    assert.deepEqual(latexSpans('\\$x^2\\$'), []);
  });

  it('reads a reST math directive: its argument and indented body, without options', () => {
    const text = ['    .. math::', '       :label: kl', '', '       KL(p \\| q) = \\sum_x p(x)', '       \\log \\frac{p(x)}{q(x)}', '', '    After.'].join('\n');
    const [span] = latexSpans(text);
    assert.equal(span.latex, 'KL(p \\| q) = \\sum_x p(x)\n\\log \\frac{p(x)}{q(x)}');
    assert.equal(span.display, true);
    assert.ok(text.slice(span.end).includes('After.') && !text.slice(span.start, span.end).includes('After.'));
    assert.equal(latexSpans('.. math:: a^2 + b^2 = c^2')[0].latex, 'a^2 + b^2 = c^2');
  });
});

describe('latexAt', () => {
  it('returns the formula under the offset, with document offsets', () => {
    const text = 'intro\n'.repeat(100) + 'loss $\\mathcal{L} = -\\log p$ here\n' + 'outro\n'.repeat(100);
    const hit = latexAt(text, at(text, 'mathcal'));
    assert.equal(hit?.latex, '\\mathcal{L} = -\\log p');
    assert.equal(text.slice(hit!.start, hit!.end), '$\\mathcal{L} = -\\log p$');
    assert.equal(latexAt(text, at(text, 'here')), undefined);
  });

  it('finds a display formula spanning lines from its middle line', () => {
    const text = 'text\n$$\nL = \\| x - \\hat{x} \\|^2\n$$\nmore';
    assert.equal(latexAt(text, at(text, 'hat'))?.latex, 'L = \\| x - \\hat{x} \\|^2');
  });
});

describe('LaTeX in Python', () => {
  const source = [
    'import torch',
    'def kl(mu, sigma):',
    '    """KL(N(\\mu, \\sigma), N(0, 1)) is',
    '',
    '    .. math:: \\log \\frac{1}{\\sigma} + \\frac{\\sigma^2 + \\mu^2}{2}',
    '    """',
    '    pattern = re.compile(r"\\(a\\)")  # weight $w_t$',
    '    return torch.log(1 / sigma)',
  ].join('\n');

  it('is found in docstrings and comments, not in code', () => {
    assert.equal(isPythonProse(source, at(source, 'KL(N')), true);
    assert.equal(isPythonProse(source, at(source, 'w_t')), true);
    assert.equal(isPythonProse(source, at(source, 'torch.log')), false);
    assert.equal(isPythonProse(source, at(source, '(a')), false, 'a regex is code');
    assert.match(latexInDocumentAt(source, at(source, 'frac{1}'), 'python')?.latex ?? '', /^\\log \\frac\{1\}\{\\sigma\}/);
    assert.equal(latexInDocumentAt(source, at(source, 'w_t'), 'python')?.latex, 'w_t');
  });

  it('is looked for in Markdown and plain text, and not in other languages', () => {
    assert.equal(latexInDocumentAt('see $a_1$', 6, 'markdown')?.latex, 'a_1');
    assert.equal(latexInDocumentAt('see $a_1$', 6, 'plaintext')?.latex, 'a_1');
    assert.equal(latexInDocumentAt('const s = "$a_1$"', 12, 'typescript'), undefined);
  });
});

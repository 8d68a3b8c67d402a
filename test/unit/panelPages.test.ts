import * as assert from 'node:assert/strict';
import { CONTENT_LANGUAGES } from '../../src/core/concept';
import { packPages } from '../../src/build/buildPanelPages';
import { cspSafeHtml, expandMath, extractMath, pageFromPack } from '../../src/core/pagePack';
import { renderIndexHtml } from '../../src/core/panelIndex';
import { renderConceptParts } from '../../src/core/renderConcept';
import { renderMarkdown } from '../../src/core/renderMarkdown';
import { builtin } from './builtinIndex';
import { HOSTILE_INPUTS } from './hostileInputs';

const withoutMathml = (html: string) => html.replace(/<span class="katex-mathml">[\s\S]*?<\/math><\/span>/g, '');
const withoutLabels = (html: string) => html.replace(/ role="img" aria-label="[^"]*"/g, '');

describe('pre-rendered panel pages', () => {
  const { concepts, topics } = builtin();
  const byId = new Map(concepts.map(c => [c.id, c]));
  const titleOf = (id: string, lang: 'en' | 'zh-cn') => byId.get(id)?.title[lang];

  it('a pack gives back the renderer\'s page: KaTeX\'s styles as data-s, its MathML as the TeX source for screen readers', function () {
    this.timeout(60_000);
    const topic = byId.get('elbo')!.topic!;
    const inTopic = concepts.filter(c => c.topic === topic);
    const pack = packPages(inTopic, titleOf, topics);
    for (const c of inTopic)
      for (const lang of CONTENT_LANGUAGES) {
        const parts = renderConceptParts(c, lang, id => titleOf(id, lang), [], topics);
        const page = pageFromPack(pack, c.id, lang)!;
        for (const part of ['top', 'qa', 'tail'] as const) {
          assert.equal(withoutLabels(page[part]), cspSafeHtml(withoutMathml(parts[part])), `${c.id} ${lang} ${part}`);
          assert.equal(page[part].match(/class="katex"/g)?.length, page[part].match(/class="katex" role="img" aria-label="[^"]+"/g)?.length, `${c.id} ${lang} ${part}: a formula without a text alternative`);
        }
        assert.doesNotMatch(page.top + page.qa + page.tail, / style="/, `${c.id} ${lang}: an inline style attribute would trip the CSP`);
      }
    // The two languages share their formulas: each is stored once.
    const refs = Object.values(pack.pages).flatMap(p => CONTENT_LANGUAGES.flatMap(l => [...(p[l].top + p[l].qa).matchAll(/\uE000(\d+)\uE001/g)].map(m => m[1])));
    assert.ok(refs.length > 1.5 * pack.math.length, `${refs.length} uses of ${pack.math.length} formulas`);
  });

  it('the ELBO page has its display formulas typeset, with inline positions as data-s', () => {
    const c = byId.get('elbo')!;
    const pack = packPages([c], titleOf, topics);
    const page = pageFromPack(pack, 'elbo', 'en')!;
    assert.ok((page.qa.match(/class="katex-display"/g) ?? []).length >= 8);
    assert.match(page.qa, /data-s="height:/);
    assert.match(page.top, /aria-label="\\ln p\(X\) = \\mathcal\{L\}\(q\)/, 'the key formula\'s TeX is its accessible name');
    assert.doesNotMatch(page.qa, /\$\$|\uE000/);
  });

  it('extraction keeps text around formulas and leaves broken markup alone', () => {
    const table = new Map<string, number>();
    const html = renderMarkdown('before $a^2$ middle $$b_1$$ after $a^2$');
    const packed = extractMath(html, table);
    assert.equal(table.size, 2);
    assert.equal(withoutLabels(expandMath(packed, [...table.keys()])), withoutMathml(html));
    assert.match(packed, /before \uE0000\uE001 middle/);
    const broken = '<span class="katex"><span>unclosed';
    assert.equal(extractMath(broken, new Map()), broken);
  });

  it('hostile notes rendered for the panel carry no style attribute and no markup of their own', () => {
    for (const input of HOSTILE_INPUTS) {
      const html = cspSafeHtml(renderMarkdown(input));
      assert.doesNotMatch(html, / style="/, input.slice(0, 60));
      assert.doesNotMatch(html, /<(?:script|iframe|img|object|embed|style)\b|\son[a-z]+="/i, input.slice(0, 60));
    }
  });

  it('the index lists every built-in concept under its topic and escapes notes titles', () => {
    const note = { ...concepts[0], id: 'note:x.md:1', topic: undefined, title: { en: '<img src=x onerror=alert(1)>', 'zh-cn': '<b>笔记</b>' }, source: { file: 'x.md', line: 1 } };
    for (const lang of CONTENT_LANGUAGES) {
      const html = renderIndexHtml(topics, [...concepts, note], lang);
      assert.equal(html.match(/<a href="#" data-concept=/g)?.length, concepts.length + 1);
      assert.doesNotMatch(html, /<img|<b>/);
      assert.match(html, lang === 'en' ? /Your notes/ : /你的笔记/);
    }
  });
});

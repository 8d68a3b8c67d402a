import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PagePack } from '../../src/core/pagePack';
import { CONTENT_LANGUAGES } from '../../src/core/concept';
import { expandMath } from '../../src/core/pagePack';
import { stylesAsClasses } from '../../src/core/stylesAsClasses';
import { ROOT } from './paths';

type Parse5 = typeof import('parse5', { with: { 'resolution-mode': 'import' } });
type Node = import('parse5', { with: { 'resolution-mode': 'import' } }).DefaultTreeAdapterMap['node'];

/** Each element as the browser gets it: its tag, its classes (the style ones left out), its style, its text. */
function elements(parse5: Parse5, html: string, styleOf: (el: Map<string, string>) => string): string[] {
  const out: string[] = [];
  const walk = (node: Node) => {
    if ('tagName' in node) {
      const attrs = new Map(node.attrs.map(a => [a.name, a.value] as [string, string]));
      const classes = (attrs.get('class') ?? '').split(/\s+/).filter(c => c && !/^k\d+$/.test(c));
      const rest = [...attrs].filter(([n]) => n !== 'class' && n !== 'data-s').map(([n, v]) => `${n}=${v}`);
      out.push(`<${node.tagName} ${classes.join('.')} ${rest.join(' ')} {${styleOf(attrs)}}>`);
    } else if (node.nodeName === '#text') out.push((node as { value: string }).value);
    if ('childNodes' in node) for (const child of node.childNodes) walk(child as Node);
  };
  walk(parse5.parseFragment(html) as unknown as Node);
  return out;
}

const normal = (style: string) =>
  style
    .split(';')
    .map(d => d.trim())
    .filter(Boolean)
    .join(';');

describe('the first page\'s KaTeX positions as classes (stylesAsClasses)', () => {
  let parse5: Parse5;
  before(async () => {
    parse5 = await import('parse5');
  });

  it('every shipped page top keeps each element\'s style, now from the stylesheet, and has no data-s left', function () {
    this.timeout(60_000);
    const dir = join(ROOT, 'dist', 'pages');
    let pages = 0;
    for (const file of readdirSync(dir)) {
      const pack = JSON.parse(readFileSync(join(dir, file), 'utf8')) as PagePack;
      for (const [id, page] of Object.entries(pack.pages))
        for (const lang of CONTENT_LANGUAGES) {
          const top = expandMath(page[lang].top, pack.math);
          const { html, css } = stylesAsClasses(top);
          assert.doesNotMatch(html, /data-s=/, `${id} ${lang}`);
          const rules = new Map([...css.matchAll(/^\.(k\d+)\{([^}]*)\}$/gm)].map(m => [m[1], m[2].replace(/!important/g, '')] as [string, string]));
          assert.equal(css.trim().split('\n').filter(Boolean).length, rules.size, `${id} ${lang}: a rule that is not one class`);
          const fromClasses = (attrs: Map<string, string>) =>
            normal(((attrs.get('class') ?? '').split(/\s+/).filter(c => /^k\d+$/.test(c)).map(c => rules.get(c) ?? `missing ${c}`)).join(';'));
          assert.deepEqual(elements(parse5, html, fromClasses), elements(parse5, top, a => normal(a.get('data-s') ?? '')), `${id} ${lang}`);
          pages++;
        }
    }
    assert.ok(pages >= 2 * 290, `only ${pages} pages`);
  });

  it('one class per distinct style; a tag without a class gets one; an unusual value stays data-s', () => {
    const { html, css } = stylesAsClasses('<span class="vlist" data-s="height:1em;"></span><span data-s="height:1em;">a</span><i data-s="color:url(x)&quot;">b</i>');
    assert.equal(html, '<span class="k0 vlist"></span><span class="k0">a</span><i data-s="color:url(x)&quot;">b</i>');
    assert.equal(css, '.k0{height:1em!important}\n');
  });
});

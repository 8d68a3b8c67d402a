import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildHoverMarkdown } from '../../src/core/hoverMarkdown';
import { builtin } from './builtinIndex';
import { ROOT } from './paths';

const zhBundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const nlsEn = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
const nlsZh = JSON.parse(readFileSync(join(ROOT, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
const manifest = readFileSync(join(ROOT, 'package.json'), 'utf8');

/** Every string literal our code passes to vscode.l10n.t, localize(lang, …), ui(…) or panelUi's t(…). */
function uiStrings(): string[] {
  const found = new Set<string>();
  const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.ts'));
  for (const f of files) {
    const text = readFileSync(join(ROOT, 'src', f), 'utf8');
    for (const m of text.matchAll(/(?:l10n\.t\(|localize\((?:[^,()]|\(\))+,|\bui\(|\bt\()\s*('(?:[^'\\]|\\.)*')/g)) found.add(eval(m[1]) as string);
  }
  return [...found];
}

/** ASCII punctuation right after or before a Han character: Chinese text uses ，：（）。 */
const ASCII_PUNCT_BY_HAN = /[\u4e00-\u9fff][,:;()?!]|[,:;(?!][\u4e00-\u9fff]/;

describe('UI strings', () => {
  it('every string the extension shows has a Chinese translation', () => {
    const strings = uiStrings();
    assert.ok(strings.length >= 30, `only ${strings.length} strings found: the scan is broken`);
    const missing = strings.filter(s => !(s in zhBundle) && !/^[\s{}0-9→]*$/.test(s.replace(/\{\d\}/g, '')));
    assert.deepEqual(missing, []);
  });

  it('Chinese strings use Chinese punctuation, and every package.nls key has both languages', () => {
    for (const [key, text] of [...Object.entries(zhBundle), ...Object.entries(nlsZh)]) assert.doesNotMatch(text, ASCII_PUNCT_BY_HAN, `${key}: ${text}`);
    assert.deepEqual(Object.keys(nlsZh).sort(), Object.keys(nlsEn).sort());
    for (const key of manifest.matchAll(/"%([^%"]+)%"/g)) assert.ok(key[1] in nlsEn, `package.json uses %${key[1]}% but package.nls.json lacks it`);
  });

  it('the settings page shows code as code, is titled "ML Concept Lens" and labels settings without a key prefix', () => {
    type Category = { id: string; title: string; properties: Record<string, Record<string, string>> };
    const categories = (JSON.parse(manifest) as { contributes: { configuration: Category[] } }).contributes.configuration;
    assert.equal(categories[0].title, 'ML Concept Lens');
    for (const c of categories) {
      // The settings editor drops a key's prefix when it equals its category's id: "Enabled" under
      // "Hovers", where one category for all would show "Ml Concept Lens › Hover: Enabled".
      for (const key of Object.keys(c.properties)) assert.equal(key.slice(0, key.lastIndexOf('.')), c.id, key);
      for (const [key, p] of Object.entries(c.properties)) {
        const text = nlsEn[(p.description ?? p.markdownDescription ?? '').replace(/%/g, '')] ?? '';
        assert.ok(text, `${key} has no description in package.nls.json`);
        if (text.includes('`')) assert.ok(p.markdownDescription, `${key} shows code but has a plain description`);
      }
    }
  });

  it('the walkthrough shows no Markdown code marks (it would print the backticks)', () => {
    for (const nls of [nlsEn, nlsZh]) for (const [key, text] of Object.entries(nls)) if (key.startsWith('walk.')) assert.doesNotMatch(text, /`/, key);
  });

  it('the Chinese hover writes 相关： with a Chinese colon and list comma', function () {
    this.timeout(20_000); // parses the shipped concepts
    const { concepts } = builtin();
    const byId = new Map(concepts.map(c => [c.id, c]));
    const md = buildHoverMarkdown({ concepts: [byId.get('elbo')!], lang: 'zh-cn', theme: 'light', titleOf: id => byId.get(id)?.title['zh-cn'] });
    assert.match(md, /\n相关：\[/);
    assert.match(md, /\)、\[/);
    assert.doesNotMatch(md, /相关:/);
  });
});

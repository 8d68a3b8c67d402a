import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { INLINED_FONTS, inlineFonts } from '../../src/core/panelFonts';
import { ROOT } from './paths';

const KATEX = join(ROOT, 'media', 'katex');

describe('the panel\'s inlined KaTeX fonts', () => {
  it('the fonts built-in pages use travel as data URLs; the others still load from the extension', () => {
    const css = readFileSync(join(KATEX, 'katex.min.css'), 'utf8');
    const fonts = new Map(INLINED_FONTS.map(name => [name, readFileSync(join(KATEX, 'fonts', `${name}.woff2`))] as const));
    const out = inlineFonts(css, fonts);
    for (const [name, bytes] of fonts) {
      const face = out.match(new RegExp(`@font-face\\{[^}]*url\\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\\)[^}]*\\}`, 'g'))?.find(f => Buffer.from(f.match(/base64,([^)]+)/)![1], 'base64').equals(bytes));
      assert.ok(face, `${name} is not inlined byte for byte`);
    }
    const left = [...out.matchAll(/url\(fonts\/([\w-]+)\.woff2\)/g)].map(m => m[1]);
    assert.ok(left.length > 0 && left.every(n => existsSync(join(KATEX, 'fonts', `${n}.woff2`)) && !(INLINED_FONTS as readonly string[]).includes(n)), left.join());
  });

  it('no shipped page uses a KaTeX class whose font is not inlined', () => {
    // KaTeX's own rules: which classes select which font file.
    const css = readFileSync(join(KATEX, 'katex.min.css'), 'utf8').replace(/@font-face\{[^}]*\}/g, '');
    const notInlined = new Set<string>();
    for (const [, selectors, body] of css.matchAll(/([^{}]+)\{([^}]*font-family:KaTeX_[^}]*)\}/g)) {
      const family = body.match(/font-family:KaTeX_(\w+)/)![1];
      const bold = /font-weight:(?:700|bold)/.test(body);
      const italic = /font-style:italic/.test(body);
      const file = `KaTeX_${family}-${bold && italic ? 'BoldItalic' : bold ? 'Bold' : italic ? 'Italic' : 'Regular'}`;
      if (!(INLINED_FONTS as readonly string[]).includes(file)) for (const c of selectors.matchAll(/\.([\w-]+)/g)) if (c[1] !== 'katex') notInlined.add(c[1]);
    }
    assert.ok(notInlined.has('mathfrak') && notInlined.has('boldsymbol'), [...notInlined].join());
    const dir = join(ROOT, 'dist', 'pages');
    const files = readdirSync(dir);
    assert.ok(files.length >= 10, 'dist/pages is not built');
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const m of text.matchAll(/class=\\"([^"\\]*)\\"/g))
        for (const c of m[1].split(/\s+/)) assert.ok(!notInlined.has(c), `${file}: class "${c}" needs a font that is not inlined`);
    }
  });
});

/**
 * A new panel's first page goes out inside its HTML, so that it paints as the HTML is parsed, before
 * the panel's script has run and before any message. KaTeX's positions arrive as `data-s` (see
 * cspSafeHtml), which only the script can apply; here each distinct one becomes a class of the
 * page's nonce'd stylesheet instead. `!important` keeps the precedence an inline style has over
 * KaTeX's own rules.
 */
export interface StyledPage {
  html: string;
  css: string;
}

const TAG_WITH_STYLE = /<[a-z][a-z0-9]*\b[^<>]*?\sdata-s="([^"]*)"[^<>]*>/g;
/** What KaTeX writes into a style attribute; anything else stays `data-s` for the script to apply. */
const PLAIN_DECLARATIONS = /^[\w\s.:;%#(),+-]*$/;

export function stylesAsClasses(html: string, prefix = 'k'): StyledPage {
  const classes = new Map<string, string>();
  const out = html.replace(TAG_WITH_STYLE, (tag, style: string) => {
    if (!PLAIN_DECLARATIONS.test(style)) return tag;
    let name = classes.get(style);
    if (!name) classes.set(style, (name = `${prefix}${classes.size}`));
    const bare = tag.replace(` data-s="${style}"`, '');
    return / class="/.test(bare) ? bare.replace(/ class="/, ` class="${name} `) : bare.replace(/^<[a-z][a-z0-9]*/, open => `${open} class="${name}"`);
  });
  let css = '';
  for (const [style, name] of classes) {
    const declarations = style
      .split(';')
      .map(d => d.trim())
      .filter(d => d.includes(':'))
      .map(d => `${d}!important`);
    css += `.${name}{${declarations.join(';')}}\n`;
  }
  return { html: out, css };
}

type Parse5 = typeof import('parse5', { with: { 'resolution-mode': 'import' } });
type Node = import('parse5', { with: { 'resolution-mode': 'import' } }).DefaultTreeAdapterMap['node'];
type Marked = typeof import('marked', { with: { 'resolution-mode': 'import' } });
let parse5: Parse5 | undefined;
let marked: Marked | undefined;

/** parse5 and marked are ES modules; the compiled tests are CommonJS, so they are loaded once, before the checks. */
export async function loadHtmlParser(): Promise<void> {
  parse5 ??= await import('parse5');
  marked ??= await import('marked');
}

/** A hover's Markdown as VS Code renders it: marked, with GFM autolinks. */
export function hoverHtml(markdown: string): string {
  if (!marked) throw new Error('call loadHtmlParser() first');
  return marked.marked.parse(markdown, { gfm: true, async: false }) as string;
}

/** Elements that run code, load something, navigate, submit or restyle the page. */
const FORBIDDEN = new Set(
  'script iframe frame frameset object embed applet form input button textarea select base meta link style noscript template img image picture source audio video track animate set animatemotion animatetransform foreignobject use'.split(' '),
);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'srcset', 'data', 'poster', 'background', 'srcdoc', 'ping', 'cite']);
/** KaTeX's own sizes are bounded by maxSize (50em) and the negative bound (-10em); a little slack for sums. */
const MAX_EM = 60;

/**
 * Everything in the HTML, parsed by a real HTML parser as a browser would, that could run code,
 * load a resource, navigate somewhere not allowed by `allowUrl`, or position itself outside its
 * block. Empty means inert.
 */
export function unsafeParts(html: string, allowUrl: (url: string) => boolean): string[] {
  if (!parse5) throw new Error('call loadHtmlParser() first');
  const found: string[] = [];
  const walk = (node: Node) => {
    if ('tagName' in node) {
      const name = node.tagName.toLowerCase();
      if (FORBIDDEN.has(name)) found.push(`<${name}>`);
      for (const attr of node.attrs) {
        const attrName = (attr.prefix ? `${attr.prefix}:${attr.name}` : attr.name).toLowerCase();
        // Browsers ignore control characters and blanks in a URL's scheme: compare without them.
        const value = attr.value.replace(/[\u0000-\u0020\u007f-\u009f]+/g, '');
        if (attrName.startsWith('on')) found.push(`${attrName} on <${name}>`);
        if (URL_ATTRIBUTES.has(attr.name.toLowerCase()) && !allowUrl(value)) found.push(`${attrName}="${attr.value}" on <${name}>`);
        if (attr.name === 'style') found.push(...unsafeStyle(attr.value).map(s => `${s} on <${name}>`));
      }
    }
    const children = 'childNodes' in node ? node.childNodes : [];
    for (const child of children) walk(child);
    if ('content' in node && node.content) walk(node.content as Node);
  };
  walk(parse5.parseFragment(html) as Node);
  return found;
}

function unsafeStyle(style: string): string[] {
  const found: string[] = [];
  for (const declaration of style.split(';')) {
    const [property = '', value = ''] = declaration.split(/:(.*)/s).map(s => s.trim().toLowerCase());
    if (!property) continue;
    if (/url\(|expression\(|javascript:|@import|behavior/.test(value)) found.push(`style ${declaration}`);
    if (property === 'position' && value !== 'relative') found.push(`style ${declaration}`);
    if (property === 'z-index') found.push(`style ${declaration}`);
    // A negative width, height, padding or border width is invalid CSS, which the browser drops.
    const negativeDropped = /^(?:(?:min-|max-)?(?:width|height)|padding.*|border.*width)$/.test(property);
    for (const m of value.matchAll(/(-?\d*\.?\d+)(em|ex|px|vh|vw|pt|cm|mm|in)/g)) {
      if (negativeDropped && m[1].startsWith('-')) continue;
      const em = Number(m[1]) * ({ em: 1, ex: 0.5, px: 0.0625, pt: 0.083, cm: 2.4, mm: 0.24, in: 6, vh: 1000, vw: 1000 } as Record<string, number>)[m[2]];
      if (Math.abs(em) > MAX_EM) found.push(`style ${declaration}`);
    }
  }
  return found;
}

/** Where the panel may go: the web, mail, anchors in the page. */
export const PANEL_URL = (url: string) => /^(?:https?:|mailto:|#)/i.test(url);
/** Where a hover may go: our own commands only. */
export const HOVER_URL = (url: string) => /^command:mlConceptLens\.(?:openPanel|insertImplementation|openNote)\?/.test(url);

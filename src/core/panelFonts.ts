/**
 * A webview stays hidden until its document's load event, and a font the page uses delays that event:
 * each KaTeX font fetched through VS Code's webview service worker (remotely, through the server) kept
 * a new panel hidden for another 60-100 ms after its page was laid out. The fonts that built-in
 * pages use therefore travel inside the panel's stylesheet; the rest (only users' notes can need
 * them) still load from the extension.
 */
export const INLINED_FONTS = [
  'KaTeX_AMS-Regular',
  'KaTeX_Caligraphic-Regular',
  'KaTeX_Main-Bold',
  'KaTeX_Main-Italic',
  'KaTeX_Main-Regular',
  'KaTeX_Math-Italic',
  'KaTeX_Size1-Regular',
  'KaTeX_Size2-Regular',
  'KaTeX_Size3-Regular',
  'KaTeX_Size4-Regular',
  'KaTeX_Typewriter-Regular',
] as const;

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** KaTeX's stylesheet with the given fonts (file name without `.woff2` → bytes) as data URLs. */
export function inlineFonts(css: string, fonts: ReadonlyMap<string, Uint8Array>): string {
  return css.replace(/url\(fonts\/([\w-]+)\.woff2\)/g, (url, name: string) => {
    const bytes = fonts.get(name);
    return bytes ? `url(data:font/woff2;base64,${base64(bytes)})` : url;
  });
}

import katex from 'katex';
import { XMLValidator } from 'fast-xml-parser';
import { CONTENT_LANGUAGES, Concept } from '../core/concept';
import type { ContentProblem } from '../core/conceptSchema';
import { mathSpans } from '../core/renderMarkdown';
import { formulaSvg } from './formulaSvg';

/** KaTeX in strict mode: anything it would only warn about (Unicode in math, deprecated forms) fails. */
function katexProblem(latex: string, display: boolean): string | undefined {
  try {
    katex.renderToString(latex, { displayMode: display, throwOnError: true, strict: 'error', trust: false });
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

/** The 1-based line of `needle` in the file (the first line of a multi-line formula), or 2. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle.trim().split('\n')[0]);
  return at < 0 ? 2 : 1 + (text.slice(0, at).match(/\n/g)?.length ?? 0);
}

/**
 * Every formula of a concept must typeset where it is shown: front-matter formulas in KaTeX (panel)
 * and MathJax (hover images, which must also be well-formed XML, or the hover shows a broken image),
 * and all math in the answers in KaTeX. Returns the SVG of each front-matter formula.
 */
export async function checkConceptMath(
  concept: Concept,
  file: string,
  text: string,
): Promise<{ images: string[]; problems: ContentProblem[] }> {
  const problems: ContentProblem[] = [];
  const fail = (needle: string, message: string) => problems.push({ file, line: lineOf(text, needle), message });
  const images: string[] = [];
  for (const latex of concept.formulas) {
    const k = katexProblem(latex, true);
    if (k) fail(latex, `formula (KaTeX): ${k}`);
    try {
      const svg = await formulaSvg(latex);
      const valid = XMLValidator.validate(svg);
      if (valid !== true) fail(latex, `formula image is not well-formed XML: ${valid.err.msg}`);
      images.push(svg);
    } catch (e) {
      fail(latex, `formula (MathJax): ${(e as Error).message}`);
    }
  }
  for (const lang of CONTENT_LANGUAGES)
    for (const qa of concept.qa[lang])
      for (const span of mathSpans(`${qa.question}\n\n${qa.answer}`)) {
        const k = katexProblem(span.latex, span.display);
        if (k) fail(span.latex, `${lang} math "${span.latex.trim().slice(0, 50)}" (KaTeX strict): ${k}`);
      }
  return { images, problems };
}

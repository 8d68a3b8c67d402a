/**
 * The renderer for the user's notes inside the panel (markdown-it without HTML, KaTeX with trust off:
 * the one `kb render` uses), loaded by the panel script the first time a page shows a note, so
 * built-in pages, which come rendered, never pay for it.
 */
import type { Concept, ContentLanguage } from '../core/concept';
import { cspSafeHtml } from '../core/pagePack';
import { renderConceptParts, renderFromNotes } from '../core/renderConcept';

export interface NotesRenderer {
  /** A note's own page: top, questions and links. */
  page(note: Concept, lang: ContentLanguage): { top: string; qa: string; tail: string };
  /** "From your notes" sections for a built-in page. */
  fromNotes(notes: Concept[], lang: ContentLanguage): string;
}

const renderer: NotesRenderer = {
  page(note, lang) {
    const { top, qa, tail } = renderConceptParts(note, lang, () => undefined);
    return { top: cspSafeHtml(top), qa: cspSafeHtml(qa), tail: cspSafeHtml(tail) };
  },
  fromNotes: (notes, lang) => cspSafeHtml(renderFromNotes(notes, lang)),
};
(globalThis as { mlConceptLensNotes?: NotesRenderer }).mlConceptLensNotes = renderer;

import { CONTENT_LANGUAGES, Concept, ContentLanguage } from './concept';

/** The panel's own words (toolbar, buttons, notices), in the page's language, sent with every page. */
export interface PanelUi {
  navigation: string;
  back: string;
  forward: string;
  index: string;
  indexTitle: string;
  search: string;
  searchLabel: string;
  language: string;
  /** The language toggle's label: the other language's name. */
  otherLanguage: string;
  copy: string;
  copied: string;
  noResults: string;
  notFound: string;
}

export interface PanelTarget {
  /** A concept id, or '' for the index. */
  id: string;
  /** A section anchor (q1, q2, …) to scroll to. */
  anchor?: string;
}

/**
 * Where the page should be once shown: at the top (or the target's anchor), at a saved scroll offset
 * (a window reload), or on the same question as before at the same place within it (a language switch).
 */
export type PanelView = { scrollY: number } | { question: number; within: number };

/**
 * Messages the extension sends to the explanation panel's webview: one page at a time. A built-in
 * page comes rendered: `top` (title, summary, key formulas) paints first, `qa` and `tail` (links)
 * follow in the next task. The user's notes come as data (`note`: a page of its own; `notes`: "From
 * your notes" on a built-in page), rendered by the webview's notes renderer, loaded when first needed.
 */
export type ToPanel =
  | {
      type: 'page';
      target: PanelTarget;
      lang: ContentLanguage;
      /** Push onto the history (a new page) or replace the current entry (a reload, a language switch). */
      history: 'push' | 'replace';
      view?: PanelView;
      found: boolean;
      ui: PanelUi;
      top: string;
      qa: string;
      tail: string;
      notes: Concept[];
      note?: Concept;
    }
  | { type: 'results'; query: string; hits: { id: string; title: string; matched: string }[]; ui: PanelUi }
  /** The tops of the pages the current one links to, so following a link paints before the host answers. */
  | { type: 'prefetch'; lang: ContentLanguage; tops: Record<string, string> }
  /** Show the current page again in `lang`, keeping the reader's place (a setting or the notes changed). */
  | { type: 'refresh'; lang: ContentLanguage };

/** Messages the webview may send. Anything else is dropped. */
export type FromPanel =
  | { type: 'ready' }
  | { type: 'open'; target: PanelTarget; lang: ContentLanguage; history: 'push' | 'replace'; view?: PanelView }
  | { type: 'search'; query: string; lang: ContentLanguage }
  | { type: 'insert'; snippetId: string }
  | { type: 'copy'; text: string }
  | { type: 'openNote'; file: string; line: number }
  | { type: 'painted'; conceptId: string; lang: ContentLanguage };

const MAX_COPY = 20_000;
const MAX_QUERY = 200;

function language(raw: unknown): ContentLanguage | undefined {
  return CONTENT_LANGUAGES.find(l => l === raw);
}

function target(raw: unknown, conceptIds: ReadonlySet<string>): PanelTarget | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { id, anchor } = raw as Record<string, unknown>;
  if (typeof id !== 'string' || (id !== '' && !conceptIds.has(id))) return undefined;
  if (anchor === undefined) return { id };
  return typeof anchor === 'string' && /^q\d{1,3}$/.test(anchor) ? { id, anchor } : undefined;
}

function view(raw: unknown): PanelView | undefined | null {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null) return null;
  const v = raw as Record<string, unknown>;
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  if (finite(v.scrollY)) return { scrollY: v.scrollY };
  if (Number.isInteger(v.question) && finite(v.question) && finite(v.within) && v.within <= 1) return { question: v.question, within: v.within };
  return null;
}

/**
 * Validates a message from the webview before the extension acts on it: the type must be known, a
 * concept or snippet id must be one we have, a note must be one we indexed. The webview shows user
 * notes, so it is treated as untrusted.
 */
export function parsePanelMessage(
  raw: unknown,
  known: { snippetIds: ReadonlySet<string>; noteFiles: ReadonlySet<string>; conceptIds: ReadonlySet<string> },
): FromPanel | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'open': {
      const t = target(m.target, known.conceptIds);
      const lang = language(m.lang);
      const v = view(m.view);
      if (!t || !lang || v === null || (m.history !== 'push' && m.history !== 'replace')) return undefined;
      return { type: 'open', target: t, lang, history: m.history, ...(v ? { view: v } : {}) };
    }
    case 'search': {
      const lang = language(m.lang);
      return typeof m.query === 'string' && m.query.length <= MAX_QUERY && lang ? { type: 'search', query: m.query, lang } : undefined;
    }
    case 'insert':
      return typeof m.snippetId === 'string' && known.snippetIds.has(m.snippetId)
        ? { type: 'insert', snippetId: m.snippetId }
        : undefined;
    case 'copy':
      return typeof m.text === 'string' && m.text.length <= MAX_COPY ? { type: 'copy', text: m.text } : undefined;
    case 'openNote':
      return typeof m.file === 'string' &&
        known.noteFiles.has(m.file) &&
        Number.isInteger(m.line) &&
        (m.line as number) >= 1
        ? { type: 'openNote', file: m.file, line: m.line as number }
        : undefined;
    case 'painted': {
      const lang = language(m.lang);
      return typeof m.conceptId === 'string' && known.conceptIds.has(m.conceptId) && lang
        ? { type: 'painted', conceptId: m.conceptId, lang }
        : undefined;
    }
    default:
      return undefined;
  }
}

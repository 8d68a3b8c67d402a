import type { Concept, ContentLanguage } from './concept';
import { type MathImage, formulaImageMarkdown, mathMarkdown, proseWithMathMarkdown } from './formulaMarkdown';
import type { FormulaTheme } from './knowledgeBase';
import { latexSpans } from './latexInText';
import { pitfallFor } from './pitfallFor';

export interface HoverLabels {
  openExplanation: string;
  insertImplementation: string;
  related: string;
  fromNotes: string;
  builtIn: string;
  moreNotes: string;
  openNote: string;
}

export const HOVER_LABELS: Record<ContentLanguage, HoverLabels> = {
  en: {
    openExplanation: 'Open explanation',
    insertImplementation: 'Insert implementation',
    related: 'Related',
    fromNotes: 'From your notes',
    builtIn: 'Built-in',
    moreNotes: 'and {0} more in your notes (Look Up Concept lists them all)',
    openNote: 'open note',
  },
  'zh-cn': {
    openExplanation: '打开讲解',
    insertImplementation: '插入实现',
    related: '相关',
    fromNotes: '来自你的笔记',
    builtIn: '内置条目',
    moreNotes: '你的笔记中还有 {0} 条（“查找概念”会列出全部）',
    openNote: '打开笔记',
  },
};

/** Command ids the hover links to; the hover enables exactly these and nothing else. */
export const HOVER_COMMANDS = {
  openPanel: 'mlConceptLens.openPanel',
  insertImplementation: 'mlConceptLens.insertImplementation',
  openNote: 'mlConceptLens.openNote',
} as const;

/**
 * Markdown metacharacters: concept text is shown as text, never as markup. `:` and `.` too, so a URL
 * or an address in someone's notes (`https://…`, `www.…`, `a@b.com`) is no autolink in the hover:
 * the only links there are our own.
 */
/** A label's colon: ': ' in English, the full-width '：' (no space) in Chinese. */
function colon(lang: ContentLanguage): string {
  return lang === 'en' ? ': ' : '：';
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$:]/g, ch => `\\${ch}`);
}

function commandLink(label: string, command: string, args: unknown[]): string {
  return `[${escapeMarkdown(label)}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

/** A pitfall line keeps its `code` spans as code; everything else is text. */
function pitfallText(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 ? part : escapeMarkdown(part)))
    .join('');
}

export { latexToReadableText } from './formulaMarkdown';

export interface HoverInput {
  concepts: readonly Concept[];
  lang: ContentLanguage;
  theme: FormulaTheme;
  /** The main concept's formula as SVG in currentColor (built-in concepts), if it has one. */
  formulaImage?: string;
  /** Typesets the user's formulas (notes); without it they show as readable text. */
  mathImage?: MathImage;
  titleOf: (id: string) => string | undefined;
  /** The hovered text, which decides whether a call's pitfall leads the hover. */
  term?: string;
}

/**
 * The hover for a matched term, compactly: title (display language first, the other small), the
 * one-line summary, the key formula as an image, and links to open, insert and related concepts;
 * then "From your notes" for each note that defines the same term.
 */
export function buildHoverMarkdown({ concepts, lang, theme, formulaImage, mathImage, titleOf, term }: HoverInput): string {
  const labels = HOVER_LABELS[lang];
  const [main] = concepts;
  const otherLang: ContentLanguage = lang === 'en' ? 'zh-cn' : 'en';
  const lines: string[] = [];
  const pitfall = term ? pitfallFor(main, term) : undefined;
  if (pitfall) lines.push(`$(warning) **${escapeMarkdown(pitfall.api)}** — ${pitfallText(pitfall.text[lang])}`, '');
  const second = main.title[otherLang] !== main.title[lang] ? ` · *${escapeMarkdown(main.title[otherLang])}*` : '';
  lines.push(`**${escapeMarkdown(main.title[lang])}**${second}`, '');
  // A note's summary is its first sentence, often with $…$ math; built-in summaries are plain text.
  lines.push(main.source === 'builtin' ? escapeMarkdown(main.summary[lang]) : proseWithMathMarkdown(main.summary[lang], theme, mathImage), '');
  const formula = main.formulas[0];
  if (formula && formulaImage) lines.push(formulaImageMarkdown({ svg: formulaImage }, formula, theme), '');
  else if (formula) lines.push(mathMarkdown(formula, true, theme, mathImage), '');
  const links = [commandLink(labels.openExplanation, HOVER_COMMANDS.openPanel, [main.id])];
  if (main.snippets.length) links.push(commandLink(labels.insertImplementation, HOVER_COMMANDS.insertImplementation, [main.id]));
  lines.push(links.join(' · '));
  const related = main.related
    .map(id => ({ id, title: titleOf(id) }))
    .filter((r): r is { id: string; title: string } => !!r.title)
    .slice(0, 4);
  const notes = concepts.filter(c => c.source !== 'builtin');
  // With notes below, the related concepts (also in the panel) would push the hover into scrolling.
  if (related.length && !notes.length)
    lines.push('', `${labels.related}${colon(lang)}${related.map(r => commandLink(r.title, HOVER_COMMANDS.openPanel, [r.id])).join(lang === 'en' ? ', ' : '、')}`);
  // A note led the hover (it is named by the term; the base files the term under another concept):
  // say which built-in concept also claims it.
  for (const other of concepts.slice(1)) {
    if (other.source !== 'builtin') continue;
    lines.push('', `**${labels.builtIn}${colon(lang).trim()}** ${commandLink(other.title[lang], HOVER_COMMANDS.openPanel, [other.id])} — ${escapeMarkdown(other.summary[lang])}`);
  }
  // A term every notes file shares (a heading such as "推导") must not make a hover pages long.
  for (const note of notes.slice(0, NOTES_SHOWN)) {
    if (note.source === 'builtin') continue; // narrows the type; notes has no built-in concept
    lines.push(
      '',
      '---',
      '',
      `**${labels.fromNotes}${colon(lang).trim()}** ${proseWithMathMarkdown(noteExcerpt(note, lang), theme, mathImage)} ${commandLink(labels.openNote, HOVER_COMMANDS.openNote, [note.source.file, note.source.line])}`,
    );
  }
  if (notes.length > NOTES_SHOWN) lines.push('', escapeMarkdown(labels.moreNotes.replace('{0}', String(notes.length - NOTES_SHOWN))));
  return lines.join('\n');
}

/** How many notes the hover lists under "From your notes"; the rest are counted. */
export const NOTES_SHOWN = 3;

/**
 * Widest excerpt of a note, in columns (a CJK character is two): about one line of the hover, so
 * NOTES_SHOWN notes under a built-in concept stay inside the hover's ~250 px without a scrollbar.
 */
export const NOTE_EXCERPT_COLUMNS = 64;

function columns(text: string): number {
  let n = 0;
  for (const ch of text) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return n;
}

/**
 * A note in one short line: its question, then the start of its answer, cut at
 * NOTE_EXCERPT_COLUMNS, before a formula rather than inside it (the excerpt's math is typeset and
 * counted by its source length, which is wider than the formula drawn).
 */
export function noteExcerpt(note: Concept, lang: ContentLanguage): string {
  const qa = note.qa[lang][0] ?? note.qa.en[0] ?? note.qa['zh-cn'][0];
  const flat = (text: string) => text.replace(/!\[[^\]]*\]\([^)]*\)/g, '').replace(/^[#>\s*-]+/gm, '').replace(/\*\*|__/g, '').replace(/\s+/g, ' ').trim();
  // Bounded first: an excerpt shows one line, and the image rule must never see a pasted megabyte.
  const question = flat((qa?.question ?? '').slice(0, 600)) || note.title[lang];
  // Headings name a part of the answer; the excerpt is its first sentences.
  const body = (qa?.answer ?? '')
    .slice(0, 4000)
    .split(/\n\s*\n/)
    .filter(p => !/^\s*#/.test(p))
    .map(flat)
    .filter(Boolean)
    .join(' ')
    .slice(0, NOTE_EXCERPT_COLUMNS * 2);
  const text = body && body !== question ? `${question} — ${body}` : question;
  if (columns(text) <= NOTE_EXCERPT_COLUMNS) return text;
  let cut = 0;
  for (let width = 0; cut < text.length && width + columns(text[cut]) < NOTE_EXCERPT_COLUMNS; cut++) width += columns(text[cut]);
  for (const span of latexSpans(text)) if (span.start < cut && cut < span.end) cut = span.start;
  return `${text.slice(0, cut).trimEnd()}…`;
}

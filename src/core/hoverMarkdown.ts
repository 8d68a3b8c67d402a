import type { Concept, ContentLanguage } from './concept';
import { formulaForTheme } from './knowledgeBase';
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

/** Markdown metacharacters: concept text is shown as text, never as markup. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$]/g, ch => `\\${ch}`);
}

function commandLink(label: string, command: string, args: unknown[]): string {
  return `[${escapeMarkdown(label)}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

function svgDataUri(svg: string): string {
  // UTF-8 → base64 without Buffer, so the same code runs in the browser extension host.
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** A pitfall line keeps its `code` spans as code; everything else is text. */
function pitfallText(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 ? part : escapeMarkdown(part)))
    .join('');
}

/** Plain-Unicode rendering of simple LaTeX for formulas that have no image (the user's notes). */
export function latexToReadableText(latex: string): string {
  const symbols: Record<string, string> = {
    alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', theta: 'θ', lambda: 'λ', mu: 'μ',
    sigma: 'σ', Sigma: 'Σ', pi: 'π', phi: 'φ', psi: 'ψ', omega: 'ω', sum: 'Σ', prod: 'Π', int: '∫', infty: '∞',
    leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', approx: '≈', sim: '~', cdot: '·', times: '×', in: '∈',
    mid: '|', to: '→', rightarrow: '→', partial: '∂', nabla: '∇', ln: 'ln', log: 'log', exp: 'exp', KL: 'KL',
    mathbb: '', mathcal: '', mathrm: '', text: '', operatorname: '', left: '', right: '', big: '', Big: '', quad: ' ',
  };
  return latex
    .replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, '($1)/($2)')
    .replace(/\\sqrt\{([^{}]*)\}/g, '√($1)')
    .replace(/\\\|/g, '‖')
    .replace(/\\([A-Za-z]+)/g, (m, name: string) => (name in symbols ? symbols[name] : m))
    .replace(/\\[,;:!]/g, ' ')
    .replace(/[{}]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface HoverInput {
  concepts: readonly Concept[];
  lang: ContentLanguage;
  theme: 'light' | 'dark';
  /** The main concept's formula as SVG in currentColor (built-in concepts), if it has one. */
  formulaImage?: string;
  titleOf: (id: string) => string | undefined;
  /** The hovered text, which decides whether a call's pitfall leads the hover. */
  term?: string;
}

/**
 * The hover for a matched term, compactly: title (display language first, the other small), the
 * one-line summary, the key formula as an image, and links to open, insert and related concepts;
 * then "From your notes" for each note that defines the same term.
 */
export function buildHoverMarkdown({ concepts, lang, theme, formulaImage, titleOf, term }: HoverInput): string {
  const labels = HOVER_LABELS[lang];
  const [main] = concepts;
  const otherLang: ContentLanguage = lang === 'en' ? 'zh-cn' : 'en';
  const lines: string[] = [];
  const pitfall = term ? pitfallFor(main, term) : undefined;
  if (pitfall) lines.push(`$(warning) **${escapeMarkdown(pitfall.api)}** — ${pitfallText(pitfall.text[lang])}`, '');
  const second = main.title[otherLang] !== main.title[lang] ? ` · *${escapeMarkdown(main.title[otherLang])}*` : '';
  lines.push(`**${escapeMarkdown(main.title[lang])}**${second}`, '');
  lines.push(escapeMarkdown(main.summary[lang]), '');
  const image = formulaImage;
  if (image) lines.push(`![${escapeMarkdown(main.formulas[0] ?? '')}](${svgDataUri(formulaForTheme(image, theme))})`, '');
  else if (main.formulas[0]) lines.push(`\`${latexToReadableText(main.formulas[0]).replace(/`/g, "'")}\``, '');
  const links = [commandLink(labels.openExplanation, HOVER_COMMANDS.openPanel, [main.id])];
  if (main.snippets.length) links.push(commandLink(labels.insertImplementation, HOVER_COMMANDS.insertImplementation, [main.id]));
  lines.push(links.join(' · '));
  const related = main.related
    .map(id => ({ id, title: titleOf(id) }))
    .filter((r): r is { id: string; title: string } => !!r.title)
    .slice(0, 4);
  if (related.length)
    lines.push('', `${labels.related}${lang === 'en' ? ': ' : '：'}${related.map(r => commandLink(r.title, HOVER_COMMANDS.openPanel, [r.id])).join(lang === 'en' ? ', ' : '、')}`);
  // A note led the hover (it is named by the term; the base files the term under another concept):
  // say which built-in concept also claims it.
  for (const other of concepts.slice(1)) {
    if (other.source !== 'builtin') continue;
    lines.push('', `**${labels.builtIn}:** ${commandLink(other.title[lang], HOVER_COMMANDS.openPanel, [other.id])} — ${escapeMarkdown(other.summary[lang])}`);
  }
  // A term every notes file shares (a heading such as "推导") must not make a hover pages long.
  const notes = concepts.filter(c => c.source !== 'builtin');
  for (const note of notes.slice(0, NOTES_SHOWN)) {
    if (note.source === 'builtin') continue; // narrows the type; notes has no built-in concept
    const question = (note.qa.en[0]?.question ?? '').replace(/!\[[^\]]*\]\([^)]*\)/g, '').replace(/\s+/g, ' ').trim();
    const short = question.length > 120 ? `${question.slice(0, 119)}…` : question;
    lines.push(
      '',
      '---',
      '',
      `**${labels.fromNotes}:** ${escapeMarkdown(short || note.title[lang])} ${commandLink(labels.openNote, HOVER_COMMANDS.openNote, [note.source.file, note.source.line])}`,
    );
  }
  if (notes.length > NOTES_SHOWN) lines.push('', escapeMarkdown(labels.moreNotes.replace('{0}', String(notes.length - NOTES_SHOWN))));
  return lines.join('\n');
}

/** How many notes the hover lists under "From your notes"; the rest are counted. */
export const NOTES_SHOWN = 3;

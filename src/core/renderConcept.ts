import { Concept, ContentLanguage, TopicInfo, isBuiltin } from './concept';
import type { NotesEntry } from './importQaNotes';
import { escapeHtml, renderFormula, renderInlineMarkdown, renderMarkdown } from './renderMarkdown';

export interface RenderLabels {
  formulas: string;
  related: string;
  references: string;
  implementations: string;
  insert: string;
  fromNotes: string;
}

export const RENDER_LABELS: Record<ContentLanguage, RenderLabels> = {
  en: {
    formulas: 'Key formulas',
    related: 'Related',
    references: 'References',
    implementations: 'Reference implementations',
    insert: 'Insert',
    fromNotes: 'From your notes',
  },
  'zh-cn': {
    formulas: '关键公式',
    related: '相关概念',
    references: '参考文献',
    implementations: '参考实现',
    insert: '插入',
    fromNotes: '来自你的笔记',
  },
};

function other(lang: ContentLanguage): ContentLanguage {
  return lang === 'en' ? 'zh-cn' : 'en';
}

/** Anchor of the n-th question (0-based), so hovers and the tree can deep-link to a section. */
export function questionAnchor(n: number): string {
  return `q${n + 1}`;
}

/**
 * The explanation panel's body for one concept, in the order a page reads: `top` (titles in both
 * languages, summary, typeset formulas), `qa` (every question with its answer), `notes` ("From your
 * notes", only what the user's notes add) and `tail` (related concepts, snippet buttons, references).
 * The build renders the built-in parts once (src/build/buildPanelPages.ts); the panel adds `notes`.
 * All text goes through markdown-it without HTML, so nothing in a concept (or in a user's note)
 * becomes markup.
 */
export interface ConceptParts {
  top: string;
  qa: string;
  notes: string;
  tail: string;
}

export function renderConceptParts(
  concept: Concept,
  lang: ContentLanguage,
  titleOf: (id: string) => string | undefined,
  notes: readonly Concept[] = [],
  topics: readonly TopicInfo[] = [],
): ConceptParts {
  const labels = RENDER_LABELS[lang];
  const top: string[] = [];
  const source = concept.source === 'builtin' ? 'builtin' : `${concept.source.file}:${concept.source.line}`;
  top.push(`<article class="concept" data-concept="${escapeHtml(concept.id)}" data-source="${escapeHtml(source)}">`);
  top.push('<header>');
  const topic = topics.find(t => t.id === concept.topic);
  if (topic) top.push(`<p class="topic">${escapeHtml(topic.title[lang])}</p>`);
  top.push(`<h1>${renderInlineMarkdown(concept.title[lang])}</h1>`);
  if (concept.title[other(lang)] !== concept.title[lang])
    top.push(`<p class="other-title" lang="${other(lang)}">${renderInlineMarkdown(concept.title[other(lang)])}</p>`);
  top.push(`<p class="summary">${renderInlineMarkdown(concept.summary[lang])}</p>`);
  top.push('</header>');
  if (isBuiltin(concept) && concept.formulas.length) {
    top.push(`<section class="formulas"><h2 class="section-title">${labels.formulas}</h2>`);
    for (const f of concept.formulas)
      top.push(`<div class="formula" data-latex="${escapeHtml(f)}">${renderFormula(f)}</div>`);
    top.push('</section>');
  }
  return { top: top.join('\n'), qa: renderQa(concept, lang), notes: renderFromNotes(notes, lang), tail: renderTail(concept, lang, titleOf) };
}

export function renderConceptHtml(
  concept: Concept,
  lang: ContentLanguage,
  titleOf: (id: string) => string | undefined,
  notes: readonly Concept[] = [],
  topics: readonly TopicInfo[] = [],
): string {
  const { top, qa, notes: fromNotes, tail } = renderConceptParts(concept, lang, titleOf, notes, topics);
  return [top, qa, fromNotes, tail].filter(Boolean).join('\n');
}

/** "From your notes": each note's first question and answer, linked to its line. */
export function renderFromNotes(notes: readonly Concept[], lang: ContentLanguage): string {
  const parts: string[] = [];
  for (const note of notes) {
    if (note.source === 'builtin') continue;
    parts.push(
      `<section class="from-notes" data-source="${escapeHtml(`${note.source.file}:${note.source.line}`)}"><h2 class="section-title">${RENDER_LABELS[lang].fromNotes}</h2>`,
    );
    parts.push(`<blockquote class="question">${renderMarkdown(note.qa.en[0]?.question ?? '')}</blockquote>`);
    parts.push(`<div class="answer">${renderMarkdown(note.qa.en[0]?.answer ?? '')}</div></section>`);
  }
  return parts.join('\n');
}

function renderTail(concept: Concept, lang: ContentLanguage, titleOf: (id: string) => string | undefined): string {
  const labels = RENDER_LABELS[lang];
  const parts: string[] = [];
  const related = concept.related.filter(id => titleOf(id));
  if (related.length) {
    parts.push(`<section class="related"><h2 class="section-title">${labels.related}</h2><ul>`);
    for (const id of related)
      parts.push(`<li><a href="#" data-concept="${escapeHtml(id)}">${renderInlineMarkdown(titleOf(id)!)}</a></li>`);
    parts.push('</ul></section>');
  }
  if (concept.snippets.length) {
    parts.push(`<section class="snippets"><h2 class="section-title">${labels.implementations}</h2><ul>`);
    for (const id of concept.snippets)
      parts.push(`<li><button type="button" data-snippet="${escapeHtml(id)}">${labels.insert} <code>${escapeHtml(id)}</code></button></li>`);
    parts.push('</ul></section>');
  }
  if (concept.references.length) {
    parts.push(`<section class="references"><h2 class="section-title">${labels.references}</h2><ol>`);
    for (const r of concept.references) parts.push(`<li>${renderInlineMarkdown(r)}</li>`);
    parts.push('</ol></section>');
  }
  parts.push('</article>');
  return parts.join('\n');
}

/** Every question with its answer, each under an anchor (questionAnchor). */
export function renderQa(concept: Concept, lang: ContentLanguage): string {
  const qa = concept.qa[lang].length ? concept.qa[lang] : concept.qa[other(lang)];
  return qa
    .map((item, n) => {
      const id = questionAnchor(n);
      const question = isBuiltin(concept)
        ? `<h2 class="question" id="${id}">${renderInlineMarkdown(item.question)}</h2>`
        : `<blockquote class="question" id="${id}">${renderMarkdown(item.question)}</blockquote>`;
      return `<section class="qa">${question}<div class="answer">${renderMarkdown(item.answer)}</div></section>`;
    })
    .join('\n');
}

/** A whole notes file as the panel shows it (`kb render FILE`): each entry's question and answer. */
export function renderNotesHtml(entries: readonly NotesEntry[]): string {
  return entries
    .map(
      e =>
        `<section class="note-entry" id="line-${e.line}" data-terms="${escapeHtml(e.terms.join('|'))}">` +
        `<blockquote class="question">${renderMarkdown(e.question)}</blockquote>` +
        `<div class="answer">${renderMarkdown(e.answer)}</div></section>`,
    )
    .join('\n');
}

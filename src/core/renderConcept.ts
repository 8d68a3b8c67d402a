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
 * The explanation panel's body for one concept: titles in both languages, summary, typeset formulas,
 * every question with its answer, related concepts, references and snippet buttons. All text goes
 * through markdown-it without HTML, so nothing in a concept (or in a user's note) becomes markup.
 */
export interface RenderOptions {
  /**
   * Leave the questions out, as an empty `.qa-deferred` element for renderQa: the panel paints
   * the top of a long page (title, summary, key formulas) first and fills in the questions after.
   */
  deferQuestions?: boolean;
  /** The base's topics, for the topic line above the title. */
  topics?: readonly TopicInfo[];
}

export function renderConceptHtml(
  concept: Concept,
  lang: ContentLanguage,
  titleOf: (id: string) => string | undefined,
  notes: readonly Concept[] = [],
  options: RenderOptions = {},
): string {
  const labels = RENDER_LABELS[lang];
  const parts: string[] = [];
  const source = concept.source === 'builtin' ? 'builtin' : `${concept.source.file}:${concept.source.line}`;
  parts.push(`<article class="concept" data-concept="${escapeHtml(concept.id)}" data-source="${escapeHtml(source)}">`);
  parts.push('<header>');
  const topic = options.topics?.find(t => t.id === concept.topic);
  if (topic) parts.push(`<p class="topic">${escapeHtml(topic.title[lang])}</p>`);
  parts.push(`<h1>${renderInlineMarkdown(concept.title[lang])}</h1>`);
  if (concept.title[other(lang)] !== concept.title[lang])
    parts.push(`<p class="other-title" lang="${other(lang)}">${renderInlineMarkdown(concept.title[other(lang)])}</p>`);
  parts.push(`<p class="summary">${renderInlineMarkdown(concept.summary[lang])}</p>`);
  parts.push('</header>');
  if (isBuiltin(concept) && concept.formulas.length) {
    parts.push(`<section class="formulas"><h2 class="section-title">${labels.formulas}</h2>`);
    for (const f of concept.formulas)
      parts.push(`<div class="formula" data-latex="${escapeHtml(f)}">${renderFormula(f)}</div>`);
    parts.push('</section>');
  }
  parts.push(options.deferQuestions ? '<div class="qa-deferred"></div>' : renderQa(concept, lang));
  for (const note of notes) {
    if (note.source === 'builtin') continue;
    parts.push(
      `<section class="from-notes" data-source="${escapeHtml(`${note.source.file}:${note.source.line}`)}"><h2 class="section-title">${labels.fromNotes}</h2>`,
    );
    parts.push(`<blockquote class="question">${renderMarkdown(note.qa.en[0]?.question ?? '')}</blockquote>`);
    parts.push(`<div class="answer">${renderMarkdown(note.qa.en[0]?.answer ?? '')}</div></section>`);
  }
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

/** Every question with its answer: the part a `deferQuestions` render leaves out. */
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

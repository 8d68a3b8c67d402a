import { Concept, ContentLanguage, TopicInfo, isBuiltin } from './concept';

const LABELS: Record<ContentLanguage, { index: string; yourNotes: string }> = {
  en: { index: 'All concepts', yourNotes: 'Your notes' },
  'zh-cn': { index: '全部概念', yourNotes: '你的笔记' },
};

/** Text as HTML text or attribute value (the index needs no renderer, so the host bundle has none). */
function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, ch => `&#${ch.charCodeAt(0)};`);
}

/**
 * The panel's index: every topic with its concepts, then the user's notes. Titles and summaries are
 * shown as text, never as markup.
 */
export function renderIndexHtml(topics: readonly TopicInfo[], concepts: readonly Concept[], lang: ContentLanguage): string {
  const labels = LABELS[lang];
  const parts: string[] = [`<article class="index"><h1>${labels.index}</h1>`];
  for (const topic of topics) {
    const inTopic = concepts.filter(c => c.topic === topic.id && isBuiltin(c));
    if (!inTopic.length) continue;
    parts.push(`<section><h2>${escapeText(topic.title[lang])}</h2><ul>`);
    for (const c of inTopic)
      parts.push(`<li><a href="#" data-concept="${escapeText(c.id)}">${escapeText(c.title[lang])}</a> <span class="summary">${escapeText(c.summary[lang])}</span></li>`);
    parts.push('</ul></section>');
  }
  const notes = concepts.filter(c => !isBuiltin(c));
  if (notes.length) {
    parts.push(`<section><h2>${labels.yourNotes}</h2><ul>`);
    for (const c of notes) parts.push(`<li><a href="#" data-concept="${escapeText(c.id)}">${escapeText(c.title[lang])}</a></li>`);
    parts.push('</ul></section>');
  }
  parts.push('</article>');
  return parts.join('');
}

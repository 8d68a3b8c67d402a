import { CONTENT_LANGUAGES, Concept, ContentLanguage, TopicInfo } from '../core/concept';
import type { KnowledgeBaseData } from '../core/knowledgeBase';
import { BuiltPage, PagePack, cspSafeHtml, extractMath } from '../core/pagePack';
import { renderConceptParts } from '../core/renderConcept';

/** Renders one topic's concepts in both languages into a pack. */
export function packPages(concepts: readonly Concept[], titleOf: (id: string, lang: ContentLanguage) => string | undefined, topics: readonly TopicInfo[]): PagePack {
  const table = new Map<string, number>();
  const pages: PagePack['pages'] = {};
  for (const c of concepts) {
    const byLang = {} as Record<ContentLanguage, BuiltPage>;
    for (const lang of CONTENT_LANGUAGES) {
      const { top, qa, tail } = renderConceptParts(c, lang, id => titleOf(id, lang), [], topics);
      byLang[lang] = { top: extractMath(cspSafeHtml(top), table), qa: extractMath(cspSafeHtml(qa), table), tail: cspSafeHtml(tail) };
    }
    pages[c.id] = byLang;
  }
  return { math: [...table.keys()], pages };
}

/**
 * Every built-in page of the explanation panel, both languages, KaTeX included, rendered with the
 * module the panel and `kb render` use; one pack per topic (written to dist/pages/<topic>.json).
 */
export function buildPanelPages({ topics, concepts }: KnowledgeBaseData): Record<string, PagePack> {
  const byId = new Map(concepts.map(c => [c.id, c]));
  const packs: Record<string, PagePack> = {};
  for (const topic of topics) {
    const inTopic = concepts.filter(c => c.topic === topic.id);
    if (inTopic.length) packs[topic.id] = packPages(inTopic, (id, lang) => byId.get(id)?.title[lang], topics);
  }
  return packs;
}

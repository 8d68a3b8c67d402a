import type { Concept } from '../../src/core/concept';

/** A minimal concept for matcher tests that must not depend on the shipped content. */
export function concept(id: string, fields: Partial<Concept> = {}): Concept {
  return {
    id,
    topic: 'variational-inference',
    title: { en: id, 'zh-cn': id },
    aliases: { en: [], 'zh-cn': [], abbr: [] },
    identifiers: [],
    ambiguous: [],
    caseSensitive: [],
    summary: { en: `${id} summary`, 'zh-cn': `${id} 摘要` },
    formulas: [],
    qa: { en: [{ question: `What is ${id}?`, answer: 'An answer.' }], 'zh-cn': [{ question: `什么是 ${id}？`, answer: '回答。' }] },
    related: [],
    references: [],
    snippets: [],
    source: 'builtin',
    ...fields,
  };
}

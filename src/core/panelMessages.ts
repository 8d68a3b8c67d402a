import type { Concept, ContentLanguage, TopicInfo } from './concept';

/** Messages the extension sends to the explanation panel's webview. */
export type ToPanel =
  | { type: 'load'; topics: TopicInfo[]; concepts: Concept[]; lang: ContentLanguage; target?: PanelTarget }
  | { type: 'navigate'; target: PanelTarget };

export interface PanelTarget {
  id: string;
  /** A section anchor (q1, q2, …) to scroll to. */
  anchor?: string;
}

/** Messages the webview may send. Anything else is dropped. */
export type FromPanel =
  | { type: 'ready' }
  | { type: 'insert'; snippetId: string }
  | { type: 'copy'; text: string }
  | { type: 'openNote'; file: string; line: number }
  | { type: 'painted'; conceptId: string };

const MAX_COPY = 20_000;

/**
 * Validates a message from the webview before the extension acts on it: the type must be known, a
 * snippet id must be one we ship, a note must be one we indexed. The webview renders user notes, so
 * it is treated as untrusted.
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
    case 'painted':
      return typeof m.conceptId === 'string' && known.conceptIds.has(m.conceptId) ? { type: 'painted', conceptId: m.conceptId } : undefined;
    default:
      return undefined;
  }
}

import * as vscode from 'vscode';
import type { Concept, ContentLanguage } from './core/concept';
import { ConceptIndex, buildConceptIndex } from './core/conceptIndex';
import { KnowledgeBaseData, formulaPackPath, parseKnowledgeBase } from './core/knowledgeBase';

/**
 * The built-in knowledge base (dist/kb.json, read through workspace.fs so it also loads in vscode.dev)
 * merged with concepts from the user's notes. The index is rebuilt lazily after notes change; until
 * then lookups use the previous one.
 */
export class KnowledgeStore implements vscode.Disposable {
  private data: KnowledgeBaseData | undefined;
  private loading: Promise<void> | undefined;
  private index: ConceptIndex | undefined;
  private readonly notes = new Map<string, Concept[]>();
  private readonly formulaPacks = new Map<string, Promise<Record<string, string>>>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the notes part of the base changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly extensionUri: vscode.Uri) {}

  ready(): Promise<void> {
    this.loading ??= (async () => {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.extensionUri, 'dist', 'kb.json'));
      this.data = parseKnowledgeBase(new TextDecoder().decode(bytes));
    })();
    return this.loading;
  }

  get isReady(): boolean {
    return this.data !== undefined;
  }

  get builtin(): readonly Concept[] {
    return this.data?.concepts ?? [];
  }

  get topics(): KnowledgeBaseData['topics'] {
    return this.data?.topics ?? [];
  }

  /** A built-in concept's hover image (SVG in currentColor), from its topic's pack, read once. */
  async formulaImage(concept: Concept): Promise<string | undefined> {
    if (!concept.topic) return undefined;
    let pack = this.formulaPacks.get(concept.topic);
    if (!pack) {
      pack = Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.extensionUri, ...formulaPackPath(concept.topic)))).then(
        bytes => JSON.parse(new TextDecoder().decode(bytes)) as Record<string, string>,
        () => ({}),
      );
      this.formulaPacks.set(concept.topic, pack);
    }
    return (await pack)[concept.id];
  }

  /** Built-in concepts first, then every notes file's. */
  get all(): Concept[] {
    return [...this.builtin, ...[...this.notes.values()].flat()];
  }

  get conceptIndex(): ConceptIndex {
    this.index ??= buildConceptIndex(this.all, this.data?.senses);
    return this.index;
  }

  get notesFileCount(): number {
    return this.notes.size;
  }

  concept(id: string): Concept | undefined {
    return this.conceptIndex.concepts.get(id);
  }

  titleOf(id: string, lang: ContentLanguage): string | undefined {
    return this.concept(id)?.title[lang];
  }

  /** Notes concepts defining any of `concept`'s terms, for "From your notes". */
  notesFor(concept: Concept): Concept[] {
    const ids = new Set<string>();
    for (const entry of this.conceptIndex.entries.values())
      if (entry.conceptIds[0] === concept.id) for (const id of entry.conceptIds.slice(1)) ids.add(id);
    return [...ids].map(id => this.concept(id)!).filter(Boolean);
  }

  /** Replaces the concepts of the given notes files (an empty list removes a file) in one change. */
  setNotes(files: Iterable<[file: string, concepts: Concept[]]>): void {
    for (const [file, concepts] of files) {
      if (concepts.length) this.notes.set(file, concepts);
      else this.notes.delete(file);
    }
    this.index = undefined;
    this.changed.fire();
  }

  clearNotes(): void {
    this.notes.clear();
    this.index = undefined;
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

import * as vscode from 'vscode';
import type { Concept, ContentLanguage } from './core/concept';
import { BuiltPage, PagePack, pageFromPack, pagePackPath } from './core/pagePack';
import type { KnowledgeStore } from './knowledgeStore';

export type PanelPage = BuiltPage & { notes: Concept[]; note?: Concept };

/**
 * The panel's pages: built-in ones from the pre-rendered packs (dist/pages/<topic>.json, read through
 * workspace.fs on first use of a topic); the user's notes go to the webview as data, which renders
 * them with the one renderer (markdown-it without HTML, KaTeX with trust off): the host bundle has
 * no renderer.
 */
export class PanelPages {
  private readonly packs = new Map<string, Promise<PagePack | undefined>>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: KnowledgeStore,
  ) {}

  private pack(topic: string): Promise<PagePack | undefined> {
    let pack = this.packs.get(topic);
    if (!pack) {
      pack = Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.extensionUri, ...pagePackPath(topic)))).then(
        bytes => JSON.parse(new TextDecoder().decode(bytes)) as PagePack,
        () => undefined,
      );
      this.packs.set(topic, pack);
    }
    return pack;
  }

  async page(concept: Concept, lang: ContentLanguage): Promise<PanelPage> {
    if (concept.source !== 'builtin') return { top: '', qa: '', tail: '', notes: [], note: concept };
    const pack = concept.topic ? await this.pack(concept.topic) : undefined;
    const built = pack && pageFromPack(pack, concept.id, lang);
    if (!built) throw new Error(`ML Concept Lens: no pre-rendered page for ${concept.id}; rebuild with \`npm run build\``);
    return { ...built, notes: this.store.notesFor(concept) };
  }
}

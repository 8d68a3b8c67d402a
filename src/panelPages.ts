import * as vscode from 'vscode';
import type { Concept, ContentLanguage } from './core/concept';
import { BuiltPage, PagePack, pageFromPack, pagePackPath } from './core/pagePack';
import type { KnowledgeStore } from './knowledgeStore';

export type PanelPage = BuiltPage & { notes: Concept[]; note?: Concept };

/** Packs read lately, shared by every panel and warmed by the hover: a few, as a topic's is up to 1.5 MB. */
const packs = new Map<string, Promise<PagePack | undefined>>();
const PACKS_KEPT = 4;

function readPack(extensionUri: vscode.Uri, topic: string): Promise<PagePack | undefined> {
  let pack = packs.get(topic);
  if (pack) packs.delete(topic); // re-inserted below as the most recent
  else
    pack = Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, ...pagePackPath(topic)))).then(
      bytes => JSON.parse(new TextDecoder().decode(bytes)) as PagePack,
      () => undefined,
    );
  packs.set(topic, pack);
  for (const old of packs.keys()) if (packs.size > PACKS_KEPT) packs.delete(old);
  return pack;
}

/** Reads the pack of a built-in concept's page ahead, while its hover (with the link to the page) is shown. */
export function preloadPage(extensionUri: vscode.Uri, concept: Concept): void {
  if (concept.source === 'builtin' && concept.topic) void readPack(extensionUri, concept.topic);
}

/**
 * The panel's pages: built-in ones from the pre-rendered packs (dist/pages/<topic>.json, read through
 * workspace.fs on first use of a topic, a few kept); the user's notes go to the webview as
 * data, which renders them with the one renderer (markdown-it without HTML, KaTeX with trust off):
 * the host bundle has no renderer.
 */
export class PanelPages {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: KnowledgeStore,
  ) {}

  private pack(topic: string): Promise<PagePack | undefined> {
    return readPack(this.extensionUri, topic);
  }

  async page(concept: Concept, lang: ContentLanguage): Promise<PanelPage> {
    if (concept.source !== 'builtin') return { top: '', qa: '', tail: '', notes: [], note: concept };
    const pack = concept.topic ? await this.pack(concept.topic) : undefined;
    const built = pack && pageFromPack(pack, concept.id, lang);
    if (!built) throw new Error(`ML Concept Lens: no pre-rendered page for ${concept.id}; rebuild with \`npm run build\``);
    return { ...built, notes: this.store.notesFor(concept) };
  }
}

import * as vscode from 'vscode';
import type { Concept, TopicInfo } from './core/concept';
import type { KnowledgeStore } from './knowledgeStore';
import { localize } from './localize';
import { CONTENT_LANGUAGE, affects, contentLanguage } from './settings';

type Node = { kind: 'topic'; topic: TopicInfo } | { kind: 'notes' } | { kind: 'concept'; concept: Concept };

/** The "ML Concepts" view: concepts grouped by topic, then the user's notes; each opens the panel. */
class ConceptTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly store: KnowledgeStore) {}

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    await this.store.ready();
    if (!node) {
      const topics: Node[] = this.store.topics
        .filter(t => this.store.builtin.some(c => c.topic === t.id))
        .map(topic => ({ kind: 'topic', topic }));
      return this.store.notesFileCount ? [...topics, { kind: 'notes' }] : topics;
    }
    if (node.kind === 'topic')
      return this.store.builtin.filter(c => c.topic === node.topic.id).map(concept => ({ kind: 'concept', concept }));
    if (node.kind === 'notes')
      return this.store.all.filter(c => c.source !== 'builtin').map(concept => ({ kind: 'concept', concept }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const lang = contentLanguage();
    if (node.kind !== 'concept') {
      const label = node.kind === 'topic' ? node.topic.title[lang] : localize(lang, 'Your notes');
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.kind === 'topic' ? `topic:${node.topic.id}` : 'notes';
      return item;
    }
    const { concept } = node;
    const item = new vscode.TreeItem(concept.title[lang], vscode.TreeItemCollapsibleState.None);
    item.id = concept.id;
    item.description = concept.title[lang === 'en' ? 'zh-cn' : 'en'];
    item.tooltip = new vscode.MarkdownString().appendText(concept.summary[lang]);
    item.iconPath = new vscode.ThemeIcon(concept.source === 'builtin' ? 'symbol-field' : 'note');
    item.command = { command: 'mlConceptLens.openPanel', title: localize(lang, 'Open explanation'), arguments: [concept.id] };
    return item;
  }
}

export function registerConceptTree(store: KnowledgeStore): vscode.Disposable {
  const provider = new ConceptTreeProvider(store);
  const view = vscode.window.createTreeView('mlConceptLens.concepts', { treeDataProvider: provider, showCollapseAll: true });
  return vscode.Disposable.from(
    view,
    store.onDidChange(() => provider.refresh()),
    vscode.workspace.onDidChangeConfiguration(e => affects(e, CONTENT_LANGUAGE) && provider.refresh()),
  );
}

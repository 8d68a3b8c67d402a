import * as vscode from 'vscode';
import { ConceptCommands } from './commands';
import { registerConceptTree } from './conceptTree';
import { ExplanationPanel, PANEL_VIEW_TYPE } from './explanationPanel';
import { registerConceptHover } from './hoverProvider';
import { KnowledgeStore } from './knowledgeStore';
import { MathTypesetting } from './mathTypesetting';
import { NotesIndexer } from './notesIndexer';
import { preloadPage } from './panelPages';
import { SnippetCatalog } from './snippetInsertion';
import { registerHoverStatus } from './statusBar';

export function activate(context: vscode.ExtensionContext) {
  const store = new KnowledgeStore(context.extensionUri);
  const snippets = new SnippetCatalog(context.extensionUri);
  const notes = new NotesIndexer(store, context.extensionUri);
  const typesetting = new MathTypesetting(context.extensionUri);
  const commands = new ConceptCommands(context, store, snippets, () => notes.reload());
  context.subscriptions.push(
    store,
    notes,
    registerConceptHover(store, typesetting, concept => preloadPage(context.extensionUri, concept)),
    registerHoverStatus(),
    registerConceptTree(store),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async panel => ExplanationPanel.revive(panel, context, store, commands),
    }),
  );
  // Loading the knowledge base and the notes happens after activation returns.
  void store.ready().then(() => snippets.all()).then(() => notes.reload(), e => console.error('ML Concept Lens:', e));
  return { paintMs: () => commands.paintMs };
}

export function deactivate() {}

import * as vscode from 'vscode';
import { ui } from './localize';
import { CONTENT_LANGUAGE, HOVER_ENABLED, affects, hoverEnabled } from './settings';

/** Shows whether concept hovers are on; clicking toggles them. */
export function registerHoverStatus(): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('mlConceptLens.hoverStatus', vscode.StatusBarAlignment.Right, 100);
  item.command = 'mlConceptLens.toggleHovers';
  const update = () => {
    const on = hoverEnabled();
    item.name = ui('ML Concept Lens hovers');
    item.text = on ? '$(mortar-board) ML' : '$(circle-slash) ML';
    item.tooltip = on ? ui('ML concept hovers are on (click to turn off)') : ui('ML concept hovers are off (click to turn on)');
  };
  update();
  item.show();
  const listener = vscode.workspace.onDidChangeConfiguration(e => (affects(e, HOVER_ENABLED) || affects(e, CONTENT_LANGUAGE)) && update());
  return vscode.Disposable.from(item, listener);
}

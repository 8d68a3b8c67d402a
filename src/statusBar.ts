import * as vscode from 'vscode';
import { HOVER_ENABLED, affects, hoverEnabled } from './settings';

/** Shows whether concept hovers are on; clicking toggles them. */
export function registerHoverStatus(): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('mlConceptLens.hoverStatus', vscode.StatusBarAlignment.Right, 100);
  item.name = vscode.l10n.t('ML Concept Lens hovers');
  item.command = 'mlConceptLens.toggleHovers';
  const update = () => {
    const on = hoverEnabled();
    item.text = on ? '$(mortar-board) ML' : '$(circle-slash) ML';
    item.tooltip = on ? vscode.l10n.t('ML concept hovers are on (click to turn off)') : vscode.l10n.t('ML concept hovers are off (click to turn on)');
  };
  update();
  item.show();
  const listener = vscode.workspace.onDidChangeConfiguration(e => affects(e, HOVER_ENABLED) && update());
  return vscode.Disposable.from(item, listener);
}

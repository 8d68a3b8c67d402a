/**
 * Runs INSIDE the extension host of code-server (see runExtensionTests): the probe extension's hover and
 * command through the real `vscode` API.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { until } from './until';

const PROBE = 'mlcl-e2e.e2e-probe';

function hoverMarkdown(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap(h => h.contents)
    .map(c => (typeof c === 'string' ? c : c.value))
    .join('\n---\n');
}


describe('probe extension inside the extension host', () => {
  let document: vscode.TextDocument;
  let elbo: vscode.Position;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder open');
    document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'probe', 'elbo_demo.py'));
    await vscode.window.showTextDocument(document);
    const line = document.getText().split('\n').findIndex(l => l.includes('elbo = '));
    elbo = new vscode.Position(line, document.lineAt(line).text.indexOf('elbo') + 2);
    const extension = vscode.extensions.getExtension(PROBE);
    assert.ok(extension, `${PROBE} is not installed`);
    await extension.activate();
  });

  after(async () => {
    await vscode.workspace.getConfiguration('e2eProbe').update('greeting', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('vscode.executeHoverProvider returns the probe hover on elbo', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, elbo);
    const md = hoverMarkdown(hovers);
    assert.match(md, /\*\*ELBO probe\*\* Hello/);
    assert.match(md, /证据下界/);
    assert.match(md, /!\[formula\]\(data:image\/svg\+xml;base64,/);
    assert.match(md, /\[Open panel\]\(command:e2eProbe\.openPanel\)/);
  });

  it('returns no probe hover on other words', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(0, 2));
    assert.doesNotMatch(hoverMarkdown(hovers), /ELBO probe/);
  });

  it('follows a user setting change', async () => {
    await vscode.workspace.getConfiguration('e2eProbe').update('greeting', 'Bonjour', vscode.ConfigurationTarget.Global);
    const md = await until(async () => {
      const text = hoverMarkdown(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, elbo));
      return /Bonjour/.test(text) ? text : undefined;
    }, 'the new greeting in the hover');
    assert.match(md, /\*\*ELBO probe\*\* Bonjour/);
  });

  it('the hover command opens a webview panel', async () => {
    await vscode.commands.executeCommand('e2eProbe.openPanel');
    const tab = await until(
      () => vscode.window.tabGroups.all.flatMap(g => g.tabs).find(t => t.input instanceof vscode.TabInputWebview && t.label === 'E2E Probe'),
      'the E2E Probe webview tab',
    );
    assert.equal(tab.label, 'E2E Probe');
  });
});

import * as vscode from 'vscode';

/**
 * Loads one of the extension's own lazily used bundles (dist/<name>.js, CommonJS, no imports). In
 * Node it is `require`d; in the web worker, where only `vscode` can be required, its text is read
 * through workspace.fs and evaluated as a CommonJS module, the way the worker host loads the
 * extension itself.
 */
export async function loadBundle<T>(extensionUri: vscode.Uri, name: string): Promise<T> {
  const uri = vscode.Uri.joinPath(extensionUri, 'dist', `${name}.js`);
  const isNode = typeof process !== 'undefined' && !!process.versions?.node;
  if (isNode) {
    // A computed path keeps esbuild from inlining the bundle into the main one.
    const load = require as (id: string) => T;
    return load(uri.fsPath);
  }
  const bytes = await vscode.workspace.fs.readFile(uri);
  const module = { exports: {} as T };
  new Function('module', 'exports', new TextDecoder().decode(bytes))(module, module.exports);
  return module.exports;
}

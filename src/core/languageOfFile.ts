/** VS Code language ids by file extension, for `kb explain` (the editor knows the language; a path does not). */
const LANGUAGE_BY_EXTENSION: Readonly<Record<string, string>> = {
  py: 'python',
  pyi: 'python',
  ipynb: 'json',
  md: 'markdown',
  markdown: 'markdown',
  txt: 'plaintext',
  ts: 'typescript',
  tsx: 'typescriptreact',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascriptreact',
  mjs: 'javascript',
  cjs: 'javascript',
  r: 'r',
  jl: 'julia',
};

export function languageOfFile(path: string): string {
  const ext = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  return LANGUAGE_BY_EXTENSION[ext] ?? 'plaintext';
}

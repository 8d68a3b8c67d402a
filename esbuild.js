// Builds everything the extension, the CLI and the tests load:
//   dist/kb.json                 concepts + hover formula SVGs (validated; the build fails on a content problem)
//   dist/pages/<topic>.json      the panel's built-in pages, pre-rendered (both languages, KaTeX included)
//   dist/snippets.code-snippets  VS Code snippets generated from snippets/*.py
//   dist/extension.js            extension host bundle (Node)       dist/web/extension.js  the same for vscode.dev
//   dist/typeset.js              MathJax TeX → SVG for the user's formulas, loaded on first use (Node and web)
//   dist/notes.js                the notes importer (markdown-it), loaded when the first notes file is read
//   dist/webview/panel.js        the explanation panel's script     media/katex/           KaTeX CSS and fonts
//   dist/webview/notes.js        the panel's renderer for the user's notes, loaded when a page shows one
//   dist/kb.js                   the `kb` CLI
// Flags: --production (minify, no source maps), --watch, --cli (only what `npm run kb` needs, skipping
// the knowledge base when it is newer than its sources).
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const cliOnly = process.argv.includes('--cli');
const root = __dirname;
const dist = path.join(root, 'dist');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

function newestMtime(p) {
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map(name => newestMtime(path.join(p, name))));
}

function isFresh(output, sources) {
  if (!fs.existsSync(output)) return false;
  const built = fs.statSync(output).mtimeMs;
  return sources.every(s => !fs.existsSync(s) || newestMtime(s) < built);
}

async function buildKnowledgeBase() {
  const kbFile = path.join(dist, 'kb.json');
  const sources = ['src/content', 'src/core', 'src/build', 'snippets/index.json'].map(s => path.join(root, s));
  if (cliOnly && isFresh(kbFile, sources)) return;
  const script = path.join(root, 'out', 'build', 'buildKnowledgeBase.js');
  const pagesScript = path.join(root, 'out', 'build', 'buildPanelPages.js');
  await esbuild.build({
    ...common,
    entryPoints: ['buildKnowledgeBase', 'buildPanelPages'].map(name => path.join(root, 'src', 'build', `${name}.ts`)),
    outdir: path.dirname(script),
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    minify: false,
  });
  delete require.cache[script];
  const { data, formulaImages, problems } = await require(script).buildKnowledgeBase(root);
  if (problems.length) {
    for (const p of problems) console.error(`${p.file}:${p.line}: ${p.message}`);
    throw new Error(`${problems.length} problem(s) in the knowledge base`);
  }
  fs.mkdirSync(dist, { recursive: true });
  // Built-in answers are shipped once, rendered, in the panel's pages; hovers, search and the CLI read
  // titles, terms, summaries, formulas and questions.
  const lean = { ...data, concepts: data.concepts.map(c => ({ ...c, qa: mapQa(c.qa, q => ({ question: q.question, answer: '' })) })) };
  fs.writeFileSync(kbFile, JSON.stringify(lean));
  const formulas = path.join(dist, 'formulas');
  fs.rmSync(formulas, { recursive: true, force: true });
  fs.mkdirSync(formulas);
  const packs = {};
  for (const c of data.concepts) if (formulaImages[c.id]) (packs[c.topic] ??= {})[c.id] = formulaImages[c.id];
  for (const [topic, pack] of Object.entries(packs)) fs.writeFileSync(path.join(formulas, `${topic}.json`), JSON.stringify(pack));
  writeTopicsWalkthrough(data);
  if (cliOnly) return; // `kb` renders notes only; the panel's pages are for the extension
  delete require.cache[pagesScript];
  const pagesDir = path.join(dist, 'pages');
  fs.rmSync(pagesDir, { recursive: true, force: true });
  fs.mkdirSync(pagesDir);
  for (const [topic, pack] of Object.entries(require(pagesScript).buildPanelPages(data)))
    fs.writeFileSync(path.join(pagesDir, `${topic}.json`), JSON.stringify(pack));
}

function mapQa(qa, f) {
  return Object.fromEntries(Object.entries(qa).map(([lang, items]) => [lang, items.map(f)]));
}

/** The walkthrough's topic step, made from the topics and concepts so a new topic needs no edit here. */
function writeTopicsWalkthrough({ topics, concepts }) {
  const rows = topics
    .map(t => ({ t, inTopic: concepts.filter(c => c.topic === t.id) }))
    .filter(r => r.inTopic.length)
    .map(({ t, inTopic }) => `| ${t.title.en} | ${t.title['zh-cn']} | ${inTopic.length} | ${inTopic.slice(0, 3).map(c => c.title.en).join(', ')}… |`);
  const md = [
    '# Browse by topic · 按主题浏览',
    '',
    `${concepts.length} concepts in ${rows.length} topics, each in English and Chinese. Open the **ML Concepts** view in the Explorer, or the panel's index. · 共 ${concepts.length} 个概念、${rows.length} 个主题，中英双语。在资源管理器的 **ML Concepts** 视图或讲解面板的索引中浏览。`,
    '',
    '| Topic | 主题 | Concepts | For example |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  fs.mkdirSync(path.join(dist, 'walkthrough'), { recursive: true });
  fs.writeFileSync(path.join(dist, 'walkthrough', 'topics.md'), md);
}

async function buildSnippets() {
  const manifest = path.join(root, 'snippets', 'index.json');
  if (!fs.existsSync(manifest)) return;
  const { buildSnippets } = await import('./scripts/buildSnippets.mjs');
  buildSnippets(root, path.join(dist, 'snippets.code-snippets'), path.join(dist, 'snippets.json'));
}

function copyKatexAssets() {
  const from = path.join(root, 'node_modules', 'katex', 'dist');
  const to = path.join(root, 'media', 'katex');
  fs.mkdirSync(path.join(to, 'fonts'), { recursive: true });
  // woff2 only: every browser engine VS Code runs in reads it, and the other formats triple the size. The
  // CSS must then name only woff2 too, or a webview asks for .woff/.ttf files the package does not have.
  const css = fs.readFileSync(path.join(from, 'katex.min.css'), 'utf8');
  const woff2Only = css.replace(/,url\(fonts\/[\w-]+\.(woff|ttf)\) format\("(woff|truetype)"\)/g, '');
  const left = woff2Only.match(/url\(fonts\/[\w-]+\.(?!woff2\))\w+\)/g);
  if (left) throw new Error(`katex.min.css still names non-woff2 fonts after the rewrite: ${left.join(', ')}`);
  fs.writeFileSync(path.join(to, 'katex.min.css'), woff2Only);
  for (const font of fs.readdirSync(path.join(from, 'fonts')).filter(f => f.endsWith('.woff2')))
    fs.copyFileSync(path.join(from, 'fonts', font), path.join(to, 'fonts', font));
}

const bundles = [
  { entryPoints: ['src/cli/kb.ts'], outfile: 'dist/kb.js', platform: 'node', format: 'cjs', cli: true },
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  { entryPoints: ['src/extension.ts'], outfile: 'dist/web/extension.js', platform: 'browser', format: 'cjs', external: ['vscode'] },
  // MathJax for the user's formulas, in its own bundle that the extension loads on first use. Pure JS,
  // so one browser build serves both hosts: Node requires it, the web worker evaluates it.
  { entryPoints: ['src/core/texTypesetter.ts'], outfile: 'dist/typeset.js', platform: 'browser', format: 'cjs' },
  { entryPoints: ['src/core/notesImporter.ts'], outfile: 'dist/notes.js', platform: 'browser', format: 'cjs' },
  { entryPoints: ['src/webview/panelScript.ts'], outfile: 'dist/webview/panel.js', platform: 'browser', format: 'iife' },
  { entryPoints: ['src/webview/notesRenderer.ts'], outfile: 'dist/webview/notes.js', platform: 'browser', format: 'iife' },
].filter(b => !cliOnly || b.cli);

async function main() {
  const started = Date.now();
  await buildKnowledgeBase();
  if (!cliOnly) {
    await buildSnippets();
    copyKatexAssets();
  }
  const contexts = await Promise.all(
    bundles
      .filter(b => b.entryPoints.every(e => fs.existsSync(path.join(root, e))))
      .map(({ cli, ...b }) => esbuild.context({ ...common, ...b, absWorkingDir: root, target: b.platform === 'node' ? 'node18' : 'es2022' })),
  );
  if (watch) {
    await Promise.all(contexts.map(c => c.watch()));
    console.log('[watch] build finished, watching for changes…');
    return;
  }
  await Promise.all(contexts.map(c => c.rebuild()));
  await Promise.all(contexts.map(c => c.dispose()));
  if (!cliOnly) console.log(`built in ${Date.now() - started} ms`);
}

main().catch(e => {
  console.error(e.message);
  process.exit(1);
});

// Checks some concept files with the build's own checks while other files are still being written:
//   node test/unit/checkConceptFiles.mjs [ids...]     (no ids: every file)
// Schema, topics, pitfalls, en/zh parity, KaTeX strict for all math, MathJax + well-formed SVG for the
// front-matter formulas. `related` may name ids of ../shared/concept-inventory.md not written yet.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import esbuild from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = join(root, 'out', 'checkConceptFiles.cjs');
await esbuild.build({
  entryPoints: [join(root, 'src/build/checkConceptFiles.ts')],
  outfile: out, bundle: true, platform: 'node', format: 'cjs', packages: 'external', logLevel: 'error',
});
const { checkConceptFiles } = await import(out);
const inventory = join(root, '..', 'shared', 'concept-inventory.md');
const pending = new Set(existsSync(inventory) ? [...readFileSync(inventory, 'utf8').matchAll(/^\|([a-z0-9-]+)(?: ★)?\|/gm)].map(m => m[1]) : []);
const ids = process.argv.slice(2).map(a => a.replace(/^.*\//, '').replace(/\.md$/, ''));
const problems = await checkConceptFiles(root, ids, pending);
for (const p of problems) console.log(`${p.file}:${p.line}: ${p.message}`);
console.log(`${ids.length || 'all'} files, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);

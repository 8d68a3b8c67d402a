// Generates VS Code snippets from the reference implementations in snippets/*.py.
//
//   node scripts/buildSnippets.mjs OUTFILE        (the project root is this script's parent folder)
//   import { buildSnippets } from './scripts/buildSnippets.mjs'; buildSnippets(root, outFile[, infoFile])
//
// snippets/index.json lists one entry per snippets/<id>.py with the identifiers ("tabstops") that
// become placeholders: the first occurrence of the n-th tabstop is ${n:name}, later ones $n, so
// renaming one renames all. Everything else is escaped so that it is inserted literally, and the
// final cursor $0 goes at the end. The Python files stay the single source: they are the ones the
// tests run.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FRAMEWORKS = new Set(['numpy', 'torch', 'python']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `$`, `}` and `\` are the characters VS Code's snippet grammar treats specially in plain text. */
export function escapeSnippetText(text) {
  return text.replace(/[\\$}]/g, ch => `\\${ch}`);
}

function fail(file, message) {
  throw new Error(`${file}: ${message}`);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Turns a source file into snippet syntax. A tabstop matches as a whole word only (`rng` must not
 * touch `rng_state`), so the boundary is an identifier character on neither side.
 */
export function toSnippetBody(source, tabstops, file = 'snippet') {
  const seen = new Map();
  tabstops.forEach((name, i) => {
    if (!IDENTIFIER.test(name)) fail(file, `tabstop ${JSON.stringify(name)} is not an identifier`);
    if (seen.has(name)) fail(file, `tabstop "${name}" is listed twice`);
    seen.set(name, i + 1);
  });
  const used = new Set();
  let body = '';
  if (tabstops.length) {
    // Longer names first so that alternation cannot stop at a shorter name that is a prefix.
    const names = [...tabstops].sort((a, b) => b.length - a.length).map(escapeRegExp);
    const pattern = new RegExp(`(?<![A-Za-z0-9_])(?:${names.join('|')})(?![A-Za-z0-9_])`, 'g');
    let last = 0;
    for (const match of source.matchAll(pattern)) {
      const name = match[0];
      const n = seen.get(name);
      body += escapeSnippetText(source.slice(last, match.index));
      body += used.has(name) ? `$${n}` : `\${${n}:${name}}`;
      used.add(name);
      last = match.index + name.length;
    }
    body += escapeSnippetText(source.slice(last));
  } else {
    body = escapeSnippetText(source);
  }
  const missing = tabstops.filter(name => !used.has(name));
  if (missing.length) fail(file, `tabstop(s) ${missing.map(n => `"${n}"`).join(', ')} do not occur in the source`);
  return `${body}$0`;
}

/** Reads and checks snippets/index.json against the .py files beside it. */
export function loadSnippetSources(root) {
  const dir = join(root, 'snippets');
  const manifestFile = join(dir, 'index.json');
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch (e) {
    fail(manifestFile, `cannot read the snippet manifest (${e.message})`);
  }
  if (!Array.isArray(manifest)) fail(manifestFile, 'the manifest must be a JSON array');
  const ids = new Set();
  const prefixes = new Set();
  const titles = new Set();
  for (const [i, entry] of manifest.entries()) {
    const where = `${manifestFile} entry ${i}${entry && typeof entry.id === 'string' ? ` ("${entry.id}")` : ''}`;
    if (!entry || typeof entry !== 'object') fail(where, 'must be an object');
    for (const key of ['id', 'prefix', 'framework'])
      if (typeof entry[key] !== 'string' || !entry[key]) fail(where, `"${key}" must be a non-empty string`);
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(entry.id)) fail(where, `id "${entry.id}" must be kebab-case`);
    if (!FRAMEWORKS.has(entry.framework)) fail(where, `framework must be one of ${[...FRAMEWORKS].join(', ')}`);
    if (!Array.isArray(entry.concepts) || !entry.concepts.length || !entry.concepts.every(c => typeof c === 'string'))
      fail(where, '"concepts" must be a non-empty array of concept ids');
    if (!Array.isArray(entry.tabstops) || !entry.tabstops.every(t => typeof t === 'string'))
      fail(where, '"tabstops" must be an array of identifiers');
    for (const lang of ['en', 'zh-cn'])
      if (typeof entry.description?.[lang] !== 'string' || !entry.description[lang])
        fail(where, `description.${lang} must be a non-empty string`);
    if (ids.has(entry.id)) fail(where, `duplicate id "${entry.id}"`);
    if (prefixes.has(entry.prefix)) fail(where, `duplicate prefix "${entry.prefix}"`);
    // The English description is the key of the generated snippets object, so it must be unique too.
    if (titles.has(entry.description.en)) fail(where, `duplicate description.en "${entry.description.en}"`);
    ids.add(entry.id);
    prefixes.add(entry.prefix);
    titles.add(entry.description.en);
  }
  const files = new Set(readdirSync(dir).filter(n => n.endsWith('.py')).map(n => n.slice(0, -3)));
  const unlisted = [...files].filter(id => !ids.has(id)).sort();
  const missing = [...ids].filter(id => !files.has(id)).sort();
  if (unlisted.length || missing.length) {
    const parts = [];
    if (missing.length) parts.push(`listed but no snippets/<id>.py: ${missing.join(', ')}`);
    if (unlisted.length) parts.push(`snippets/*.py not in the manifest: ${unlisted.join(', ')}`);
    fail(manifestFile, `manifest and folder disagree (${parts.join('; ')})`);
  }
  return manifest.map(entry => {
    const file = join(dir, `${entry.id}.py`);
    const source = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
    return { ...entry, file, source, body: toSnippetBody(source, entry.tabstops, file) };
  });
}

/** The VS Code snippets object: description.en -> { prefix, body: lines, description }. */
export function toCodeSnippets(snippets) {
  const out = {};
  for (const s of snippets) out[s.description.en] = { prefix: s.prefix, body: s.body.split('\n'), description: s.description.en };
  return out;
}

/**
 * Writes OUTFILE (a .code-snippets JSON) and returns the checked entries as the extension's
 * SnippetInfo records (body as one string in snippet syntax); with INFOFILE also writes those.
 */
export function buildSnippets(root, outFile, infoFile) {
  const snippets = loadSnippetSources(root);
  const infos = snippets.map(({ id, prefix, concepts, description, framework, body }) => ({ id, prefix, concepts, description, framework, body }));
  mkdirSync(dirname(resolve(outFile)), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(toCodeSnippets(snippets), null, 2)}\n`);
  if (infoFile) {
    mkdirSync(dirname(resolve(infoFile)), { recursive: true });
    writeFileSync(infoFile, `${JSON.stringify(infos)}\n`);
  }
  return infos;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outFile = process.argv[2];
  if (!outFile) {
    console.error('usage: node scripts/buildSnippets.mjs OUTFILE');
    process.exit(2);
  }
  try {
    const built = buildSnippets(join(dirname(fileURLToPath(import.meta.url)), '..'), outFile);
    console.log(`wrote ${built.length} snippets to ${outFile}`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}

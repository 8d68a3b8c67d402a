// Quick pre-check for content authors until the real schema (src/core/conceptSchema.ts) lands:
// node test/unit/checkConceptFiles.mjs [ids...]  — parses front matter, renders every formula and
// every $…$ / $$…$$ span with KaTeX in strict mode and reports problems.
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import katex from 'katex';
const dir = new URL('../../src/content/concepts/', import.meta.url);
const ids = process.argv.slice(2);
const files = readdirSync(dir).filter(f => f.endsWith('.md') && (!ids.length || ids.includes(f.slice(0, -3))));
let bad = 0;
const tex = (s, display, where) => {
  try { katex.renderToString(s, { displayMode: display, throwOnError: true, strict: 'error' }); }
  catch (e) { bad++; console.log(`${where}: ${e.message.split('\n')[0]}`); }
};
for (const f of files) {
  const text = readFileSync(new URL(f, dir), 'utf8');
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!m) { bad++; console.log(`${f}: no front matter`); continue; }
  let fm;
  try { fm = parse(m[1]); } catch (e) { bad++; console.log(`${f}: YAML ${e.message}`); continue; }
  for (const k of ['id', 'topic', 'title', 'aliases', 'identifiers', 'summary', 'formulas', 'related', 'references', 'snippets'])
    if (!(k in fm)) { bad++; console.log(`${f}: missing ${k}`); }
  if (fm.id + '.md' !== f) { bad++; console.log(`${f}: id ${fm.id} != file name`); }
  for (const l of ['en', 'zh-cn']) if ((fm.summary?.[l] ?? '').length > 200) { bad++; console.log(`${f}: summary.${l} too long`); }
  (fm.formulas ?? []).forEach((s, i) => tex(s, true, `${f}: formulas[${i}]`));
  const body = m[2];
  const secs = body.split(/^# (en|zh-cn)\s*$/m);
  if (secs.length !== 5 || secs[1] !== 'en' || secs[3] !== 'zh-cn') { bad++; console.log(`${f}: body needs '# en' then '# zh-cn'`); }
  else {
    const qEn = (secs[2].match(/^## /gm) || []).length, qZh = (secs[4].match(/^## /gm) || []).length;
    if (!qEn || qEn !== qZh) { bad++; console.log(`${f}: questions en=${qEn} zh=${qZh}`); }
  }
  const noCode = body.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  for (const d of noCode.matchAll(/\$\$([\s\S]+?)\$\$/g)) tex(d[1], true, `${f}: $$${d[1].trim().slice(0, 40)}`);
  for (const d of noCode.replace(/\$\$[\s\S]+?\$\$/g, '').matchAll(/\$([^$\n]+?)\$/g)) tex(d[1], false, `${f}: $${d[1].slice(0, 40)}`);
}
console.log(`${files.length} files, ${bad} problems`);
process.exit(bad ? 1 : 0);

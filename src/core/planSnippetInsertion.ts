import type { Bilingual } from './concept';

/** A reference implementation as dist/snippets.json ships it. */
export interface SnippetInfo {
  id: string;
  prefix: string;
  concepts: string[];
  description: Bilingual;
  framework: string;
  /** VS Code snippet syntax (tab stops ${1:name}); imports first. */
  body: string;
}

const IMPORT_LINE = /^(?:import\s+\S|from\s+\S+\s+import\s+\S)/;

/**
 * Splits the snippet's leading import lines from the code that goes at the cursor. The module
 * docstring (it describes the file, not the user's file) is dropped.
 */
export function splitImports(body: string): { imports: string[]; code: string } {
  const lines = body.split('\n');
  const imports: string[] = [];
  const code: string[] = [];
  let inHeader = true;
  let sawDocstring = false;
  let docstring: string | undefined;
  for (const line of lines) {
    if (inHeader && docstring === undefined && IMPORT_LINE.test(line)) {
      imports.push(line.trim());
      continue;
    }
    if (docstring !== undefined) {
      if (line.includes(docstring)) docstring = undefined;
      continue;
    }
    if (inHeader && !sawDocstring && /^\s*("""|''')/.test(line)) {
      const quote = line.trim().slice(0, 3);
      if (line.trim().length < 6 || !line.trim().endsWith(quote)) docstring = quote;
      sawDocstring = true;
      continue;
    }
    if (line.trim() && !line.trim().startsWith('#')) inHeader = false;
    code.push(line);
  }
  while (code.length && !code[0].trim()) code.shift();
  // The imports leave their blank lines behind: keep at most two in a row, as PEP 8 does.
  return { imports, code: code.join('\n').replace(/\n{4,}/g, '\n\n\n') };
}

/**
 * The snippet's `if __name__ == "__main__":` demo and everything indented under it: it prints checks
 * and would run whenever the user's script runs, so it is not inserted.
 */
export function withoutDemo(code: string): string {
  const lines = code.split('\n');
  const start = lines.findIndex(l => /^if\s+__name__\s*==\s*(['"])__main__\1\s*:/.test(l));
  if (start < 0) return code;
  let end = start + 1;
  while (end < lines.length && (!lines[end].trim() || /^\s/.test(lines[end]))) end++;
  const kept = [...lines.slice(0, start), ...lines.slice(end)];
  while (kept.length && !kept[kept.length - 1].trim()) kept.pop();
  return `${kept.join('\n')}\n`;
}

/**
 * What a snippet inserts: its imports, and its code without the module docstring and the demo. A tab
 * stop whose first occurrence (the one that carries the default, `${4:beta}`) was in the removed
 * docstring or demo gets its default back at its first remaining use, so it is never inserted empty.
 */
export function snippetCode(body: string): { imports: string[]; code: string } {
  const { imports, code: withDocstring } = splitImports(body);
  let code = withoutDemo(withDocstring);
  const defaults = new Map<string, string>();
  for (const m of body.matchAll(/\$\{(\d+):([A-Za-z_]\w*)\}/g)) if (!defaults.has(m[1])) defaults.set(m[1], m[2]);
  for (const [n, name] of defaults) {
    if (code.includes(`\${${n}:`)) continue;
    code = code.replace(new RegExp(`\\$${n}(?!\\d)`), () => `\${${n}:${name}}`);
  }
  return { imports, code };
}

/** Names a Python text defines at any indentation (`def f`, `class C`) or assigns at the top level. */
export function definedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+([A-Za-z_]\w*)/gm)) names.add(m[1]);
  for (const m of text.matchAll(/^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)/gm)) names.add(m[1]);
  return names;
}

/** A definition of the snippet renamed because the document already defines that name. */
export interface Rename {
  from: string;
  to: string;
}

/**
 * Renames the snippet's top-level functions and classes that the document already defines, so
 * inserting never silently redefines the user's code: `fid` becomes a tab stop `fid_2` (the next
 * free name), every use follows it, and the user can type another name. A name that already is a
 * tab stop keeps its number and gets the new default.
 */
export function renameClashes(code: string, documentText: string): { code: string; renames: Rename[] } {
  const taken = definedNames(documentText);
  const renames: Rename[] = [];
  let next = Math.max(0, ...[...code.matchAll(/\$\{?(\d+)/g)].map(m => Number(m[1]))) + 1;
  for (const m of code.matchAll(/^(?:async[ \t]+)?(?:def|class)[ \t]+(?:\$\{(\d+):)?([A-Za-z_]\w*)/gm)) {
    const name = m[2];
    if (!taken.has(name)) continue;
    let n = 2;
    while (taken.has(`${name}_${n}`)) n++;
    const to = `${name}_${n}`;
    renames.push({ from: name, to });
    taken.add(to);
    if (m[1]) {
      code = code.replace(`\${${m[1]}:${name}}`, () => `\${${m[1]}:${to}}`);
      continue;
    }
    const stop = next++;
    let first = true;
    code = code.replace(new RegExp(`(?<![\\w$.{:])${name}(?![\\w}])`, 'g'), () => {
      const text = first ? `\${${stop}:${to}}` : `$${stop}`;
      first = false;
      return text;
    });
  }
  return { code, renames };
}

function importedNames(line: string): { module: string; names: string[] } | undefined {
  const m = /^from\s+(\S+)\s+import\s+\(?([^)#]+)\)?/.exec(line.trim());
  return m ? { module: m[1], names: m[2].split(',').map(s => s.trim()).filter(Boolean) } : undefined;
}

/**
 * The import lines the document lacks. `import x as y` must appear as is; for `from m import a, b`
 * only the names not yet imported from m are added, so nothing is imported twice.
 */
export function missingImports(imports: readonly string[], documentText: string): string[] {
  const present = new Set(documentText.split('\n').map(l => l.trim().replace(/\s+/g, ' ')));
  const fromImports = new Map<string, Set<string>>();
  for (const line of present) {
    const parsed = importedNames(line);
    if (parsed) for (const name of parsed.names) (fromImports.get(parsed.module) ?? fromImports.set(parsed.module, new Set()).get(parsed.module)!).add(name);
  }
  const missing: string[] = [];
  for (const line of imports) {
    const normalized = line.replace(/\s+/g, ' ');
    if (present.has(normalized)) continue;
    const parsed = importedNames(normalized);
    if (!parsed) {
      missing.push(normalized);
      continue;
    }
    const have = fromImports.get(parsed.module) ?? new Set<string>();
    const names = parsed.names.filter(n => !have.has(n));
    if (names.length) missing.push(`from ${parsed.module} import ${names.join(', ')}`);
  }
  return missing;
}

/**
 * The 0-based line where new imports go: after a shebang or encoding line, the module docstring,
 * `from __future__` lines and the existing import block.
 */
export function importInsertionLine(documentText: string): number {
  const lines = documentText.split('\n');
  let at = 0;
  let i = 0;
  if (lines[0]?.startsWith('#!')) at = i = 1;
  if (/^#.*coding[:=]/.test(lines[i] ?? '')) at = ++i;
  while (i < lines.length && !lines[i].trim()) i++;
  const quote = /^\s*[rRuU]?("""|''')/.exec(lines[i] ?? '')?.[1];
  if (quote) {
    const rest = lines[i].slice(lines[i].indexOf(quote) + 3);
    if (!rest.includes(quote)) while (++i < lines.length && !lines[i].includes(quote));
    at = ++i;
  }
  for (let j = i; j < lines.length; j++) {
    const t = lines[j].trim();
    if (IMPORT_LINE.test(t)) at = j + 1;
    else if (t && !t.startsWith('#')) break;
  }
  return at;
}

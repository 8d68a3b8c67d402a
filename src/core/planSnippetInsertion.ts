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

/** Splits the snippet's leading import lines from the code that goes at the cursor. */
export function splitImports(body: string): { imports: string[]; code: string } {
  const lines = body.split('\n');
  const imports: string[] = [];
  const code: string[] = [];
  let inHeader = true;
  let docstring: string | undefined;
  for (const line of lines) {
    if (inHeader && docstring === undefined && IMPORT_LINE.test(line)) {
      imports.push(line.trim());
      continue;
    }
    if (docstring !== undefined) {
      if (line.includes(docstring)) docstring = undefined;
    } else if (inHeader && /^\s*("""|''')/.test(line)) {
      const quote = line.trim().slice(0, 3);
      if (line.trim().length < 6 || !line.trim().endsWith(quote)) docstring = quote;
    } else if (line.trim() && !line.trim().startsWith('#')) inHeader = false;
    code.push(line);
  }
  while (code.length && !code[0].trim()) code.shift();
  // The imports leave their blank lines behind: keep at most two in a row, as PEP 8 does.
  return { imports, code: code.join('\n').replace(/\n{4,}/g, '\n\n\n') };
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

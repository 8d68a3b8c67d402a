/**
 * `kb`: the knowledge core on the command line, built from the same modules as the extension.
 * Prints JSON on stdout; user errors are one line on stderr with exit code 2; lint problems exit 1.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Concept } from '../core/concept';
import { buildConceptIndex } from '../core/conceptIndex';
import { buildDocumentContext } from '../core/documentContext';
import { explainMatch } from '../core/explainAt';
import { findConceptAt } from '../core/findConceptAt';
import { importQaNotes } from '../core/importQaNotes';
import { parseKnowledgeBase } from '../core/knowledgeBase';
import { languageOfFile } from '../core/languageOfFile';
import { lintNotesFiles } from '../core/lintNotes';
import { conceptsFromNotes } from '../core/notesConcepts';
import { renderNotesHtml } from '../core/renderConcept';
import { lookupConcept } from '../core/searchConcepts';

class UsageError extends Error {}

const USAGE = `usage: kb VERB [ARGS] [--notes FILE...]
  list                       all concepts
  lookup TEXT                the best concept for a term, or null
  explain FILE:LINE:COL      what the hover shows there (1-based, UTF-16 columns), or null
  import FILE                entries of a Q&A notes file
  lint FILE...               problems in notes files (exit 1 if any)
  render FILE                the panel's HTML for a notes file`;

function readText(file: string): string {
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
  return buffer.toString('utf8');
}

let base: ReturnType<typeof parseKnowledgeBase> | undefined;

function builtinBase(): ReturnType<typeof parseKnowledgeBase> {
  return (base ??= parseKnowledgeBase(readText(join(__dirname, 'kb.json'))));
}

function builtinConcepts(): Concept[] {
  return builtinBase().concepts;
}

function notesConcepts(files: string[]): Concept[] {
  return files.flatMap(file => {
    const { entries } = importQaNotes(readText(file));
    return conceptsFromNotes(file, entries);
  });
}

// `kb lint … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function splitArgs(argv: string[]): { positional: string[]; notes: string[] } {
  const positional: string[] = [];
  const notes: string[] = [];
  let inNotes = false;
  for (const arg of argv) {
    if (arg === '--notes') inNotes = true;
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else (inNotes ? notes : positional).push(arg);
  }
  return { positional, notes };
}

function parsePosition(spec: string): { file: string; line: number; col: number } {
  const m = /^(.+):(\d+):(\d+)$/.exec(spec);
  if (!m) throw new UsageError(`expected FILE:LINE:COL, got "${spec}"`);
  const line = Number(m[2]);
  const col = Number(m[3]);
  if (line < 1 || col < 1) throw new UsageError('LINE and COL are 1-based');
  return { file: m[1], line, col };
}

function explain(spec: string, notes: string[]): unknown {
  const { file, line, col } = parsePosition(spec);
  const text = readText(file);
  if (text.slice(0, 8192).includes('\0')) throw new UsageError(`${file} looks binary`);
  const index = buildConceptIndex([...builtinConcepts(), ...notesConcepts(notes)], builtinBase().senses);
  const lines = text.split(/\r?\n/);
  if (line > lines.length) throw new UsageError(`${file} has ${lines.length} lines`);
  const context = buildDocumentContext(text, languageOfFile(file), index);
  const match = findConceptAt(index, lines[line - 1], col - 1, context, line - 1);
  return match ? explainMatch(match, line - 1) : null;
}

function main(argv: string[]): number {
  const [verb, ...rest] = argv;
  const { positional, notes } = splitArgs(rest);
  const one = (what: string) => {
    if (positional.length !== 1) throw new UsageError(`${verb} takes one ${what}`);
    return positional[0];
  };
  switch (verb) {
    case 'list':
      print(
        [...builtinConcepts(), ...notesConcepts(notes)].map(c => ({
          id: c.id,
          title: c.title,
          aliases: [...new Set([...c.aliases.en, ...c.aliases['zh-cn'], ...c.aliases.abbr, ...c.identifiers])],
          source: c.source === 'builtin' ? 'builtin' : c.source.file,
        })),
      );
      return 0;
    case 'lookup': {
      if (!positional.length) throw new UsageError('lookup takes a TEXT');
      const found = lookupConcept([...builtinConcepts(), ...notesConcepts(notes)], positional.join(' '));
      print(found ? { id: found.id, title: found.title, summary: found.summary, source: found.source === 'builtin' ? 'builtin' : found.source.file } : null);
      return 0;
    }
    case 'explain':
      print(explain(one('FILE:LINE:COL'), notes));
      return 0;
    case 'import':
      print(importQaNotes(readText(one('FILE'))).entries);
      return 0;
    case 'lint': {
      if (!positional.length) throw new UsageError('lint takes one or more FILEs');
      const problems = lintNotesFiles(positional.map(file => ({ file, text: readText(file) })));
      for (const p of problems) process.stdout.write(`${p.file}:${p.line}:${p.col}: ${p.message}\n`);
      return problems.length ? 1 : 0;
    }
    case 'render':
      process.stdout.write(`${renderNotesHtml(importQaNotes(readText(one('FILE'))).entries)}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return verb ? 0 : 2;
    default:
      throw new UsageError(`unknown verb "${verb}"\n${USAGE}`);
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(`kb: ${e.message}\n`);
  process.exitCode = 2;
}

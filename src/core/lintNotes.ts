import { NotesEntry, NotesFix, NotesProblem, importQaNotes } from './importQaNotes';
import { foldKey } from './wordTokens';

export interface LintProblem {
  file: string;
  line: number;
  col: number;
  message: string;
  fix?: NotesFix;
}

/**
 * Reports terms that an earlier file already defines, on the later file. Fed one file at a time, so
 * lint can report each file's problems together, and the indexer can run it over entries it already
 * imported (no file is imported twice).
 */
function crossFileChecker(): (file: string, entries: readonly NotesEntry[]) => LintProblem[] {
  const firstDefinition = new Map<string, { file: string; line: number }>();
  return (file, entries) => {
    const problems: LintProblem[] = [];
    for (const entry of entries)
      for (const term of entry.terms) {
        const key = foldKey(term);
        const first = firstDefinition.get(key);
        if (!first) firstDefinition.set(key, { file, line: entry.line });
        else if (first.file !== file) problems.push({ file, line: entry.line, col: 1, message: `term "${term}" is also defined in ${first.file}:${first.line}` });
      }
    return problems;
  };
}

/** Terms that two notes files define, reported on the later file, over entries already imported. */
export function crossFileTermProblems(files: readonly { file: string; entries: readonly NotesEntry[] }[]): (NotesProblem & { file: string })[] {
  const check = crossFileChecker();
  return files.flatMap(({ file, entries }) => check(file, entries));
}

/**
 * Problems in a set of notes files: each file's own (no questions, unclosed $$, an entry without an
 * answer or a term, binary content) and terms that two files define differently.
 */
export function lintNotesFiles(files: readonly { file: string; text: string }[]): LintProblem[] {
  const problems: LintProblem[] = [];
  const check = crossFileChecker();
  for (const { file, text } of files) {
    const { entries, problems: own } = importQaNotes(text);
    for (const p of own) problems.push({ file, ...p });
    for (const p of check(file, entries)) problems.push(p);
  }
  return problems;
}

import { foldKey } from './wordTokens';
import { NotesFix, importQaNotes } from './importQaNotes';

export interface LintProblem {
  file: string;
  line: number;
  col: number;
  message: string;
  fix?: NotesFix;
}

/**
 * Problems in a set of notes files: each file's own (no questions, unclosed $$, an entry without an
 * answer or a term, binary content) and terms that two files define differently.
 */
export function lintNotesFiles(files: readonly { file: string; text: string }[]): LintProblem[] {
  const problems: LintProblem[] = [];
  const firstDefinition = new Map<string, { file: string; line: number }>();
  for (const { file, text } of files) {
    const { entries, problems: own } = importQaNotes(text);
    for (const p of own) problems.push({ file, ...p });
    for (const entry of entries)
      for (const term of entry.terms) {
        const key = foldKey(term);
        const first = firstDefinition.get(key);
        if (!first) firstDefinition.set(key, { file, line: entry.line });
        else if (first.file !== file)
          problems.push({ file, line: entry.line, col: 1, message: `term "${term}" is also defined in ${first.file}:${first.line}` });
      }
  }
  return problems;
}

/**
 * Entry of dist/notes.js: the notes importer and what runs on its output. It carries markdown-it
 * (~150 KB), so the extension loads it only once a notes file is found (see src/lazyBundle.ts).
 */
export { crossFileTermProblems } from './lintNotes';
export { importNotesInSlices } from './notesSlices';

import type { ConceptIndex, IndexEntry } from './conceptIndex';
import { Lines, identifierUses, occurrenceEvidence } from './occurrenceEvidence';
import { Evidence, cueScore } from './senses';
import { Join, wordTokens } from './wordTokens';

/**
 * What the matcher knows about the whole document, computed once per document version: whether the
 * file is prose, which modules it imports, whether it is about ML, which lines hold nothing to explain,
 * and (lazily, per identifier) how identifiers are used.
 */
export interface DocumentContext {
  languageId: string;
  /** Markdown and plain text: words are English/Chinese prose, not identifiers. */
  prose: boolean;
  /** Top-level module names from import/require/library/using lines. */
  imports: ReadonlySet<string>;
  /** The file is about ML (an ML library, or ML vocabulary): ambiguous terms may fire. */
  mlSignal: boolean;
  /** Lines of the hovered text (a notebook cell's own lines, not the whole notebook's). */
  lines: Lines;
  /** Whether a 0-based row holds nothing to explain: a licence header, a raw notebook's outputs. */
  skipsRow(row: number): boolean;
  /** How an identifier is bound and used anywhere in the document (memoized). */
  usesOf(identifier: string): ReadonlySet<string>;
  /**
   * Whether a 0-based row is text written as code inside prose (a fenced block of Markdown), or prose
   * inside code (a Python docstring).
   */
  flipsRow(row: number): boolean;
}

const PROSE_LANGUAGES = new Set(['markdown', 'plaintext', 'latex', 'restructuredtext']);

/** Libraries whose import makes a file ML code. */
const ML_MODULES = new Set([
  'torch', 'torchvision', 'torchaudio', 'tensorflow', 'keras', 'jax', 'flax', 'optax', 'sklearn', 'diffusers',
  'transformers', 'datasets', 'accelerate', 'lightning', 'pytorch_lightning', 'torchmetrics', 'pytorch_fid',
  'cleanfid', 'langchain', 'langchain_text_splitters', 'langchain_core', 'langchain_community', 'llama_index',
  'faiss', 'sentence_transformers', 'tiktoken', 'vllm', 'openai', 'einops', 'timm', 'xgboost', 'lightgbm', 'peft',
  'trl', 'deepspeed', 'bitsandbytes', 'open_clip', 'clip', 'mmcv', 'mmdet', 'detectron2', 'fairseq', 'gensim',
  'sentencepiece', 'tokenizers', 'onnxruntime', 'statsmodels', 'umap', 'hdbscan', 'catboost', 'optuna', 'wandb',
  '@tensorflow/tfjs', '@tensorflow/tfjs-node', 'onnxruntime-web', 'onnxruntime-node', '@xenova/transformers',
  '@huggingface/transformers', 'ml-kmeans', 'ml-pca', 'langchain/text_splitter', '@langchain/textsplitters',
  'keras3', 'tidymodels', 'caret', 'mlr3', 'flux', 'mlj', 'clustering', 'multivariatestats', 'distributions',
]);

/**
 * Numeric libraries: a WAV parser or a plotting script imports numpy too. They make a file ML only
 * together with ML vocabulary (one unambiguous ML term).
 */
const NUMERIC_MODULES = new Set(['numpy', 'scipy', 'pandas', 'matplotlib', 'numba', 'cupy', 'polars']);

/** Don't look further than this for imports and ML terms: a 2 MB file costs the same as a 64 KB one. */
const SCAN_LIMIT = 64 * 1024;
const IMPORT_PATTERNS: RegExp[] = [
  /^[ \t]*from[ \t]+([A-Za-z_][\w.]*)[ \t]+import\b/gm, // python
  /^[ \t]*import[ \t]+([A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*)/gm, // python
  /\bfrom[ \t]+['"]([^'"\n]+)['"]/g, // ES modules
  /\b(?:require|import)[ \t]*\([ \t]*['"]([^'"\n]+)['"]/g, // CommonJS, dynamic import
  /\b(?:library|require)\(([A-Za-z][\w.]*)\)/g, // R
  /^[ \t]*using[ \t]+([A-Za-z][\w.]*(?:[ \t]*,[ \t]*[A-Za-z][\w.]*)*)/gm, // Julia
];

export function importedModules(text: string): Set<string> {
  const head = text.length > SCAN_LIMIT ? text.slice(0, SCAN_LIMIT) : text;
  const modules = new Set<string>();
  for (const pattern of IMPORT_PATTERNS) {
    for (const m of head.matchAll(pattern)) {
      for (const name of m[1].split(',')) {
        const trimmed = name.trim().split(/\s+as\s+/)[0];
        if (!trimmed) continue;
        // Keep scoped packages and sub-paths whole as well as their first part (langchain/text_splitter).
        modules.add(trimmed.toLowerCase());
        modules.add(trimmed.split(trimmed.startsWith('@') ? /(?<=^@[^/]+\/[^/]+)\// : /[./]/)[0].toLowerCase());
      }
    }
  }
  return modules;
}

function linesOf(text: string): Lines {
  let split: string[] | undefined;
  return { lineAt: row => (split ??= text.split(/\r?\n/))[row] };
}

/**
 * Licence text says "AS IS", "Licensed", "WARRANTIES"… in nearly every ML file; none of it is ML.
 * A line that reads like a licence is skipped wherever it is, and so is the whole first comment
 * block of a file when it holds a licence.
 */
const LICENCE_LINE = /\bAS IS\b|\bWITHOUT WARRANT|\bMERCHANTABILITY\b|\bLicensed under\b|\bSPDX-License-Identifier\b|\bPermission is hereby granted\b|\bCopyright\b|\(c\) \d{4}|\bGNU (?:General|Lesser|Affero)\b|\bapache\.org\/licenses\b/i;
const LICENCE_BLOCK = /\blicen[cs]e|\bcopyright\b|\bwarrant/i;
const COMMENT_LINE = /^\s*(?:#|\/\/|\/\*|\*|--|%|"""|'''|$)/;

function licenceHeaderEnd(lines: Lines): number {
  let end = 0;
  let licence = false;
  for (let r = 0; r < 80; r++) {
    const line = lines.lineAt(r);
    if (line === undefined || !COMMENT_LINE.test(line)) break;
    if (LICENCE_BLOCK.test(line)) licence = true;
    end = r + 1;
    if (/\*\/\s*$/.test(line) && licence) break;
  }
  return licence ? end : 0;
}

/**
 * A raw `.ipynb` read as text is JSON: only the cells' source lines are what a person reads in the
 * notebook editor; outputs (base64 images, logs) and metadata are not.
 */
function notebookSourceRows(text: string): ((row: number) => boolean) | undefined {
  if (!/^\s*\{/.test(text) || !/"cells"\s*:/.test(text.slice(0, 4096)) || !/"nbformat"/.test(text)) return undefined;
  const source = new Set<number>();
  const lines = text.split(/\r?\n/);
  let inside = false;
  lines.forEach((line, row) => {
    if (inside) {
      if (/^\s*\]/.test(line)) inside = false;
      else source.add(row);
    } else if (/^\s*"source"\s*:\s*\[\s*$/.test(line)) inside = true;
    else if (/^\s*"source"\s*:\s*(?:\[\s*)?"/.test(line)) source.add(row);
  });
  return row => !source.has(row);
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const DOCSTRING = /^\s*[rRuUbBfF]{0,2}("""|''')/;
/** A file's first rows that are looked at for fences and docstrings: enough for any real file. */
const FLIP_ROWS = 50_000;

/**
 * Rows whose kind is the opposite of the file's: fenced code blocks in Markdown (code in prose) and
 * the inside of Python docstrings (prose in code). Read once per document version, when first needed.
 */
function flippedRows(lines: Lines, prose: boolean, languageId: string): Set<number> {
  const rows = new Set<number>();
  if (!prose && languageId !== 'python') return rows;
  let open: string | undefined;
  for (let r = 0; r < FLIP_ROWS; r++) {
    const raw = lines.lineAt(r);
    if (raw === undefined) break;
    const line = raw.length > 400 ? raw.slice(0, 400) : raw;
    if (prose) {
      const mark = FENCE.exec(line)?.[1];
      if (open) {
        if (mark && mark[0] === open[0] && mark.length >= open.length && !line.trim().slice(mark.length).trim()) open = undefined;
        else rows.add(r);
      } else if (mark) open = mark;
      continue;
    }
    const quote = DOCSTRING.exec(line)?.[1];
    if (open) {
      if (line.includes(open)) open = undefined;
      else rows.add(r);
    } else if (quote) {
      // One-line docstrings ("""Text.""") open and close on the same line.
      if (!line.slice(line.indexOf(quote) + 3).includes(quote)) open = quote;
      rows.add(r);
    }
  }
  return rows;
}

/**
 * Where a comment starts on a code line (`#`, `//`), outside string literals, or -1. Bounded to the
 * first 400 characters: a term further right on a longer line is judged as code.
 */
export function commentStart(line: string, languageId: string): number {
  const slashes = /^(?:typescript|javascript|typescriptreact|javascriptreact|c|cpp|java|go|rust|csharp)$/.test(languageId);
  let quote = '';
  const end = Math.min(line.length, 400);
  for (let i = 0; i < end; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (slashes ? ch === '/' && line[i + 1] === '/' : ch === '#') return i;
  }
  return -1;
}

/** Whether text[start] sits inside a `code span` of a line (an odd number of backticks before it). */
function inCodeSpan(line: string, start: number): boolean {
  let ticks = 0;
  for (let i = Math.max(0, start - 400); i < start; i++) if (line.charCodeAt(i) === 96) ticks++;
  return ticks % 2 === 1;
}

/**
 * What the file is about: an ML library makes it ML; a numeric library (numpy) only together with
 * one unambiguous ML term; otherwise ML vocabulary alone — one term in prose (a note that says
 * "ELBO" is about ML), two in code, where one identifier can be a coincidence.
 */
export function buildDocumentContext(text: string, languageId: string, index: ConceptIndex, ownLines?: Lines): DocumentContext {
  const imports = importedModules(text);
  const prose = PROSE_LANGUAGES.has(languageId);
  const strong = [...imports].some(m => ML_MODULES.has(m));
  const numeric = [...imports].some(m => NUMERIC_MODULES.has(m));
  const needed = prose || numeric ? 1 : 2;
  const mlSignal = strong || countMlTerms(text, index, needed) >= needed;
  const lines = ownLines ?? linesOf(text);
  const docLines = ownLines ? linesOf(text) : lines;
  const notebookSkip = notebookSourceRows(text.length > 8 * 1024 * 1024 ? '' : text);
  const header = ownLines ? 0 : licenceHeaderEnd(lines);
  const uses = new Map<string, ReadonlySet<string>>();
  let flipped: Set<number> | undefined;
  return {
    languageId,
    prose,
    imports,
    mlSignal,
    lines,
    skipsRow: row => row < header || (notebookSkip?.(row) ?? false),
    flipsRow: row => (flipped ??= flippedRows(lines, prose, languageId)).has(row),
    usesOf: identifier => {
      let u = uses.get(identifier);
      if (!u) uses.set(identifier, (u = identifierUses(text, identifier, docLines)));
      return u;
    },
  };
}

/**
 * Counts distinct unambiguous ML terms in the first SCAN_LIMIT characters, stopping at `enough`.
 * Used only as a context signal, so a cheap whole-token walk is enough.
 */
function countMlTerms(text: string, index: ConceptIndex, enough: number): number {
  const tokens = wordTokens(text, 0, Math.min(text.length, SCAN_LIMIT));
  const found = new Set<string>();
  for (let i = 0; i < tokens.length && found.size < enough; i++) {
    let key = '';
    for (let j = i; j < tokens.length && j < i + index.maxTokens; j++) {
      if (j > i && tokens[j].join === Join.Break) break;
      key += tokens[j].key;
      const entry = index.entries.get(key);
      if (entry && !entry.ambiguous && !entry.exact && !entry.senses) found.add(entry.conceptIds[0]);
    }
  }
  return found.size;
}

/**
 * Prose is Markdown outside fenced blocks and code spans, and in code files the comments and Python
 * docstrings.
 */
function readsAsProse(occurrence: Occurrence, context: DocumentContext): boolean {
  const flipped = occurrence.row >= 0 && context.flipsRow(occurrence.row);
  if (context.prose) return !flipped && !inCodeSpan(occurrence.line, occurrence.start);
  if (flipped) return !inCodeSpan(occurrence.line, occurrence.start);
  const comment = commentStart(occurrence.line, context.languageId);
  return comment >= 0 && comment < occurrence.start && !inCodeSpan(occurrence.line, occurrence.start);
}

/** Whether a line reads like licence boilerplate. */
export function isLicenceLine(line: string): boolean {
  return LICENCE_LINE.test(line.length > 400 ? line.slice(0, 400) : line);
}

/** Where a matched term sits: its line, 0-based row and range. */
export interface Occurrence {
  line: string;
  row: number;
  start: number;
  end: number;
  text: string;
}

/**
 * Decides whether a matched term may fire at this occurrence, and for a term two concepts share,
 * which one it means; returns the entry's concept ids with the chosen one first, or undefined.
 *
 * Evidence at the occurrence comes first (src/content/senses.yaml: the words around it, how the
 * identifier is used, the imports): more cues of a non-ML meaning than of the concept's silence it,
 * whatever the file is about. Ambiguous terms need an ML document or two cues of their concept; in
 * prose they must be written as an abbreviation (FID, KL), because lower-case "window" or "chunk" in
 * a sentence is an English word. Case-sensitive terms must show their exact letters.
 */
export function judgeOccurrence(entry: IndexEntry, occurrence: Occurrence, context: DocumentContext): string[] | undefined {
  if (entry.exact && occurrence.text.replace(/[\s_-]/g, '') !== entry.exact) return undefined;
  let ids = entry.conceptIds;
  let best = 0;
  if (entry.senses) {
    const { row, line } = occurrence;
    const lines: Lines = { lineAt: r => (r === row ? line : r < 0 ? undefined : context.lines.lineAt(r)) };
    const evidence: Evidence = occurrenceEvidence(
      lines,
      occurrence.row,
      occurrence.line,
      occurrence.start,
      occurrence.end,
      context.usesOf,
      context.imports,
    );
    let other = 0;
    const scores = new Map<string, number>();
    const order: string[] = [];
    for (const sense of entry.senses) {
      other = Math.max(other, cueScore(sense.other, evidence));
      for (const [id, cues] of Object.entries(sense.concepts)) {
        const concept = id === '*' ? entry.conceptIds[0] : id;
        if (!entry.conceptIds.includes(concept)) continue;
        if (!order.includes(concept)) order.push(concept);
        scores.set(concept, (scores.get(concept) ?? 0) + cueScore(cues, evidence));
      }
    }
    const ranked = [...entry.conceptIds].sort((a, b) => {
      const d = (scores.get(b) ?? 0) - (scores.get(a) ?? 0);
      if (d) return d;
      const [ia, ib] = [order.indexOf(a), order.indexOf(b)];
      return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib);
    });
    best = scores.get(ranked[0]) ?? 0;
    if (other > best) return undefined;
    ids = ranked;
  }
  if (entry.ambiguous) {
    // Outside ML files one cue can be a coincidence (`eps = 1e-9` in a socket helper); two are not.
    if (!context.mlSignal && best < 2) return undefined;
    if (readsAsProse(occurrence, context) && occurrence.text !== occurrence.text.toUpperCase()) {
      // In prose, lower-case "window" is English; in a code comment or docstring, so is a plain
      // lower-case word that has a known other meaning ("clip the predicted x_0"), while `kl_loss`,
      // `fid_score` or "residual" there is ML.
      if (context.prose || (/^[a-z]+$/.test(occurrence.text) && entry.senses?.some(s => s.other))) return undefined;
    }
  }
  return ids;
}

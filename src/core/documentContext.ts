import type { ConceptIndex, IndexEntry } from './conceptIndex';
import { Join, wordTokens } from './wordTokens';

/**
 * What the matcher knows about the whole document, computed once per document version:
 * whether the file is prose, which modules it imports, and whether it is about ML at all.
 */
export interface DocumentContext {
  languageId: string;
  /** Markdown and plain text: words are English/Chinese prose, not identifiers. */
  prose: boolean;
  /** Top-level module names from import/require/library/using lines. */
  imports: ReadonlySet<string>;
  /** An ML library is imported or unambiguous ML terms appear: ambiguous terms may fire. */
  mlSignal: boolean;
}

const PROSE_LANGUAGES = new Set(['markdown', 'plaintext', 'latex', 'restructuredtext']);

/** Libraries whose import makes a file ML code. */
const ML_MODULES = new Set([
  'torch', 'torchvision', 'torchaudio', 'tensorflow', 'keras', 'jax', 'flax', 'optax', 'numpy', 'scipy',
  'sklearn', 'diffusers', 'transformers', 'datasets', 'accelerate', 'lightning', 'pytorch_lightning',
  'torchmetrics', 'pytorch_fid', 'cleanfid', 'langchain', 'langchain_text_splitters', 'llama_index', 'faiss',
  'sentence_transformers', 'tiktoken', 'vllm', 'openai', 'einops', 'timm', 'pandas', 'xgboost', 'lightgbm',
  '@tensorflow/tfjs', '@tensorflow/tfjs-node', 'onnxruntime-web', 'onnxruntime-node', '@xenova/transformers',
  '@huggingface/transformers', 'ml-kmeans', 'ml-pca', 'langchain/text_splitter', '@langchain/textsplitters',
  'keras3', 'tidymodels', 'caret', 'mlr3', 'flux', 'mlj', 'clustering', 'multivariatestats', 'distributions',
]);

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

/**
 * ML context: an ML library is imported, or the text names unambiguous ML terms — one is enough in
 * prose (a note that says "ELBO" is about ML), two in code, where one identifier can be a coincidence.
 */
export function buildDocumentContext(text: string, languageId: string, index: ConceptIndex): DocumentContext {
  const imports = importedModules(text);
  const prose = PROSE_LANGUAGES.has(languageId);
  const needed = prose ? 1 : 2;
  const mlSignal = [...imports].some(m => ML_MODULES.has(m)) || countMlTerms(text, index, needed) >= needed;
  return { languageId, prose, imports, mlSignal };
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
      if (entry && !entry.ambiguous && !entry.exact) found.add(entry.conceptIds[0]);
    }
  }
  return found.size;
}

/**
 * Words that mean something else outside ML, with what gives that other meaning away on the same line.
 * `fid` next to `os.open` is a file descriptor; `kid` next to `children` is a child; `chunk` in an
 * `iter_content` loop is a byte buffer; `window` near Tk, Qt or the DOM is a GUI window; Adam's
 * `betas=(0.9, 0.999)` are moment decay rates, not a noise schedule; `eps=1e-8` is a stability constant.
 * These rules apply to every term containing the word (`chunk_size`, `window_size`), ambiguous or not.
 */
const NON_ML_LINE_CUES: Readonly<Record<string, RegExp>> = {
  fid: /\bos\.(?:open|fdopen|close|read|write|dup2?|lseek|fstat)\b|\bfileno\b|\bsocket\b|\bfcntl\b|\bselect\.|\bpipe\(|\bfd\b/i,
  kid: /\bchild(?:ren)?\b|\bkids\b|\bparent|\bfamily\b|\bsibling|\bguardian/i,
  chunk: /iter_content|iter_chunks|iter_bytes|iter_lines|\.read\(|\.recv\(|\bstream\b|\bresponse\b|\bresp\b|\bsocket\b|\bbuffer\b|\.write\(|\bdownload|\bupload|\bbytes\b/i,
  window: /\btk\b|tkinter|\bTk\(|Toplevel|QMainWindow|QWidget|pygame|\bdocument\.|addEventListener|\bwindow\.|glfw|\bsdl|\bgui\b|\bcurses\b|\bscreen\b|\bwidget/i,
  betas: /\badam|\boptim|\blamb\b|betas\s*=\s*\(/i,
  beta: /\badam|\boptim|\bversion\b|\brelease\b|\bbeta[ _-]?test|\bchannel\b/i,
  eps: /\beps\s*=\s*[\d.]|\bepsilon\b|\b1e-\d+\b/i,
  stride: /\bstrides?\b.*\bnp\.lib\.stride_tricks|\bas_strided\b|\bbyte/i,
  yarn: /\byarn\s+(?:add|install|run|build|test|dev|start)\b|package\.json|\bnpm\b/i,
  sse: /\bevent-?stream\b|\bEventSource\b|\bserver[- ]sent\b|\bsse[_-]?(?:client|server|event|endpoint|starlette)/i,
};

/** Imports that give the other meaning away for the whole file (a Tk app's `window`). */
const NON_ML_IMPORT_CUES: Readonly<Record<string, readonly string[]>> = {
  window: ['tkinter', 'pyqt5', 'pyqt6', 'pyside2', 'pyside6', 'wx', 'kivy', 'pygame', 'electron', 'curses', 'glfw'],
  chunk: ['requests', 'urllib', 'urllib3', 'httpx', 'aiohttp', 'socket', 'boto3', 'http', 'node:http', 'https', 'node:https', 'fs', 'node:fs'],
  fid: ['socket', 'fcntl', 'select', 'selectors'],
  yarn: [],
};

function hasNonMlCue(entry: IndexEntry, line: string, context: DocumentContext): boolean {
  for (const word of entry.words) {
    const cue = NON_ML_LINE_CUES[word];
    if (cue && cue.test(line)) return true;
    const importCues = NON_ML_IMPORT_CUES[word];
    if (importCues && importCues.some(m => context.imports.has(m))) return true;
  }
  return false;
}

/**
 * Whether a matched term may fire here. Ambiguous terms need an ML document; in prose they must also
 * be written as an abbreviation (FID, KL), because lower-case "window" or "chunk" in a sentence is an
 * English word. Case-sensitive terms must show their exact letters.
 */
export function termFits(entry: IndexEntry, matchedText: string, line: string, context: DocumentContext): boolean {
  if (entry.exact && matchedText.replace(/[\s_-]/g, '') !== entry.exact) return false;
  if (entry.ambiguous) {
    if (!context.mlSignal) return false;
    if (context.prose && matchedText !== matchedText.toUpperCase()) return false;
  }
  return !hasNonMlCue(entry, line, context);
}

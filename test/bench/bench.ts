/**
 * `npm run bench [-- --json]`: hover matcher speed against the obvious baseline (one big regex
 * alternation of all aliases) on the same cursor positions in the same run, the cost at 10,000
 * concepts, bundle and package sizes, and the activation / panel paint times the e2e run recorded.
 * Prints a table; with --json, the last line is one JSON object (keys are a stable interface).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Concept, termsOf } from '../../src/core/concept';
import { ConceptIndex, buildConceptIndex } from '../../src/core/conceptIndex';
import { DocumentContext, buildDocumentContext } from '../../src/core/documentContext';
import { findConceptAt } from '../../src/core/findConceptAt';
import { importQaNotes } from '../../src/core/importQaNotes';
import { conceptsFromNotes } from '../../src/core/notesConcepts';
import { parseKnowledgeBase } from '../../src/core/knowledgeBase';
import { languageOfFile } from '../../src/core/languageOfFile';
import type { Typesetter } from '../../src/core/texTypesetter';
import { CachedTypesetter } from '../../src/core/typesetCache';

const ROOT = resolve(__dirname, '..', '..', '..');
const json = process.argv.includes('--json');
/**
 * Our own files: the labelled hover corpora (ML and non-ML code, notes, prose), the reference
 * implementations (ML Python), the e2e workspace, and this extension's TypeScript and test harness
 * (plain non-ML code that still says "index", "window", "chunk", "cache" a lot).
 */
const CORPUS_DIRS = [
  'test/fixtures/corpus',
  'test/fixtures/corpus-heldout',
  'snippets',
  'test/e2e/fixtures/workspace',
  'src',
  'test/e2e',
].map(d => join(ROOT, d));
const CORPUS_FILE = /\.(py|ts|tsx|js|md|ipynb)$/;
const GOALS = { hover_median_us: 20, hover_p99_us: 200, speedup_vs_baseline: 20, scale_10k_hover_p99_us: 200, scale_10k_index_ms: 300, bundle_kb: 200, vsix_kb: 4096, kb_load_ms: 50, activation_ms: 15, panel_paint_ms: 250, panel_vs_preview: 0.7, panel_navigate_ms: 50 };

interface Position {
  line: string;
  row: number;
  column: number;
  context: DocumentContext;
}

/** Every character position inside a word in every corpus file: ML and non-ML code, notes, prose. */
function positions(index: ConceptIndex): Position[] {
  const out: Position[] = [];
  for (const dir of CORPUS_DIRS.filter(existsSync)) {
    for (const name of readdirSync(dir).filter(n => CORPUS_FILE.test(n))) {
      const text = readFileSync(join(dir, name), 'utf8');
      const context = buildDocumentContext(text, languageOfFile(name), index);
      text.split('\n').forEach((line, row) => {
        for (const m of line.matchAll(/[\p{L}\p{N}_]+/gu)) out.push({ line, row, column: m.index! + Math.floor(m[0].length / 2), context });
      });
    }
  }
  return out;
}

/** The obvious approach: all aliases in one case-insensitive alternation, longest first. */
function baselineMatcher(concepts: readonly Concept[]): (line: string, column: number) => string | undefined {
  const byTerm = new Map<string, string>();
  for (const c of concepts) for (const t of termsOf(c)) if (!byTerm.has(t.toLowerCase())) byTerm.set(t.toLowerCase(), c.id);
  const escaped = [...byTerm.keys()].sort((a, b) => b.length - a.length).map(t => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const regex = new RegExp(escaped.join('|'), 'gi');
  return (line, column) => {
    regex.lastIndex = 0;
    for (let m = regex.exec(line); m; m = regex.exec(line)) {
      if (m.index <= column && column < m.index + m[0].length) return byTerm.get(m[0].toLowerCase());
      if (m.index > column) break;
      if (m[0].length === 0) regex.lastIndex++;
    }
    return undefined;
  };
}

/** 10,000 made-up concepts with 5 aliases each, shaped like terms from a large notes collection. */
function syntheticConcepts(n: number): Concept[] {
  const syllables = ['ka', 'lo', 'mi', 'ter', 'vun', 'sel', 'dor', 'pha', 'qui', 'zen', 'bra', 'tor'];
  const word = (i: number, salt: number) => {
    let s = '';
    for (let x = i * 7919 + salt * 104729 + 1; s.length < 9; x = Math.floor(x / 12)) s += syllables[x % 12];
    return s;
  };
  return Array.from({ length: n }, (_, i) => ({
    id: `note:synthetic.md:${i + 1}`,
    title: { en: `${word(i, 1)} ${word(i, 2)}`, 'zh-cn': `合成概念${i}` },
    aliases: { en: [`${word(i, 1)} ${word(i, 2)}`, `${word(i, 3)} method`], 'zh-cn': [`合成概念${i}`], abbr: [`${word(i, 4).slice(0, 5).toUpperCase()}${i}`] },
    identifiers: [`${word(i, 5)}_${i}`],
    ambiguous: [],
    caseSensitive: [],
    summary: { en: 'synthetic', 'zh-cn': '合成' },
    formulas: [],
    qa: { en: [], 'zh-cn': [] },
    related: [],
    references: [],
    snippets: [],
    source: { file: 'synthetic.md', line: i + 1 },
  }));
}

/** A notes file in the seed's format: 10 questions, each with a gloss, inline and display math. */
function notesFile(n: number): string {
  const parts = [`# 笔记 ${n}\n`];
  for (let q = 0; q < 10; q++) {
    const id = n * 10 + q;
    parts.push(
      `> 什么是术语${id}？它和 $\\mathbb{E}[x_${q}]$ 有什么关系？\n>\n> 请举例说明。\n`,
      `术语${id}（Study Term ${id}, ST${id}）是一个练习用的概念，\\( p(x) \\) 是它的密度。\n`,
      `$$\n\\ln p(x) \\ge \\mathbb{E}_{q}[\\ln p(x, z) - \\ln q(z)]\n$$\n`,
      `### 推导\n\n先写出 **联合分布**，再取期望。\n`,
    );
  }
  return parts.join('\n');
}

function sizeKb(path: string): number | null {
  return existsSync(path) ? Math.round((statSync(path).size / 1024) * 10) / 10 : null;
}

/**
 * activation_ms and panel_paint_ms come from the real-VS-Code e2e run, which writes them (and
 * panel_paint_cold_ms for context) to test-results/e2e-metrics.json.
 */
function e2eMetrics(): { activation_ms: number | null; panel_paint_ms: number | null; extra: Record<string, number>; reason?: string } {
  const file = join(ROOT, 'test-results', 'e2e-metrics.json');
  if (!existsSync(file)) return { activation_ms: null, panel_paint_ms: null, extra: {}, reason: 'no e2e run recorded (run npm run test:e2e first)' };
  const { activation_ms, panel_paint_ms, ...extra } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
  return { activation_ms: activation_ms ?? null, panel_paint_ms: panel_paint_ms ?? null, extra };
}

async function main(): Promise<void> {
  const kb = parseKnowledgeBase(readFileSync(join(ROOT, 'dist', 'kb.json'), 'utf8'));
  const index = buildConceptIndex(kb.concepts, kb.senses);
  const all = positions(index);
  const baseline = baselineMatcher(kb.concepts);

  const bigConcepts = [...kb.concepts, ...syntheticConcepts(10_000)];
  const bigIndex = buildConceptIndex(bigConcepts, kb.senses);
  const bigPositions = positions(bigIndex);
  const bigBaseline = baselineMatcher(bigConcepts);

  // Each task walks its own list round-robin, so every task sees the same positions in the same order.
  const cycle = <T>(items: readonly T[]) => {
    let n = 0;
    return () => items[n++ % items.length];
  };
  const [hoverAt, baselineAt, bigHoverAt, bigBaselineAt] = [cycle(all), cycle(all), cycle(bigPositions), cycle(bigPositions)];
  // tinybench is ESM-only; this file compiles to CommonJS.
  const { Bench } = await import('tinybench');
  const bench = new Bench({ time: 3000, warmup: true });
  bench
    .add('hover (real matcher)', () => {
      const p = hoverAt();
      findConceptAt(index, p.line, p.column, p.context, p.row);
    })
    .add('baseline (regex alternation)', () => {
      const p = baselineAt();
      baseline(p.line, p.column);
    })
    .add('hover at 10k concepts', () => {
      const p = bigHoverAt();
      findConceptAt(bigIndex, p.line, p.column, p.context, p.row);
    })
    .add('baseline at 10k concepts', () => {
      const p = bigBaselineAt();
      bigBaseline(p.line, p.column);
    });
  await bench.run();

  // What the extension does for notes (src/notesIndexer.ts + KnowledgeStore): import every file, then
  // build the index over built-in + notes concepts; on a save, re-import that file and rebuild.
  const files = Array.from({ length: 500 }, (_, n) => ({ name: `notes/topic-${n}-QA.md`, text: notesFile(n) }));
  const notesConcepts = new Map(files.map(f => [f.name, conceptsFromNotes(f.name, importQaNotes(f.text).entries)]));
  const savedFile = cycle(files);
  const indexBench = new Bench({ time: 1000, iterations: 5 });
  indexBench
    .add('index 10k concepts', () => {
      buildConceptIndex(bigConcepts, kb.senses);
    })
    .add('index 500 notes files', () => {
      const concepts = [...kb.concepts];
      for (const f of files) concepts.push(...conceptsFromNotes(f.name, importQaNotes(f.text).entries));
      buildConceptIndex(concepts);
    })
    .add('re-index 1 of 500 notes files', () => {
      const f = savedFile();
      notesConcepts.set(f.name, conceptsFromNotes(f.name, importQaNotes(f.text).entries));
      buildConceptIndex([...kb.concepts, ...[...notesConcepts.values()].flat()]);
    });
  await indexBench.run();

  // What the extension does before the first hover: read dist/kb.json and parse it (KnowledgeStore).
  const kbFile = join(ROOT, 'dist', 'kb.json');
  const loadBench = new Bench({ time: 1000, iterations: 10 });
  loadBench.add('load kb.json', () => {
    parseKnowledgeBase(new TextDecoder().decode(readFileSync(kbFile)));
  });
  await loadBench.run();

  // What the first hover with a user formula does (src/mathTypesetting.ts): load dist/typeset.js,
  // create MathJax, typeset; then the same formula again, from the cache.
  const typesetBundle = join(ROOT, 'dist', 'typeset.js');
  const userFormula = '\\theta_{\\mathrm{ema}} \\leftarrow \\beta\\, \\theta_{\\mathrm{ema}} + (1 - \\beta)\\, \\theta';
  let runtimeFirst: number | null = null;
  let runtimeCached: number | null = null;
  if (existsSync(typesetBundle)) {
    const started = performance.now();
    const engine = new CachedTypesetter((require(typesetBundle) as { createTypesetter(): Typesetter }).createTypesetter());
    engine.typeset(userFormula, true);
    runtimeFirst = performance.now() - started;
    const cachedBench = new Bench({ time: 300 });
    cachedBench.add('cached formula', () => void engine.typeset(userFormula, true));
    await cachedBench.run();
    runtimeCached = (cachedBench.tasks[0].result as unknown as { latency: { p50?: number } }).latency.p50 ?? null;
  }

  /** Median and p99 of a task, in milliseconds. */
  const latency = (from: typeof bench, name: string) => {
    const r = from.tasks.find(t => t.name === name)!.result as unknown as { latency: { p50?: number; p99?: number } };
    return { median: r.latency.p50 ?? NaN, p99: r.latency.p99 ?? NaN };
  };
  const micros = (name: string) => {
    const { median, p99 } = latency(bench, name);
    return { median: median * 1000, p99: p99 * 1000 };
  };

  const hover = micros('hover (real matcher)');
  const base = micros('baseline (regex alternation)');
  const big = micros('hover at 10k concepts');
  const bigBase = micros('baseline at 10k concepts');
  const e2e = e2eMetrics();
  const round = (x: number) => Math.round(x * 100) / 100;
  // The panel against VS Code's own Markdown preview in the same e2e run (medians of 5): hover link →
  // first KaTeX shown and Explain Term at Cursor → shown, each over preview → first .katex shown, by the
  // webview's own clock (test/e2e/panel.e2e.ts); the `_playwright` ratios are the same by Playwright's.
  const ratioOf = (panelMs: number | undefined, previewMs: number | undefined) => (panelMs && previewMs ? round(panelMs / previewMs) : null);
  const ratio = (ms: number | undefined) => ratioOf(ms, e2e.extra.preview_katex_ms);
  const vsPreview = {
    panel_vs_preview_hover: ratio(e2e.extra.panel_hover_ms),
    panel_vs_preview_explain: ratio(e2e.extra.panel_explain_ms),
    panel_vs_preview_playwright_hover: ratioOf(e2e.extra.panel_hover_playwright_ms, e2e.extra.preview_katex_playwright_ms),
    panel_vs_preview_playwright_explain: ratioOf(e2e.extra.panel_explain_playwright_ms, e2e.extra.preview_katex_playwright_ms),
  };
  const bothRatios = [vsPreview.panel_vs_preview_hover, vsPreview.panel_vs_preview_explain];
  const result = {
    positions: all.length,
    concepts: kb.concepts.length,
    hover_median_us: round(hover.median),
    hover_p99_us: round(hover.p99),
    baseline_median_us: round(base.median),
    speedup_vs_baseline: round(base.median / hover.median),
    scale_10k_hover_median_us: round(big.median),
    scale_10k_hover_p99_us: round(big.p99),
    scale_10k_index_ms: round(latency(indexBench, 'index 10k concepts').median),
    scale_10k_baseline_median_us: round(bigBase.median),
    scale_10k_speedup_vs_baseline: round(bigBase.median / big.median),
    notes_500_index_ms: round(latency(indexBench, 'index 500 notes files').median),
    notes_1_reindex_ms: round(latency(indexBench, 're-index 1 of 500 notes files').median),
    bundle_kb: sizeKb(join(ROOT, 'dist', 'extension.js')),
    vsix_kb: sizeKb(join(ROOT, 'ml-concept-lens.vsix')),
    kb_load_ms: round(latency(loadBench, 'load kb.json').median),
    kb_json_kb: sizeKb(kbFile),
    runtime_formula_first_ms: runtimeFirst === null ? null : round(runtimeFirst),
    runtime_formula_cached_ms: runtimeCached === null ? null : Math.round(runtimeCached * 10000) / 10000,
    typeset_bundle_kb: sizeKb(typesetBundle),
    activation_ms: e2e.activation_ms,
    panel_paint_ms: e2e.panel_paint_ms,
    ...e2e.extra,
    panel_vs_preview: bothRatios.every(r => r !== null) ? Math.max(...(bothRatios as number[])) : null,
    ...vsPreview,
    panel_navigate_ms: e2e.extra.panel_navigate_ms ?? null,
    ...(e2e.reason ? { e2e_note: e2e.reason } : {}),
  };
  const rows = Object.entries(GOALS).map(([key, goal]) => {
    const value = result[key as keyof typeof result] as number | null;
    const ok = value === null ? 'n/a' : key === 'speedup_vs_baseline' ? (value >= goal ? 'yes' : 'NO') : value <= goal ? 'yes' : 'NO';
    return { metric: key, value: value ?? 'null', goal: key === 'speedup_vs_baseline' ? `>= ${goal}` : `<= ${goal}`, met: ok };
  });
  console.log(`${result.positions} cursor positions, ${result.concepts} concepts; baseline median ${result.baseline_median_us} µs`);
  console.log(`notes: 500 files (5,000 questions) indexed in ${result.notes_500_index_ms} ms; re-index after saving one: ${result.notes_1_reindex_ms} ms`);
  console.table(rows);
  if (e2e.reason) console.log(`activation_ms / panel_paint_ms: ${e2e.reason}`);
  if (json) console.log(JSON.stringify(result));
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});

import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { CONTENT_LANGUAGES, Concept, ContentLanguage, Pitfall, QuestionAnswer, TopicInfo, termsOf } from './concept';
import { termKey } from './wordTokens';

/** A problem in a content file, with the 1-based line it is on. */
export interface ContentProblem {
  file: string;
  line: number;
  message: string;
}

export function formatProblem(p: ContentProblem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SUMMARY_MAX = 200;
const PITFALL_MAX = 240;

/**
 * Users never saw the notes the base grew from, so no text may point at them ("as the seed notes
 * say"); a concept speaks for itself.
 */
const PROVENANCE = /\bseed notes?\b|\bthe seed\b|\boriginal notes\b|原始笔记|种子笔记|原笔记/i;

/**
 * Parses src/content/topics.yaml: a list of {id, en, zh-cn}, in display order. Adding a topic is one
 * entry there; no code lists them.
 */
export function parseTopicsFile(file: string, text: string): { topics: TopicInfo[]; problems: ContentProblem[] } {
  const problems: ContentProblem[] = [];
  const doc = parseDocument(text, { prettyErrors: false });
  const lineOfOffset = (offset: number) => 1 + (text.slice(0, offset).match(/\n/g)?.length ?? 0);
  for (const e of doc.errors) problems.push({ file, line: lineOfOffset(e.pos[0]), message: `YAML: ${e.message.split('\n')[0]}` });
  const topics: TopicInfo[] = [];
  if (!doc.errors.length && !isSeq(doc.contents)) problems.push({ file, line: 1, message: 'expected a list of topics' });
  if (isSeq(doc.contents))
    for (const item of doc.contents.items) {
      const line = lineOfOffset((item as { range?: number[] }).range?.[0] ?? 0);
      const v = isMap(item) ? (item.toJSON() as Record<string, unknown>) : {};
      const [id, en, zh] = [v.id, v.en, v['zh-cn']];
      if (typeof id !== 'string' || !ID_PATTERN.test(id) || typeof en !== 'string' || typeof zh !== 'string' || !en || !zh) {
        problems.push({ file, line, message: 'a topic needs a kebab-case id, en and zh-cn' });
        continue;
      }
      if (topics.some(t => t.id === id)) problems.push({ file, line, message: `duplicate topic "${id}"` });
      topics.push({ id, title: { en, 'zh-cn': zh } });
    }
  return { topics, problems };
}

/**
 * Parses and validates one concept file (YAML front matter + `# en` / `# zh-cn` Q&A body, see
 * src/content/FORMAT.md). Returns the concept only when the file has no problems.
 */
export function parseConceptFile(
  file: string,
  text: string,
  topicIds?: ReadonlySet<string>,
): { concept?: Concept; problems: ContentProblem[] } {
  const problems: ContentProblem[] = [];
  const fail = (line: number, message: string) => problems.push({ file, line, message });
  const normalized = text.replace(/\r\n?/g, '\n');
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(normalized);
  if (!fm) {
    fail(1, 'expected YAML front matter between --- lines');
    return { problems };
  }
  const doc = parseDocument(fm[1], { prettyErrors: false });
  const lineOfOffset = (offset: number) => 2 + (fm[1].slice(0, offset).match(/\n/g)?.length ?? 0);
  for (const e of doc.errors) fail(lineOfOffset(e.pos[0]), `YAML: ${e.message.split('\n')[0]}`);
  if (doc.errors.length || !isMap(doc.contents)) {
    if (!doc.errors.length) fail(2, 'front matter must be a mapping');
    return { problems };
  }
  const lineOf = (path: (string | number)[]) => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lineOfOffset(node.range[0]) : 2;
  };
  const str = (path: string[]): string => {
    const v = doc.getIn(path);
    if (typeof v !== 'string' || !v.trim()) {
      fail(lineOf(path.length > 1 ? path.slice(0, -1) : path), `${path.join('.')}: expected a non-empty string`);
      return '';
    }
    return v.trim();
  };
  const list = (path: string[], required = true): string[] => {
    const node = doc.getIn(path, true);
    if (node === undefined) {
      if (required) fail(2, `${path.join('.')}: missing`);
      return [];
    }
    if (!isSeq(node) || !node.items.every(i => isScalar(i) && typeof i.value === 'string' && i.value.trim())) {
      fail(lineOf(path), `${path.join('.')}: expected a list of non-empty strings`);
      return [];
    }
    return node.items.map(i => String((i as { value: string }).value).trim());
  };

  const id = str(['id']);
  if (id && !ID_PATTERN.test(id)) fail(lineOf(['id']), `id "${id}" must be kebab-case`);
  const expectedName = `${id}.md`;
  if (id && !file.replace(/\\/g, '/').endsWith(`/${expectedName}`) && file !== expectedName)
    fail(lineOf(['id']), `id "${id}" does not match the file name`);
  const topic = str(['topic']);
  if (topic && topicIds && !topicIds.has(topic))
    fail(lineOf(['topic']), `topic "${topic}" is not in src/content/topics.yaml`);
  const title = { en: str(['title', 'en']), 'zh-cn': str(['title', 'zh-cn']) };
  const summary = { en: str(['summary', 'en']), 'zh-cn': str(['summary', 'zh-cn']) };
  for (const lang of CONTENT_LANGUAGES) {
    if (summary[lang].length > SUMMARY_MAX) fail(lineOf(['summary', lang]), `summary.${lang} is over ${SUMMARY_MAX} characters`);
    if (summary[lang].includes('\n')) fail(lineOf(['summary', lang]), `summary.${lang} must be one line`);
  }
  const concept: Concept = {
    id,
    topic,
    title,
    aliases: { en: list(['aliases', 'en']), 'zh-cn': list(['aliases', 'zh-cn']), abbr: list(['aliases', 'abbr']) },
    identifiers: list(['identifiers']),
    ambiguous: list(['ambiguous'], false),
    caseSensitive: list(['case_sensitive'], false),
    summary,
    formulas: list(['formulas']),
    qa: { en: [], 'zh-cn': [] },
    related: list(['related']),
    references: list(['references']),
    snippets: list(['snippets']),
    source: 'builtin',
  };
  const pitfalls = parsePitfalls(doc, lineOf, fail);
  if (pitfalls.length) concept.pitfalls = pitfalls;
  for (const lang of CONTENT_LANGUAGES)
    if (PROVENANCE.test(summary[lang])) fail(lineOf(['summary', lang]), `summary.${lang} mentions where the content came from`);
  checkTermLists(concept, lineOf, fail);
  const bodyStart = 1 + (fm[0].match(/\n/g)?.length ?? 0);
  concept.qa = parseQaBody(normalized.slice(fm[0].length), bodyStart, fail);
  normalized.split('\n').forEach((line, n) => {
    if (PROVENANCE.test(line)) fail(n + 1, 'text mentions where the content came from');
  });
  return problems.length ? { problems } : { concept, problems };
}

function parsePitfalls(
  doc: ReturnType<typeof parseDocument>,
  lineOf: (path: (string | number)[]) => number,
  fail: (line: number, message: string) => void,
): Pitfall[] {
  const node = doc.getIn(['pitfalls'], true);
  if (node === undefined) return [];
  if (!isSeq(node)) {
    fail(lineOf(['pitfalls']), 'pitfalls: expected a list');
    return [];
  }
  const pitfalls: Pitfall[] = [];
  node.items.forEach((_, i) => {
    const at = lineOf(['pitfalls', i]);
    const v = doc.getIn(['pitfalls', i]) as unknown;
    const get = (k: string) => (isMap(v) ? v.get(k) : undefined);
    const calls = get('calls') as unknown;
    const callList = isSeq(calls) ? calls.items.map(c => (isScalar(c) ? String(c.value).trim() : '')) : [];
    const text = { en: get('en'), 'zh-cn': get('zh-cn') };
    const [api, checked] = [get('api'), get('checked')];
    if (typeof api !== 'string' || !api.trim() || typeof checked !== 'string' || !checked.trim())
      return fail(at, 'a pitfall needs api and checked (where it was verified)');
    if (!callList.length || callList.some(c => !c)) return fail(at, 'a pitfall needs calls: a list of names');
    for (const lang of CONTENT_LANGUAGES) {
      const t = text[lang];
      if (typeof t !== 'string' || !t.trim()) return fail(at, `pitfall ${api}: ${lang} text missing`);
      if (t.length > PITFALL_MAX) fail(at, `pitfall ${api}: ${lang} text is over ${PITFALL_MAX} characters`);
      if (/\n|\$|\]\(|https?:/.test(t)) fail(at, `pitfall ${api}: ${lang} text must be one plain line (no math or links)`);
    }
    pitfalls.push({ api: api.trim(), calls: callList, text: { en: String(text.en).trim(), 'zh-cn': String(text['zh-cn']).trim() }, checked: checked.trim() });
  });
  return pitfalls;
}

function checkTermLists(
  concept: Concept,
  lineOf: (path: (string | number)[]) => number,
  fail: (line: number, message: string) => void,
): void {
  const terms = termsOf(concept);
  if (terms.length === 0) fail(lineOf(['aliases']), 'a concept needs at least one alias or identifier');
  for (const term of terms) {
    if (!termKey(term)) fail(lineOf(['aliases']), `term "${term}" contains punctuation that no text can match`);
  }
  const lower = new Set(terms.map(t => t.toLowerCase()));
  for (const a of concept.ambiguous)
    if (!lower.has(a.toLowerCase())) fail(lineOf(['ambiguous']), `ambiguous "${a}" is not one of the concept's terms`);
  for (const a of concept.caseSensitive)
    if (!terms.includes(a)) fail(lineOf(['case_sensitive']), `case_sensitive "${a}" is not one of the concept's terms`);
}

/** Splits the body into `# en` / `# zh-cn` sections of `##` questions; both must ask the same number. */
function parseQaBody(
  body: string,
  firstLine: number,
  fail: (line: number, message: string) => void,
): Record<ContentLanguage, QuestionAnswer[]> {
  const qa: Record<ContentLanguage, QuestionAnswer[]> = { en: [], 'zh-cn': [] };
  let lang: ContentLanguage | undefined;
  let current: { question: string; lines: string[] } | undefined;
  let fence: string | undefined;
  const flush = () => {
    if (current && lang) {
      const answer = current.lines.join('\n').trim();
      if (!answer) fail(firstLine, `${lang}: question "${current.question}" has no answer`);
      qa[lang].push({ question: current.question, answer });
    }
    current = undefined;
  };
  const lines = body.split('\n');
  lines.forEach((text, n) => {
    const fenceMark = /^\s*(```+|~~~+)/.exec(text)?.[1];
    if (fenceMark && (!fence || fenceMark.startsWith(fence))) fence = fence ? undefined : fenceMark;
    if (!fence && !fenceMark) {
      const h1 = /^#\s+(\S+)\s*$/.exec(text);
      if (h1) {
        flush();
        if (!(CONTENT_LANGUAGES as readonly string[]).includes(h1[1])) {
          fail(firstLine + n, `unknown section "# ${h1[1]}" (expected # en or # zh-cn)`);
          lang = undefined;
        } else lang = h1[1] as ContentLanguage;
        return;
      }
      const h2 = /^##\s+(.+?)\s*#*\s*$/.exec(text);
      if (h2) {
        flush();
        if (!lang) fail(firstLine + n, 'question outside a # en / # zh-cn section');
        current = { question: h2[1], lines: [] };
        return;
      }
    }
    if (current) current.lines.push(text);
    else if (text.trim() && lang) fail(firstLine + n, 'text before the first ## question');
  });
  flush();
  if (fence) fail(firstLine + lines.length - 1, 'unclosed code fence');
  if (qa.en.length === 0) fail(firstLine, 'no English questions (# en with ## questions)');
  if (qa.en.length !== qa['zh-cn'].length)
    fail(firstLine, `# en has ${qa.en.length} questions but # zh-cn has ${qa['zh-cn'].length}`);
  else
    qa.en.forEach((en, i) => {
      const [a, b] = [answerShape(en.answer), answerShape(qa['zh-cn'][i].answer)];
      if (a.display !== b.display || a.code !== b.code)
        fail(
          firstLine,
          `question ${i + 1} ("${en.question}"): en has ${a.display} display formulas and ${a.code} code blocks, ` +
            `zh-cn has ${b.display} and ${b.code}`,
        );
    });
  return qa;
}

/** What en and zh-cn must have the same number of in each answer: display formulas and code blocks. */
export function answerShape(answer: string): { display: number; code: number } {
  let display = 0;
  let code = 0;
  let fence: string | undefined;
  let inDisplay = false;
  for (const line of answer.split('\n')) {
    const mark = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (fence) {
      if (mark && mark.startsWith(fence)) fence = undefined;
      continue;
    }
    if (mark) {
      fence = mark;
      code++;
      continue;
    }
    const t = line.trim();
    if (inDisplay) {
      if (t.endsWith('$$')) inDisplay = false;
    } else if (t.startsWith('$$')) {
      display++;
      inDisplay = !(t.length > 4 && t.endsWith('$$'));
    }
  }
  return { display, code };
}

/**
 * Checks what only the whole set can show: related ids and snippet ids exist, and no two concepts
 * claim the same term (a hover must not have to guess).
 */
export function checkConceptSet(
  concepts: readonly Concept[],
  snippetIds: ReadonlySet<string> | undefined,
  fileOf: (id: string) => string,
  /** Term key → the concepts that share it on purpose (src/content/senses.yaml tells them apart). */
  sharedTerms: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const ids = new Set(concepts.map(c => c.id));
  const owner = new Map<string, string>();
  for (const c of concepts) {
    const file = fileOf(c.id);
    if (ids.size !== concepts.length && concepts.filter(o => o.id === c.id).length > 1)
      problems.push({ file, line: 2, message: `duplicate id "${c.id}"` });
    for (const r of c.related) {
      if (!ids.has(r)) problems.push({ file, line: 2, message: `related "${r}" is not a concept id` });
      if (r === c.id) problems.push({ file, line: 2, message: 'a concept cannot be related to itself' });
    }
    if (snippetIds)
      for (const s of c.snippets)
        if (!snippetIds.has(s)) problems.push({ file, line: 2, message: `snippet "${s}" is not in snippets/index.json` });
    for (const term of new Set(termsOf(c))) {
      const key = termKey(term)?.key;
      if (!key) continue;
      const other = owner.get(key);
      const shared = sharedTerms.get(key);
      if (other && other !== c.id && !(shared?.has(other) && shared.has(c.id)))
        problems.push({ file, line: 2, message: `term "${term}" is also a term of ${other} (declare it in src/content/senses.yaml if both are meant)` });
      else owner.set(key, c.id);
    }
  }
  return problems;
}

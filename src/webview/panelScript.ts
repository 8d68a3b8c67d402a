/**
 * The explanation panel's script, running inside the webview. It renders concepts with the same
 * renderer as `kb render` (markdown-it without HTML + KaTeX with trust off), keeps back/forward history
 * and the scroll position in the webview state, and talks to the extension only through messages the
 * extension validates.
 */
import type { Concept, ContentLanguage, TopicInfo } from '../core/concept';
import type { FromPanel, PanelTarget, ToPanel } from '../core/panelMessages';
import { renderConceptHtml, renderQa } from '../core/renderConcept';
import { searchConcepts } from '../core/searchConcepts';

interface VsCodeApi {
  postMessage(message: FromPanel): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface PanelState {
  history: PanelTarget[];
  position: number;
  lang: ContentLanguage;
  scrollY: number;
}

const INDEX_ID = '';
const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const content = $<HTMLElement>('content');
const search = $<HTMLInputElement>('search');
const results = $<HTMLDivElement>('results');
const back = $<HTMLButtonElement>('back');
const forward = $<HTMLButtonElement>('forward');
const languageButton = $<HTMLButtonElement>('language');

let concepts = new Map<string, Concept>();
let topics: TopicInfo[] = [];
let state: PanelState = vscode.getState() ?? { history: [], position: -1, lang: 'en', scrollY: 0 };
let restoredFromState = state.history.length > 0;

const UI: Record<ContentLanguage, { index: string; noResults: string; copy: string; copied: string; other: string; notFound: string }> = {
  en: { index: 'All concepts', noResults: 'No matching concept', copy: 'Copy LaTeX', copied: 'Copied', other: '中文', notFound: 'This concept is no longer available.' },
  'zh-cn': { index: '全部概念', noResults: '没有匹配的概念', copy: '复制 LaTeX', copied: '已复制', other: 'English', notFound: '该概念已不存在。' },
};

function saveState(): void {
  vscode.setState(state);
}

/**
 * KaTeX positions glyphs with inline style attributes, which a strict CSP (no 'unsafe-inline')
 * refuses to apply from markup. The HTML is parsed into an inert document, each style attribute is
 * moved out, and the styles are set again through the CSSOM, which the CSP allows.
 */
function insertRendered(container: HTMLElement, html: string): void {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const styled: [Element, string][] = [];
  for (const el of Array.from(parsed.body.querySelectorAll('[style]'))) {
    styled.push([el, el.getAttribute('style') ?? '']);
    el.removeAttribute('style');
  }
  container.replaceChildren(...Array.from(parsed.body.childNodes).map(n => document.adoptNode(n)));
  for (const [el, css] of styled) (el as HTMLElement).style.cssText = css;
}

function titleOf(id: string): string | undefined {
  return concepts.get(id)?.title[state.lang];
}

function notesFor(concept: Concept): Concept[] {
  if (concept.source !== 'builtin') return [];
  const terms = new Set([...concept.aliases.en, ...concept.aliases['zh-cn'], ...concept.aliases.abbr].map(t => t.toLowerCase()));
  return [...concepts.values()].filter(
    c => c.source !== 'builtin' && [...c.aliases.en, ...c.aliases['zh-cn'], ...c.aliases.abbr].some(t => terms.has(t.toLowerCase())),
  );
}

function addCopyButtons(): void {
  for (const formula of Array.from(content.querySelectorAll<HTMLElement>('.formula[data-latex]:not(:has(> .copy-latex))'))) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy-latex';
    button.textContent = UI[state.lang].copy;
    button.addEventListener('click', () => {
      vscode.postMessage({ type: 'copy', text: formula.dataset.latex ?? '' });
      button.textContent = UI[state.lang].copied;
      setTimeout(() => (button.textContent = UI[state.lang].copy), 1500);
    });
    formula.append(button);
  }
}

function renderIndex(): void {
  const parts: string[] = [`<article class="index"><h1>${UI[state.lang].index}</h1>`];
  for (const topic of topics) {
    const inTopic = [...concepts.values()].filter(c => c.topic === topic.id);
    if (!inTopic.length) continue;
    parts.push(`<section><h2>${escapeText(topic.title[state.lang])}</h2><ul>`);
    for (const c of inTopic)
      parts.push(`<li><a href="#" data-concept="${c.id}">${escapeText(c.title[state.lang])}</a> <span class="summary">${escapeText(c.summary[state.lang])}</span></li>`);
    parts.push('</ul></section>');
  }
  const notes = [...concepts.values()].filter(c => c.source !== 'builtin');
  if (notes.length) {
    parts.push(`<section><h2>${state.lang === 'en' ? 'Your notes' : '你的笔记'}</h2><ul>`);
    for (const c of notes) parts.push(`<li><a href="#" data-concept="${escapeText(c.id)}">${escapeText(c.title[state.lang])}</a></li>`);
    parts.push('</ul></section>');
  }
  parts.push('</article>');
  insertRendered(content, parts.join(''));
}

function escapeText(text: string): string {
  const div = document.createElement('div');
  div.textContent = text;
  return div.innerHTML.replace(/"/g, '&quot;');
}

function render(target: PanelTarget | undefined, scrollY?: number): void {
  document.documentElement.lang = state.lang;
  languageButton.textContent = UI[state.lang].other;
  back.disabled = state.position <= 0;
  forward.disabled = state.position >= state.history.length - 1;
  const concept = target && target.id !== INDEX_ID ? concepts.get(target.id) : undefined;
  if (!concept) {
    renderIndex();
    if (target && target.id !== INDEX_ID) content.insertAdjacentHTML('afterbegin', `<p class="notice">${UI[state.lang].notFound}</p>`);
  } else {
    // A fresh page paints its top (title, summary, key formulas) first, then its questions; restoring a
    // scroll position or jumping to a question needs the whole page at once.
    const defer = scrollY === undefined && !target?.anchor;
    insertRendered(content, renderConceptHtml(concept, state.lang, titleOf, notesFor(concept), { deferQuestions: defer, topics }));
    addCopyButtons();
  }
  const anchor = target?.anchor ? document.getElementById(target.anchor) : null;
  if (scrollY !== undefined) window.scrollTo(0, scrollY);
  else if (anchor) anchor.scrollIntoView({ block: 'start' });
  else window.scrollTo(0, 0);
  const token = ++renders;
  if (concept)
    requestAnimationFrame(() => {
      vscode.postMessage({ type: 'painted', conceptId: concept.id });
      setTimeout(() => fillDeferred(concept, token), 0);
    });
  saveState();
}

/** Counts renders, so a deferred fill for a page the user has already left is dropped. */
let renders = 0;

function fillDeferred(concept: Concept, token: number): void {
  const slot = content.querySelector('.qa-deferred');
  if (!slot || token !== renders) return;
  const holder = document.createElement('div');
  insertRendered(holder, renderQa(concept, state.lang));
  slot.replaceWith(...Array.from(holder.childNodes));
  addCopyButtons();
}

function go(target: PanelTarget): void {
  state.history = state.history.slice(0, state.position + 1);
  state.history.push(target);
  state.position = state.history.length - 1;
  state.scrollY = 0;
  render(target);
}

function step(delta: number): void {
  const next = state.position + delta;
  if (next < 0 || next >= state.history.length) return;
  state.position = next;
  render(state.history[next]);
}

function showResults(): void {
  const query = search.value.trim();
  if (!query) {
    results.hidden = true;
    return;
  }
  const hits = searchConcepts(concepts.values(), query, 12);
  const html = hits.length
    ? hits
        .map(
          (h, i) =>
            `<a href="#" role="option" id="result-${i}" data-concept="${escapeText(h.concept.id)}">${escapeText(h.concept.title[state.lang])}<span class="matched">${escapeText(h.matched)}</span></a>`,
        )
        .join('')
    : `<p class="empty">${UI[state.lang].noResults}</p>`;
  insertRendered(results, html);
  results.hidden = false;
}

document.addEventListener('click', event => {
  const link = (event.target as Element).closest<HTMLElement>('a[data-concept]');
  if (link) {
    event.preventDefault();
    results.hidden = true;
    search.value = '';
    go({ id: link.dataset.concept ?? INDEX_ID });
    content.focus();
    return;
  }
  const snippet = (event.target as Element).closest<HTMLElement>('[data-snippet]');
  if (snippet?.dataset.snippet) vscode.postMessage({ type: 'insert', snippetId: snippet.dataset.snippet });
  const note = (event.target as Element).closest<HTMLElement>('[data-source]');
  if (note && note.classList.contains('from-notes')) {
    const m = /^(.*):(\d+)$/.exec(note.dataset.source ?? '');
    if (m) vscode.postMessage({ type: 'openNote', file: m[1], line: Number(m[2]) });
  }
});
back.addEventListener('click', () => step(-1));
forward.addEventListener('click', () => step(1));
$('index').addEventListener('click', () => go({ id: INDEX_ID }));
languageButton.addEventListener('click', () => {
  state.lang = state.lang === 'en' ? 'zh-cn' : 'en';
  render(state.history[state.position]);
});
search.addEventListener('input', showResults);
search.addEventListener('keydown', event => {
  if (event.key === 'Escape') {
    search.value = '';
    results.hidden = true;
    content.focus();
  } else if (event.key === 'Enter' || event.key === 'ArrowDown') {
    const first = results.querySelector<HTMLElement>('[data-concept]');
    if (event.key === 'Enter' && first) first.click();
    else first?.focus();
    event.preventDefault();
  }
});
results.addEventListener('keydown', event => {
  const items = Array.from(results.querySelectorAll<HTMLElement>('[data-concept]'));
  const at = items.indexOf(document.activeElement as HTMLElement);
  if (event.key === 'ArrowDown') items[Math.min(at + 1, items.length - 1)]?.focus();
  else if (event.key === 'ArrowUp') (at <= 0 ? search : items[at - 1]).focus();
  else if (event.key === 'Escape') {
    results.hidden = true;
    search.focus();
  } else return;
  event.preventDefault();
});
let scrollTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('scroll', () => {
  clearTimeout(scrollTimer);
  scrollTimer = setTimeout(() => {
    state.scrollY = window.scrollY;
    saveState();
  }, 150);
});

window.addEventListener('message', (event: MessageEvent<ToPanel>) => {
  const message = event.data;
  if (message.type === 'load') {
    const reload = concepts.size > 0;
    concepts = new Map(message.concepts.map(c => [c.id, c]));
    topics = message.topics;
    if (!restoredFromState && !reload) state.lang = message.lang;
    if (message.target) go(message.target);
    else if (reload) render(state.history[state.position], window.scrollY);
    else if (restoredFromState) render(state.history[state.position], state.scrollY);
    else go({ id: INDEX_ID });
    restoredFromState = false;
  } else if (message.type === 'navigate') {
    go(message.target);
  }
});

vscode.postMessage({ type: 'ready' });

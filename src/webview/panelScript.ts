/**
 * The explanation panel's script, running inside the webview. The extension sends one page at a time
 * as HTML it rendered with the renderer `kb render` uses (built-in pages at build time, notes on
 * demand; markdown-it without HTML, KaTeX with trust off). This script keeps the back/forward history
 * and the reader's place in the webview state, and talks to the extension only through messages the
 * extension validates.
 */
import type { ContentLanguage } from '../core/concept';
import type { FromPanel, PanelTarget, PanelUi, PanelView, ToPanel } from '../core/panelMessages';
import type { NotesRenderer } from './notesRenderer';

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

type PageMessage = Extract<ToPanel, { type: 'page' }>;

const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const content = $<HTMLElement>('content');
const search = $<HTMLInputElement>('search');
const results = $<HTMLDivElement>('results');
const back = $<HTMLButtonElement>('back');
const forward = $<HTMLButtonElement>('forward');
const indexButton = $<HTMLButtonElement>('index');
const languageButton = $<HTMLButtonElement>('language');

const saved = vscode.getState();
let state: PanelState = saved ?? { history: [], position: -1, lang: document.documentElement.lang === 'zh-cn' ? 'zh-cn' : 'en', scrollY: 0 };
let ui: PanelUi | undefined;
/** Counts pages shown, so the deferred rest of a page the reader has already left is dropped. */
let shown = 0;
/** Tops of linked pages the extension sent ahead (`${lang}:${id}`), shown at once when a link is followed. */
const prefetched = new Map<string, string>();
/** A page whose prefetched top is on screen while its questions are on the way. */
let early: { id: string; lang: ContentLanguage } | undefined;

let notesRenderer: Promise<NotesRenderer> | undefined;
/** The notes renderer (dist/webview/notes.js), loaded with this script's nonce the first time a note is shown. */
function loadNotesRenderer(): Promise<NotesRenderer> {
  notesRenderer ??= new Promise((resolve, reject) => {
    const self = document.querySelector<HTMLScriptElement>('script[data-notes-renderer]');
    const script = document.createElement('script');
    script.setAttribute('nonce', self?.nonce ?? '');
    script.src = self?.dataset.notesRenderer ?? '';
    script.onload = () => {
      const loaded = (globalThis as { mlConceptLensNotes?: NotesRenderer }).mlConceptLensNotes;
      if (loaded) resolve(loaded);
      else reject(new Error('the notes renderer did not load'));
    };
    script.onerror = () => reject(new Error('the notes renderer did not load'));
    document.head.append(script);
  });
  return notesRenderer;
}

function saveState(): void {
  vscode.setState(state);
}

/**
 * KaTeX's inline positions arrive as `data-s` (markup with style attributes would break the CSP,
 * which allows no inline styles); setting them through the CSSOM is allowed.
 */
function applyStyles(root: ParentNode): void {
  for (const el of Array.from(root.querySelectorAll<HTMLElement>('[data-s]'))) {
    el.style.cssText = el.dataset.s ?? '';
    el.removeAttribute('data-s');
  }
}

function applyUi(next: PanelUi): void {
  ui = next;
  const nav = document.querySelector('.toolbar');
  nav?.setAttribute('aria-label', next.navigation);
  back.title = next.back;
  back.setAttribute('aria-label', next.back);
  forward.title = next.forward;
  forward.setAttribute('aria-label', next.forward);
  indexButton.textContent = next.index;
  indexButton.title = next.indexTitle;
  search.placeholder = next.search;
  search.setAttribute('aria-label', next.searchLabel);
  languageButton.textContent = next.otherLanguage;
  languageButton.title = next.language;
}

function addCopyButtons(): void {
  if (!ui) return;
  const labels = ui;
  for (const formula of Array.from(content.querySelectorAll<HTMLElement>('.formula[data-latex]:not(:has(> .copy-latex))'))) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy-latex';
    button.textContent = labels.copy;
    button.addEventListener('click', () => {
      vscode.postMessage({ type: 'copy', text: formula.dataset.latex ?? '' });
      button.textContent = labels.copied;
      setTimeout(() => (button.textContent = labels.copy), 1500);
    });
    formula.append(button);
  }
}

/** The toolbar's bottom edge: what the reader sees starts there. */
function viewTop(): number {
  return document.querySelector('.toolbar')?.getBoundingClientRect().bottom ?? 0;
}

/** Where the reader is: the question at the top of the view and how far into it, else the offset. */
function place(): PanelView {
  const top = viewTop();
  const questions = Array.from(content.querySelectorAll('section.qa'));
  let at = -1;
  questions.forEach((q, i) => {
    if (q.getBoundingClientRect().top <= top + 1) at = i;
  });
  if (at < 0) return { scrollY: window.scrollY };
  const box = questions[at].getBoundingClientRect();
  return { question: at, within: Math.min(1, Math.max(0, (top - box.top) / Math.max(1, box.height))) };
}

function goTo(view: PanelView | undefined, anchor: string | undefined): void {
  if (view && 'scrollY' in view) window.scrollTo(0, view.scrollY);
  else if (view) {
    const q = content.querySelectorAll('section.qa')[view.question];
    if (q) window.scrollTo(0, window.scrollY + q.getBoundingClientRect().top - viewTop() + view.within * q.getBoundingClientRect().height);
  } else if (anchor && document.getElementById(anchor)) document.getElementById(anchor)!.scrollIntoView({ block: 'start' });
  else window.scrollTo(0, 0);
}

async function show(message: PageMessage): Promise<void> {
  const token = ++shown;
  let page = message;
  // A note's own page waits for the notes renderer; a built-in page paints its top at once and adds
  // "From your notes" with its questions.
  const renderer = message.note || message.notes.length ? loadNotesRenderer() : undefined;
  const fromNotes = async () => (message.notes.length && renderer ? (await renderer).fromNotes(message.notes, message.lang) : '');
  if (message.note) {
    const own = (await renderer!).page(message.note, message.lang);
    if (token !== shown) return;
    page = { ...message, ...own };
  }
  state.lang = page.lang;
  document.documentElement.lang = page.lang;
  applyUi(page.ui);
  if (page.history === 'push' || state.position < 0) {
    state.history = state.history.slice(0, state.position + 1);
    state.history.push(page.target);
    state.position = state.history.length - 1;
  } else state.history[state.position] = page.target;
  back.disabled = state.position <= 0;
  forward.disabled = state.position >= state.history.length - 1;
  // A fresh page paints its top (title, summary, key formulas) first and its questions in the next
  // task; restoring a place or jumping to a question needs the whole page at once.
  const whole = !!(page.view || page.target.anchor) || !(page.qa + page.tail);
  const rest = async () => {
    const notes = await fromNotes();
    return [page.qa, notes, page.tail].filter(Boolean).join('\n');
  };
  const topShown = !whole && early?.id === page.target.id && early.lang === page.lang && !!content.querySelector(`article[data-concept="${CSS.escape(page.target.id)}"]`);
  early = undefined;
  const fill = async () => {
    const html = await rest();
    if (token !== shown) return;
    const article = content.querySelector('article') ?? content;
    article.insertAdjacentHTML('beforeend', html);
    applyStyles(article);
    addCopyButtons();
  };
  if (topShown) {
    // The prefetched top is already painted: add the rest below it.
    await fill();
    saveState();
    return;
  }
  if (whole) {
    const html = page.top + (await rest());
    if (token !== shown) return;
    content.innerHTML = html;
  } else content.innerHTML = page.top;
  if (!page.found) {
    const notice = document.createElement('p');
    notice.className = 'notice';
    notice.textContent = page.ui.notFound;
    content.prepend(notice);
  }
  applyStyles(content);
  if (whole) addCopyButtons();
  goTo(page.view, page.target.anchor);
  state.scrollY = window.scrollY;
  saveState();
  const conceptId = page.target.id;
  requestAnimationFrame(() => {
    if (conceptId && token === shown) {
      // Marks for the e2e run's breakdown of where the time to first paint goes.
      performance.mark('panel:painted');
      vscode.postMessage({ type: 'painted', conceptId, lang: page.lang });
    }
    if (!whole) setTimeout(() => void fill(), 0);
  });
}

/** A linked page's prefetched top, painted before the extension answers with the whole page. */
function showEarly(id: string, top: string): void {
  ++shown;
  early = { id, lang: state.lang };
  state.history = state.history.slice(0, state.position + 1);
  state.history.push({ id });
  state.position = state.history.length - 1;
  back.disabled = state.position <= 0;
  forward.disabled = true;
  content.innerHTML = top;
  applyStyles(content);
  window.scrollTo(0, 0);
  addCopyButtons();
  requestAnimationFrame(() => {
    performance.mark('panel:painted');
    vscode.postMessage({ type: 'painted', conceptId: id, lang: state.lang });
  });
}

function open(target: PanelTarget, history: 'push' | 'replace', view?: PanelView): void {
  vscode.postMessage({ type: 'open', target, lang: state.lang, history, ...(view ? { view } : {}) });
}

function current(): PanelTarget {
  return state.history[state.position] ?? { id: '' };
}

function showResults(message: Extract<ToPanel, { type: 'results' }>): void {
  if (message.query !== search.value.trim()) return; // an answer to an earlier keystroke
  const items = message.hits.map((hit, i) => {
    const a = document.createElement('a');
    a.href = '#';
    a.setAttribute('role', 'option');
    a.id = `result-${i}`;
    a.dataset.concept = hit.id;
    a.textContent = hit.title;
    const matched = document.createElement('span');
    matched.className = 'matched';
    matched.textContent = hit.matched;
    a.append(matched);
    return a;
  });
  if (!items.length) {
    const empty = document.createElement('p');
    empty.className = 'empty';
    empty.textContent = message.ui.noResults;
    items.push(empty as unknown as HTMLAnchorElement);
  }
  results.replaceChildren(...items);
  results.hidden = false;
}

document.addEventListener('click', event => {
  const link = (event.target as Element).closest<HTMLElement>('a[data-concept]');
  if (link) {
    event.preventDefault();
    results.hidden = true;
    search.value = '';
    const id = link.dataset.concept ?? '';
    performance.mark('panel:click');
    const top = prefetched.get(`${state.lang}:${id}`);
    if (top) {
      showEarly(id, top);
      open({ id }, 'replace');
    } else open({ id }, 'push');
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
function step(delta: number): void {
  const next = state.position + delta;
  if (next < 0 || next >= state.history.length) return;
  state.position = next;
  open(state.history[next], 'replace');
}
back.addEventListener('click', () => step(-1));
forward.addEventListener('click', () => step(1));
indexButton.addEventListener('click', () => open({ id: '' }, 'push'));
languageButton.addEventListener('click', () => {
  state.lang = state.lang === 'en' ? 'zh-cn' : 'en';
  open(current(), 'replace', place());
});
search.addEventListener('input', () => {
  const query = search.value.trim();
  if (!query) results.hidden = true;
  else vscode.postMessage({ type: 'search', query, lang: state.lang });
});
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
  if (message.type === 'page') {
    performance.mark('panel:page');
    void show(message);
  }
  else if (message.type === 'results') showResults(message);
  else if (message.type === 'prefetch') {
    if (prefetched.size > 200) prefetched.clear();
    for (const [id, top] of Object.entries(message.tops)) prefetched.set(`${message.lang}:${id}`, top);
  }
  else if (message.type === 'refresh') {
    const view = place();
    state.lang = message.lang;
    open(current(), 'replace', view);
  }
});

performance.mark('panel:ready');
vscode.postMessage({ type: 'ready' });
// After a window reload the webview restores its own page and place. A new panel's first page came
// with its HTML: its top is painted already (KaTeX's positions are classes of the page's stylesheet),
// and the page message that follows adds the rest below it.
const first = content.dataset.first;
if (saved?.history.length) open(current(), 'replace', { scrollY: state.scrollY });
else if (first && content.querySelector(`article[data-concept="${CSS.escape(first)}"]`)) {
  early = { id: first, lang: state.lang };
  requestAnimationFrame(() => {
    performance.mark('panel:painted');
    vscode.postMessage({ type: 'painted', conceptId: first, lang: state.lang });
  });
}

/**
 * Rendering bounds in a real VS Code: a note's formula cannot draw over the panel's controls or its
 * title, and a URL in a note is text in the hover, not a link.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, Workbench } from './workbench';

const WORKSPACE = join(ROOT, 'test', 'e2e', 'fixtures', 'workspace');
const VSIX = join(ROOT, 'ml-concept-lens.vsix');

const NOTE = [
  '> What is the Wobble Metric? See https://evil.example/steal or www.evil.example/login',
  '',
  '**摆动指标（Wobble Metric）** measures wobble: $\\smash{\\rule{50em}{50em}}$ rises over the title unless clipped,',
  '$\\llap{\\rule{50em}{50em}}x$, $a\\kern-100000em b$ and $\\raisebox{-3000em}{z}$.',
  '',
  '$$',
  '\\llap{\\rule{40em}{40em}} y \\\\[-100000em] w',
  '$$',
  '',
].join('\n');

describe('rendering bounds in the real panel and hover', function () {
  this.timeout(180_000);
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.start({ workspace: WORKSPACE, vsix: [VSIX], settings: { 'editor.hover.delay': 300 } });
    writeFileSync(join(wb.workspace, 'notes', 'bounds-QA.md'), NOTE);
    writeFileSync(join(wb.workspace, 'bounds_demo.py'), 'import torch\n\nscore = wobble_metric(x)\n');
  });
  after(async () => {
    await wb?.stop();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const name = `failed-render-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`;
      await wb.screenshot(name);
      wb.saveLogs(name);
    }
    await wb.page.mouse.move(5, 5);
    await wb.page.keyboard.press('Escape');
  });

  it('shows a URL from a note as text in the hover, with only our own commands as links', async () => {
    await wb.openFile('bounds_demo.py', { expectText: 'wobble_metric' });
    const text = await wb.tryHoverText('wobble_metric', { line: 'score = wobble_metric', timeout: 40_000, until: /Wobble/ });
    assert.match(text ?? '', /https:\/\/evil\.example\/steal/);
    const links = await wb.page
      .locator('.monaco-hover-content a')
      .evaluateAll(els => els.map(a => ({ text: a.textContent ?? '', href: a.getAttribute('data-href') ?? a.getAttribute('href') ?? '' })));
    assert.ok(links.length > 0, 'the hover has no links at all');
    for (const link of links) {
      assert.doesNotMatch(link.text, /evil\.example/, `a note URL became a link: ${JSON.stringify(link)}`);
      assert.match(link.href, /^command:mlConceptLens\./, `a link to somewhere else: ${JSON.stringify(link)}`);
    }
    await wb.screenshot('render-hover-url-as-text');
  });

  it('keeps huge and negative formula sizes inside their block: the toolbar and title stay on top', async () => {
    for (let attempt = 0; ; attempt++) {
      await wb.page.keyboard.press('Control+Alt+M');
      if (await wb.tryPick('Wobble Metric', 'Wobble Metric', 3000)) break;
      assert.ok(attempt < 10, 'the Wobble Metric note never appeared in Look Up Concept');
      await wb.page.keyboard.press('Escape');
    }
    const frame = await wb.webviewFrame('.katex', { frameHas: '#content', timeout: 30_000 });
    await frame.locator('h1', { hasText: 'Wobble' }).waitFor();
    // What a click at the centre of each control and of the title would hit: the control itself,
    // not a rule or kern from the note's formulas.
    const covered = await frame.evaluate(() => {
      const targets = Array.from(document.querySelectorAll<HTMLElement>('#search, #back, #index, #language, h1'));
      return targets
        .map(el => {
          const r = el.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return { target: el.id || el.tagName, hit: hit && !el.contains(hit) ? (hit.className || hit.tagName).toString() : '' };
        })
        .filter(t => t.hit);
    });
    assert.deepEqual(covered, []);
    // Every typeset formula in the note's text sits in a block that clips it.
    const unclipped = await frame.evaluate(() =>
      Array.from(document.querySelectorAll('.answer .katex'))
        .filter(k => {
          for (let el = k.parentElement; el; el = el.parentElement) if (getComputedStyle(el).overflowY === 'hidden') return false;
          return true;
        })
        .map(k => k.textContent?.slice(0, 40)),
    );
    assert.deepEqual(unclipped, []);
    await wb.screenshot('render-formula-bounds');
  });

  it('logged no CSP violation in the workbench or any webview during this spec', () => wb.csp.assertNone());
});

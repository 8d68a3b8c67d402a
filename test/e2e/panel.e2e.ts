import * as assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { watchCsp } from './csp';
import { recordMetric } from './metrics';
import { ROOT, Workbench } from './workbench';

const WORKSPACE = join(ROOT, 'test', 'e2e', 'fixtures', 'workspace');
const VSIX = join(ROOT, 'ml-concept-lens.vsix');
const SEED = join(ROOT, '..', 'shared', 'seed', '000_6fada3179e4d45f5.txt');
const LIGHT = { 'workbench.colorTheme': 'Default Light Modern', 'editor.hover.delay': 300 };
const REPEATS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Milliseconds from `action` to the first `selector` shown (laid out, visible) in any frame: the
 * webview frames the action creates, or those already there. The same clock and the same wait for
 * our panel and for VS Code's own Markdown preview.
 */
async function timeToFirst(wb: Workbench, selector: string, action: () => Promise<void>): Promise<number> {
  const page = wb.page;
  let t0 = 0;
  let finished = false;
  let onFrame: (f: Frame) => void = () => undefined;
  const shown = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${selector} did not show within 30 s`)), 30_000);
    onFrame = (f: Frame) => {
      f.waitForSelector(selector, { state: 'visible', timeout: 30_000 }).then(
        () => {
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          resolve(Date.now() - t0);
        },
        () => undefined,
      );
    };
  });
  page.on('frameattached', onFrame);
  try {
    for (const f of page.frames()) if (f !== page.mainFrame()) onFrame(f);
    t0 = Date.now();
    await action();
    return await shown;
  } finally {
    finished = true;
    page.off('frameattached', onFrame);
  }
}

describe('The explanation panel: speed against the Markdown preview, CSP, languages', function () {
  this.timeout(300_000);
  let wb: Workbench;
  let csp: ReturnType<typeof watchCsp>;
  const panelFrame = (selector: string, timeout = 20_000) => wb.webviewFrame(selector, { frameHas: '#content', timeout });
  const closeAll = async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.page.locator('.webview').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  };

  before(async () => {
    wb = await Workbench.start({ workspace: WORKSPACE, vsix: [VSIX], settings: LIGHT });
    csp = watchCsp(wb.page);
    copyFileSync(SEED, join(wb.workspace, 'seed-QA.md'));
  });
  after(async () => {
    recordMetric('panel_csp_errors', csp?.violations.length ?? -1);
    await wb?.stop();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const name = `failed-panel-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`;
      await wb.screenshot(name);
      wb.saveLogs(name);
    }
    await wb.page.mouse.move(5, 5);
    await wb.page.keyboard.press('Escape');
  });

  it('warms up: the first webview of the window pays for the service worker and fonts', async () => {
    await wb.openFile('seed-QA.md');
    await timeToFirst(wb, '.katex', () => wb.page.keyboard.press('Control+K').then(() => wb.page.keyboard.press('V')));
    await closeAll();
    await wb.runCommand('ML Concept Lens: Open Explanation Panel');
    await panelFrame('#content a[data-concept]');
    await closeAll();
  });

  it('(c) VS Code\'s Markdown preview of the seed notes → first .katex painted', async () => {
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      await closeAll();
      await wb.openFile('seed-QA.md');
      await wb.page.waitForTimeout(300);
      times.push(await timeToFirst(wb, '.katex', async () => {
        await wb.page.keyboard.press('Control+K');
        await wb.page.keyboard.press('V');
      }));
    }
    console.log(`      preview: ${times.join(', ')} ms`);
    recordMetric('preview_katex_ms', median(times));
  });

  it('(b) Explain Term at Cursor → first KaTeX painted', async () => {
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      await closeAll();
      await wb.openFile('train_vae.py', { expectText: 'def kl_divergence' });
      await wb.clickText('kl_divergence', { line: 'def kl_divergence' });
      await wb.page.waitForTimeout(300);
      times.push(await timeToFirst(wb, '#content .katex', () => wb.page.keyboard.press('Control+Alt+E')));
    }
    console.log(`      explain: ${times.join(', ')} ms`);
    recordMetric('panel_explain_ms', median(times));
  });

  it('(a) the hover\'s "Open explanation" link → first KaTeX painted', async () => {
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      await closeAll();
      await wb.openFile('train_vae.py', { expectText: 'def reparameterize' });
      await wb.tryHoverText('reparameterize', { line: 'def reparameterize', timeout: 10_000, until: /Open explanation/ });
      const link = wb.page.locator('.monaco-hover-content a', { hasText: 'Open explanation' }).filter({ visible: true }).first();
      await link.waitFor();
      times.push(await timeToFirst(wb, '#content .katex', () => link.click()));
    }
    console.log(`      hover link: ${times.join(', ')} ms`);
    recordMetric('panel_hover_ms', median(times));
  });

  it('(d) in an open panel, a related link → the new concept\'s first KaTeX painted', async () => {
    await closeAll();
    await wb.runCommand('ML Concept Lens: Open Explanation Panel');
    const frame = await panelFrame('#content a[data-concept="elbo"]');
    await frame.locator('#content a[data-concept="elbo"]').first().click();
    await frame.locator('article[data-concept="elbo"] .related a').first().waitFor();
    const times: number[] = [];
    // ELBO ↔ its related concepts with formulas, back and forth, each click a fresh page.
    const related = await frame.locator('article[data-concept="elbo"] .related a').evaluateAll(as => as.map(a => (a as HTMLElement).dataset.concept!));
    assert.ok(related.length >= 2, `related: ${related}`);
    for (let i = 0; i < REPEATS; i++) {
      const from = i % 2 ? related[0] : 'elbo';
      const to = i % 2 ? 'elbo' : related[0];
      await frame.locator(`article[data-concept="${from}"]`).waitFor();
      await frame.locator(`article[data-concept="${from}"] .related a[data-concept="${to}"]`).waitFor();
      await wb.page.waitForTimeout(300);
      times.push(await timeToFirst(wb, `article[data-concept="${to}"] .katex`, () =>
        frame.locator(`article[data-concept="${from}"] .related a[data-concept="${to}"]`).click()));
    }
    console.log(`      navigate: ${times.join(', ')} ms`);
    recordMetric('panel_navigate_ms', median(times));
  });
});

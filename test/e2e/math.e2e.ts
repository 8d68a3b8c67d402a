import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordMetric } from './metrics';
import { ROOT, Workbench } from './workbench';

const WORKSPACE = join(ROOT, 'test', 'e2e', 'fixtures', 'workspace');
const VSIX = join(ROOT, 'ml-concept-lens.vsix');
const SEED = join(ROOT, '..', 'shared', 'seed', '000_6fada3179e4d45f5.txt');
/** The four theme kinds, the workbench class each sets, and the ink (the theme's foreground) we expect. */
const THEMES = [
  { name: 'light', theme: 'Default Light Modern', cls: '.monaco-workbench.vs', ink: '#1f1f1f' },
  { name: 'dark', theme: 'Default Dark Modern', cls: '.monaco-workbench.vs-dark', ink: '#cccccc' },
  { name: 'hc-dark', theme: 'Default High Contrast', cls: '.monaco-workbench.hc-black', ink: '#ffffff' },
  { name: 'hc-light', theme: 'Default High Contrast Light', cls: '.monaco-workbench.hc-light', ink: '#292929' },
] as const;

interface HoverImage {
  alt: string;
  svg: string;
  loaded: boolean;
  width: number;
}

describe('typeset math in hovers (code-server + Chromium)', function () {
  this.timeout(240_000);
  let wb: Workbench;

  /** The images of the visible hover: alt text, decoded SVG, and whether the browser drew them. */
  const hoverImages = async (): Promise<HoverImage[]> => {
    const images = await wb.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content img').evaluateAll(list =>
      (list as HTMLImageElement[]).map(i => ({ alt: i.alt, src: i.src, loaded: i.complete && i.naturalWidth > 0, width: i.getBoundingClientRect().width })),
    );
    return images.map(({ src, ...rest }) => ({ ...rest, svg: src.startsWith('data:image/svg+xml;base64,') ? Buffer.from(src.split(',')[1], 'base64').toString() : '' }));
  };
  /** Whether the visible hover needs a scrollbar (its content is taller than the widget), and images wider than it. */
  const hoverFits = () =>
    wb.page.locator('.monaco-hover:not(.hidden)').first().evaluate(hover => {
      const content = hover.querySelector('.monaco-hover-content') as HTMLElement;
      const box = hover.getBoundingClientRect();
      const overflowing = Array.from(content.querySelectorAll('img')).filter(i => i.getBoundingClientRect().right > box.right + 1).length;
      return { scrolls: content.scrollHeight > box.height + 1, overflowing, height: box.height, contentHeight: content.scrollHeight };
    });
  const useTheme = async (t: (typeof THEMES)[number]) => {
    await wb.setSettings({ 'workbench.colorTheme': t.theme });
    await wb.page.locator(t.cls).first().waitFor({ timeout: 15_000 });
  };

  before(async () => {
    wb = await Workbench.start({ workspace: WORKSPACE, vsix: [VSIX], settings: { 'workbench.colorTheme': THEMES[0].theme, 'editor.hover.delay': 300 } });
    mkdirSync(join(wb.workspace, 'notes'), { recursive: true });
    copyFileSync(SEED, join(wb.workspace, 'notes', 'seed-QA.md'));
    writeFileSync(join(wb.workspace, 'notes_probe.md'), '# Reading list\n\nJensen不等式 and the ELBO, again.\n');
  });
  after(async () => {
    await wb?.stop();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const name = `failed-math-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 50)}`;
      await wb.screenshot(name);
      wb.saveLogs(name);
    }
    await wb.page.mouse.move(5, 5);
    await wb.page.keyboard.press('Escape');
  });

  it('typesets a reST math block in a docstring, inked for light, dark and both high-contrast themes', async () => {
    await wb.openFile('docstring_math.py', { expectText: 'def gaussian_kl' });
    for (const t of THEMES) {
      await useTheme(t);
      const started = Date.now();
      // The first hover may lose the race against the typesetter's first load and show readable text.
      const text = await wb.tryHoverText('mathbb', { line: 'mathbb', timeout: 30_000, until: /\S/ });
      assert.ok(text !== undefined, `no hover on the formula (${t.name})`);
      let images = await hoverImages();
      for (let i = 0; i < 5 && !images.some(im => im.loaded); i++) {
        await wb.tryHoverText('mathbb', { line: 'mathbb', timeout: 10_000 });
        images = await hoverImages();
      }
      const [image] = images;
      assert.ok(image?.loaded, `formula image did not load (${t.name})`);
      if (t.name === 'light') recordMetric('math_docstring_hover_ms', Date.now() - started);
      assert.ok(image.svg.includes(`fill="${t.ink}"`), `ink is not ${t.ink} in ${t.name}`);
      assert.doesNotMatch(image.svg, /currentColor|<script|foreignObject|href="(?!#)/);
      // The text alternative: readable Unicode of the TeX source.
      assert.match(image.alt, /E_q\(z \| x\)\[ln p\(x \| z\)\]/);
      assert.match(image.alt, /Σ_j=1\^J KL/);
      // …and the same text in the hover's text, for the accessible view.
      const shown = (await wb.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first().innerText()).replace(/\s+/g, ' ');
      assert.ok(shown.includes(image.alt), `hover text lacks the alternative: ${shown}`);
      const fit = await hoverFits();
      assert.equal(fit.overflowing, 0, 'formula wider than the hover');
      assert.equal(fit.scrolls, false, 'hover scrolls');
      await wb.screenshot(`hover-docstring-math-${t.name}`);
    }
    await useTheme(THEMES[0]);
  });

  it('typesets an inline :math: role and a comment\'s \\( \\) formula, and none in code', async () => {
    await wb.tryHoverText('frac', { line: ':math:', timeout: 15_000 });
    const [role] = await hoverImages();
    assert.ok(role?.loaded);
    assert.match(role.alt, /\(1\)\/\(2\)\(μ\^2 \+ σ\^2 - log σ\^2 - 1\)/);
    await wb.tryHoverText('logvar', { line: 'e^{', timeout: 15_000 });
    const [comment] = await hoverImages();
    assert.ok(comment?.loaded);
    assert.match(comment.alt, /σ\^2 = e\^logvar/);
    const code = await wb.tryHoverText('pow', { line: 'return 0.5', timeout: 3000 });
    assert.equal(code, undefined, 'a hover on plain code');
  });

  it('hovering ELBO shows "From your notes" from the seed with its math typeset, short enough not to scroll', async () => {
    await wb.openFile('notes_probe.md', { expectText: 'Reading list' });
    const text = await wb.hoverText('ELBO', { line: 'Jensen', timeout: 60_000, until: /From your notes/ });
    assert.match(text, /Evidence lower bound/i);
    assert.match(text, /From your notes/);
    assert.match(text, /为了证明观测数据/);
    let images = await hoverImages();
    for (let i = 0; i < 5 && images.filter(im => im.loaded).length < 2; i++) {
      await wb.hoverText('ELBO', { line: 'Jensen', until: /From your notes/ });
      images = await hoverImages();
    }
    assert.ok(images.length >= 2, `only ${images.length} images`);
    assert.ok(images.every(im => im.loaded), 'an image did not load');
    // Built-in formula and the notes' inline math, each with its text alternative.
    const alts = images.map(im => im.alt);
    assert.ok(alts.includes('X'), alts.join(' | '));
    assert.ok(alts[0].startsWith('ln p(X) = L(q) + KL'), alts.join(' | '));
    const fit = await hoverFits();
    recordMetric('math_notes_hover_height_px', fit.contentHeight);
    assert.equal(fit.scrolls, false, `hover scrolls (${fit.contentHeight}px of content in ${fit.height}px)`);
    assert.equal(fit.overflowing, 0);
    await wb.screenshot('hover-notes-math-light');
    await useTheme(THEMES[1]);
    await wb.hoverText('ELBO', { line: 'Jensen', until: /From your notes/ });
    images = await hoverImages();
    assert.ok(images.length >= 2 && images.every(im => im.loaded && im.svg.includes('#cccccc')));
    await wb.screenshot('hover-notes-math-dark');
    await useTheme(THEMES[2]);
    await wb.hoverText('ELBO', { line: 'Jensen', until: /From your notes/ });
    images = await hoverImages();
    assert.ok(images.length >= 2 && images.every(im => im.loaded && im.svg.includes('#ffffff')));
    await wb.screenshot('hover-notes-math-hc-dark');
    await useTheme(THEMES[0]);
  });

  it('typesets a notes-only term\'s formula in its hover', async () => {
    const text = await wb.hoverText('Jensen不等式', { line: 'Jensen', timeout: 30_000, until: /From your notes/ });
    assert.match(text, /变分下界/);
    const images = await hoverImages();
    const formula = images.find(im => im.alt.startsWith('ln p(X) = ln ∫'));
    assert.ok(formula?.loaded, images.map(im => im.alt).join(' | '));
    await wb.screenshot('hover-notes-math-notes-only-light');
  });

  it('the explanation panel scrolls its widest ELBO equation instead of clipping it', async () => {
    await wb.page.keyboard.press('Control+Alt+M');
    await wb.pick('变分下界', 'Evidence lower bound (ELBO)');
    const frame = await wb.webviewFrame('.katex', { frameHas: '#content', timeout: 20_000 });
    await frame.locator('section.qa').first().waitFor();
    await wb.page.waitForTimeout(500);
    const report = await frame.locator('#content').evaluate(root => {
      const displays = Array.from(root.querySelectorAll('.katex-display')) as HTMLElement[];
      const clipped: string[] = [];
      let widest: { width: number; scrollable: boolean } = { width: 0, scrollable: false };
      for (const d of displays) {
        const katex = d.querySelector('.katex') as HTMLElement;
        const width = katex.scrollWidth;
        // The nearest ancestor that scrolls horizontally (or the page).
        let box: HTMLElement | null = d;
        while (box && !/auto|scroll/.test(getComputedStyle(box).overflowX)) box = box.parentElement;
        const visibleRight = (box ?? root).getBoundingClientRect().right;
        const scrollable = !!box && box.scrollWidth > box.clientWidth;
        if (katex.getBoundingClientRect().right > visibleRight + 1 && !scrollable) clipped.push(d.innerText.slice(0, 40));
        if (width > widest.width) widest = { width, scrollable };
      }
      const widestDisplay = displays.reduce((a, b) => ((b.querySelector('.katex') as HTMLElement).scrollWidth > (a.querySelector('.katex') as HTMLElement).scrollWidth ? b : a));
      widestDisplay.scrollIntoView({ block: 'center' });
      return { count: displays.length, clipped, widest, pageWidth: root.clientWidth };
    });
    recordMetric('panel_elbo_display_equations', report.count);
    assert.ok(report.count >= 20, `${report.count} display equations`);
    assert.deepEqual(report.clipped, []);
    assert.ok(report.widest.width > report.pageWidth, `widest ${report.widest.width}px fits the ${report.pageWidth}px page; make the panel narrower`);
    assert.equal(report.widest.scrollable, true, 'the widest equation does not scroll');
    // Scrolled to its end, the widest equation's right edge comes into view.
    const end = await frame.locator('#content').evaluate(root => {
      const displays = Array.from(root.querySelectorAll('.katex-display')) as HTMLElement[];
      const widest = displays.reduce((a, b) => ((b.querySelector('.katex') as HTMLElement).scrollWidth > (a.querySelector('.katex') as HTMLElement).scrollWidth ? b : a));
      let box: HTMLElement | null = widest;
      while (box && !/auto|scroll/.test(getComputedStyle(box).overflowX)) box = box.parentElement;
      box!.scrollIntoView({ block: 'center' });
      box!.scrollLeft = box!.scrollWidth;
      const katex = widest.querySelector('.katex') as HTMLElement;
      return { right: katex.getBoundingClientRect().right, visible: box!.getBoundingClientRect().right, scrolled: box!.scrollLeft };
    });
    assert.ok(end.scrolled > 0 && end.right <= end.visible + 1, JSON.stringify(end));
    await wb.screenshot('panel-elbo-wide-equation');
  });

  it('logged no CSP violation in the workbench or any webview during this spec', () => wb.csp.assertNone());
});

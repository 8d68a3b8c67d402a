import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Frame, Page, chromium } from 'playwright-core';
import { ROOT } from './codeServer';

export const RESULTS = join(ROOT, 'test-results');

/** Flags that keep Debian's Chromium off the network and quiet on these machines. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A person at the workbench: opens files, hovers words, runs commands and reads what the UI shows. */
export class Workbench {
  private constructor(
    readonly browser: Browser,
    readonly page: Page,
    private readonly url: string,
  ) {}

  static async open(url: string): Promise<Workbench> {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    const workbench = new Workbench(browser, page, url);
    await workbench.load();
    return workbench;
  }

  async load(): Promise<void> {
    await this.page.goto(this.url);
    await this.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    // The explorer is ready once the folder's files are listed.
    await this.page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(RESULTS, { recursive: true });
    const path = join(RESULTS, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** Opens a workspace file by name through Quick Open and waits for its text. */
  async openFile(name: string, expectText: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await this.editorLine(expectText).waitFor({ timeout: 30_000 });
  }

  editorLine(text: string) {
    return this.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: text }).first();
  }

  /** The rendered span holding `word` on the editor line that contains `lineText`. */
  word(lineText: string, word: string) {
    return this.editorLine(lineText).locator('span > span', { hasText: word }).first();
  }

  /**
   * Hovers the middle of `word` and returns the hover widget's text, or undefined when no hover
   * appears within `timeout` (used to prove silence).
   */
  async hover(lineText: string, word: string, timeout = 10_000): Promise<string | undefined> {
    await this.page.mouse.move(5, 5);
    await this.page.locator('.monaco-hover-content').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    const span = this.word(lineText, word);
    const box = await span.boundingBox();
    if (!box) throw new Error(`no on-screen span for ${word}`);
    const text = (await span.textContent()) ?? '';
    const offset = text.indexOf(word);
    const charWidth = box.width / Math.max(text.length, 1);
    await this.page.mouse.move(box.x + (offset + word.length / 2) * charWidth, box.y + box.height / 2);
    const hover = this.page.locator('.monaco-hover-content').first();
    try {
      await hover.waitFor({ state: 'visible', timeout });
    } catch {
      return undefined;
    }
    return hover.innerText();
  }

  /** Puts the cursor inside `word`. */
  async clickWord(lineText: string, word: string): Promise<void> {
    const span = this.word(lineText, word);
    const box = (await span.boundingBox())!;
    const text = (await span.textContent()) ?? '';
    const charWidth = box.width / Math.max(text.length, 1);
    await this.page.mouse.click(box.x + (text.indexOf(word) + word.length / 2) * charWidth, box.y + box.height / 2);
  }

  /** Runs a command from the palette by its title and waits for the palette to close. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Types into an open quick pick and accepts the row containing `rowText`. */
  async pick(query: string, rowText: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(query);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first();
    await row.waitFor();
    await row.click();
  }

  /** The frame of our explanation panel's webview, once `selector` exists in it. */
  async panelFrame(selector = '#content', timeout = 20_000): Promise<Frame> {
    const deadline = Date.now() + timeout;
    for (;;) {
      for (const frame of this.page.frames()) {
        try {
          if ((await frame.locator('#content').count()) && (await frame.locator(selector).count())) return frame;
        } catch {
          /* frame navigated away */
        }
      }
      if (Date.now() > deadline) throw new Error(`no panel frame with ${selector}`);
      await this.page.waitForTimeout(100);
    }
  }

  async notification(text: string, timeout = 10_000): Promise<string> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor({ timeout });
    return toast.innerText();
  }

  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  }
}

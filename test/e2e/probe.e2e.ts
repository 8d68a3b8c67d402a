/**
 * Proves the e2e harness end to end with a throwaway probe extension (test/e2e/fixtures/probe-extension):
 * (a) what a person sees, through Playwright and Chromium against code-server, and
 * (b) the `vscode` API inside the real extension host (test/e2e/inhost/probe.inhost.ts).
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS, ROOT, Workbench, formatInHostResults, packageExtension, runExtensionTests, tempDir } from './workbench';

const PROBE_DIR = join(ROOT, 'test', 'e2e', 'fixtures', 'probe-extension');
const WORKSPACE = join(ROOT, 'test', 'e2e', 'fixtures', 'workspace');
const PY_FILE = 'probe/elbo_demo.py';

const timings: Record<string, number> = {};

describe('e2e harness probe: code-server + Chromium', function () {
  this.timeout(240_000);
  let scratch: string;
  let vsix: string;

  before(() => {
    scratch = tempDir('mlcl-e2e-probe-');
    const t = Date.now();
    vsix = packageExtension(PROBE_DIR, join(scratch, 'e2e-probe.vsix'));
    timings.vsce_package_ms = Date.now() - t;
  });
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'e2e-probe-timings.json'), JSON.stringify(timings, null, 2));
    console.log('    timings', JSON.stringify(timings));
  });

  describe('(a) in the browser, as a person sees it', () => {
    let wb: Workbench;
    let pids: { codeServer: number; chromium: number };

    before(async () => {
      wb = await Workbench.start({ workspace: WORKSPACE, vsix: [vsix] });
      pids = wb.pids;
      Object.assign(timings, {
        install_extension_ms: wb.timings.installMs,
        server_ready_ms: wb.timings.serverReadyMs,
        workbench_ms: wb.timings.workbenchMs,
        explorer_ms: wb.timings.explorerMs,
        start_total_ms: wb.timings.startMs,
      });
    });
    afterEach(async function () {
      if (this.currentTest?.state === 'failed') {
        const name = `probe-failed-${this.currentTest.title}`;
        await wb.screenshot(name).catch(() => undefined);
        console.log(`    logs: ${wb.saveLogs(name)}`);
      }
    });
    after(async () => {
      await wb?.stop();
      if (pids) for (const pid of Object.values(pids)) assert.throws(() => process.kill(pid, 0), `process ${pid} still running`);
    });

    it('shows the folder without trust banner, Chat panel or welcome page', async () => {
      assert.equal(await wb.page.locator('.monaco-workbench .part.banner').filter({ visible: true }).count(), 0, 'a banner is shown');
      assert.equal(await wb.page.locator('.part.auxiliarybar').filter({ visible: true }).count(), 0, 'the secondary side bar is open');
      assert.equal(await wb.page.locator('.editor-group-container .tab').count(), 0, 'an editor is open at startup');
    });

    it('opens a Python file through Quick Open', async () => {
      const t = Date.now();
      await wb.openFile(PY_FILE, { expectText: 'elbo = recon - kl' });
      timings.open_file_ms = Date.now() - t;
    });

    it('hovers elbo: text, CJK, a loaded SVG data-URI image and a command link', async () => {
      const t = Date.now();
      const text = await wb.hoverText('elbo', { line: 'elbo = recon' });
      timings.first_hover_ms = Date.now() - t;
      assert.match(text, /ELBO probe Hello/);
      assert.match(text, /证据下界/);
      assert.match(text, /Open panel/);
      const img = wb.hoverWidget.locator('img').first();
      assert.match((await img.getAttribute('src')) ?? '', /^data:image\/svg\+xml;base64,/);
      assert.equal(await img.evaluate((i: HTMLImageElement) => i.naturalWidth), 160, 'the SVG did not load');
      await wb.screenshot('probe-hover');
    });

    it('hovers elbo in a Jupyter notebook cell', async () => {
      await wb.openFile('probe/elbo_cells.ipynb', { expectText: 'elbo = elbo_value' });
      const t = Date.now();
      assert.match(await wb.hoverText('elbo', { line: 'elbo = elbo_value' }), /ELBO probe Hello/);
      timings.notebook_hover_ms = Date.now() - t;
      await wb.screenshot('probe-notebook-hover');
    });

    it('shows no hover on a word the probe does not know', async () => {
      await wb.openFile(PY_FILE, { expectText: 'elbo = recon - kl' });
      assert.equal(await wb.tryHoverText('recon', { line: 'def loss', timeout: 2500 }), undefined);
    });

    it('follows the hover command link into a webview', async () => {
      await wb.openFile(PY_FILE, { expectText: 'elbo = recon - kl' });
      await wb.hoverText('elbo', { line: 'elbo = recon' });
      await wb.hoverWidget.locator('a', { hasText: 'Open panel' }).click();
      assert.equal(await wb.readWebview('#marker'), 'PANEL-MARKER');
      assert.equal(await wb.readWebview('#zh'), '变分自编码器的证据下界');
      await wb.page.locator('.tab.active', { hasText: 'E2E Probe' }).waitFor();
      await wb.screenshot('probe-webview');
    });

    it('runs a command from the palette by title', async () => {
      await wb.runCommand('View: Close All Editors');
      await wb.page.locator('.editor-group-container .tab').first().waitFor({ state: 'detached' });
      await wb.runCommand('E2E Probe: Open Panel');
      assert.equal(await wb.readWebview('#marker'), 'PANEL-MARKER');
    });

    it('picks an editor context menu item', async () => {
      await wb.runCommand('View: Close All Editors');
      await wb.openFile(PY_FILE, { expectText: 'elbo = recon - kl' });
      await wb.contextMenu('elbo', 'Open Panel', { line: 'elbo = recon' });
      assert.equal(await wb.readWebview('#marker'), 'PANEL-MARKER');
    });

    it('applies a user setting at runtime', async () => {
      await wb.runCommand('View: Close All Editors');
      await wb.openFile(PY_FILE, { expectText: 'elbo = recon - kl' });
      const t = Date.now();
      await wb.setSettings({ 'e2eProbe.greeting': 'Bonjour' });
      timings.settings_applied_ms = Date.now() - t;
      assert.match(await wb.hoverText('elbo', { line: 'elbo = recon' }), /ELBO probe Bonjour/);
      await wb.setSettings({ 'e2eProbe.greeting': undefined, 'workbench.colorTheme': 'Default Dark Modern' });
      await wb.page.locator('.monaco-workbench.vs-dark').waitFor();
      assert.match(await wb.hoverText('elbo', { line: 'elbo = recon' }), /ELBO probe Hello/);
      await wb.screenshot('probe-hover-dark');
    });
  });

  describe('(b) inside the extension host, with the vscode API', () => {
    it('passes the in-host mocha suite (vscode.executeHoverProvider and friends)', async () => {
      const run = await runExtensionTests({
        workspace: WORKSPACE,
        vsix: [vsix],
        files: [join(__dirname, 'inhost', 'probe.inhost.js')],
      });
      Object.assign(timings, { inhost_start_ms: run.timings.startMs, inhost_tests_ms: run.timings.testsMs });
      const report = formatInHostResults(run);
      console.log(report.replace(/^/gm, '    '));
      assert.equal(run.exitCode, 0, report);
      assert.equal(run.results?.failures, 0, report);
      assert.equal(run.results?.passes, 4, report);
    });
  });
});

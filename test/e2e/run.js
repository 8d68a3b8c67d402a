// `npm run test:e2e [-- spec...]`: end-to-end tests in a real VS Code (code-server) driven by Playwright
// in Debian's Chromium, plus tests inside its extension host (see test/e2e/workbench.ts).
//
//   node test/e2e/run.js              every test/e2e/*.e2e.ts
//   node test/e2e/run.js probe        only test/e2e/probe.e2e.ts (the harness self-test)
//   node test/e2e/run.js extension    only test/e2e/extension.e2e.ts
//
// Installs the tools on first use (scripts/install-e2e-tools.sh), always recompiles (stale JS in out/
// is a classic source of confusing failures) and packages ml-concept-lens.vsix when a spec needs it and
// it is missing. Extra mocha flags can follow `--`, e.g. `node test/e2e/run.js probe -- --grep hover`.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const names = dash < 0 ? argv : argv.slice(0, dash);
const mochaArgs = dash < 0 ? [] : argv.slice(dash + 1);

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const all = readdirSync(__dirname)
  .filter(f => f.endsWith('.e2e.ts'))
  .map(f => f.replace(/\.e2e\.ts$/, ''));
const specs = names.length ? names : all;
for (const name of specs) if (!all.includes(name)) throw new Error(`no test/e2e/${name}.e2e.ts (have: ${all.join(', ')})`);

const t0 = Date.now();
// Screenshots and logs of an earlier run would pass for this run's.
rmSync(join(root, 'test-results'), { recursive: true, force: true });
run('bash', ['scripts/install-e2e-tools.sh']);
if (specs.includes('extension') && !existsSync(join(root, 'ml-concept-lens.vsix'))) run('npm', ['run', 'package']);
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
run(process.execPath, [
  join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'),
  '--timeout', '300000',
  '--exit',
  ...(process.env.CI ? ['--forbid-only'] : []),
  ...mochaArgs,
  ...specs.map(name => join('out', 'test', 'e2e', `${name}.e2e.js`)),
]);
console.log(`e2e: ${specs.join(', ')} passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

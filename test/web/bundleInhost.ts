/**
 * Bundles the in-host suites (test/e2e/inhost/*.inhost.ts) for the web-worker extension host: one
 * CommonJS file that exports run() (inhost/runner.js), with `vscode` left to the host. The worker has no
 * Node: node:assert/strict and the suites' recordMetric (node:fs) are swapped for the small browser
 * versions beside this file; any other Node import fails the build, which is the point.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { ROOT } from '../e2e/workbench';

const SOURCES = join(ROOT, 'test', 'web', 'inhost');
const SUITES = join(ROOT, 'test', 'e2e', 'inhost');

/**
 * Suites that do not test this extension in the web host, with the reason. Everything else in
 * test/e2e/inhost runs here too, so a new suite is covered without an edit.
 */
export const NOT_IN_WEB: Readonly<Record<string, string>> = {
  'reliability.inhost.ts': 'needs a multi-root workspace (test/e2e/fixtures/multiroot) and writes multi-megabyte files with node:fs into a real folder; test-web serves one folder from memory',
  'probe.inhost.ts': 'tests the code-server harness through its probe extension (test/e2e/fixtures/probe-extension), a Node-only extension that test-web does not load',
};

export function inhostSuites(): string[] {
  return readdirSync(SUITES)
    .filter(f => f.endsWith('.inhost.ts') && !(f in NOT_IN_WEB))
    .sort();
}

/** Writes the bundle to `outfile` (it must lie inside the served extension folder) and returns the suites in it. */
export async function bundleInhost(outfile: string): Promise<string[]> {
  const suites = inhostSuites();
  await esbuild.build({
    entryPoints: [join(SOURCES, 'runner.js')],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'silent',
    alias: { 'node:assert/strict': join(SOURCES, 'assert.js') },
    plugins: [
      {
        name: 'inhost',
        setup(build) {
          build.onResolve({ filter: /\/metrics$/ }, args =>
            args.importer.startsWith(SUITES) ? { path: join(SOURCES, 'metrics.js') } : undefined,
          );
          build.onResolve({ filter: /^__INHOST_SUITES__$/ }, () => ({ path: 'suites', namespace: 'inhost' }));
          build.onLoad({ filter: /.*/, namespace: 'inhost' }, () => ({
            contents: suites.map(f => `require(${JSON.stringify(join(SUITES, f))});`).join('\n'),
            resolveDir: SUITES,
            loader: 'js',
          }));
        },
      },
    ],
  });
  return suites;
}

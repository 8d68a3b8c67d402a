/**
 * The in-host suites (test/e2e/inhost) in the web-worker extension host of VS Code for the Web, against
 * the packaged extension (the .vsix's minified web bundle), through the real `vscode` API.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordMetric } from '../e2e/metrics';
import { ROOT } from '../e2e/workbench';
import { bundleInhost } from './bundleInhost';
import { RESULTS, WORKSPACE, WebWorkbench, unpackVsix } from './webWorkbench';
import { errorLinesOfOurs } from './workerLog';

interface TestResult {
  state: 'passed' | 'failed' | 'pending';
  title: string;
  durationMs?: number;
  error?: string;
}

describe('in-host suites in the web-worker extension host (packaged .vsix)', function () {
  this.timeout(300_000);
  let wb: WebWorkbench | undefined;
  let exitCode: number;
  let results: TestResult[] = [];
  let suites: string[] = [];

  before(async () => {
    const extensionPath = unpackVsix();
    const bundle = join(extensionPath, 'out', 'web-tests', 'inhost.js');
    suites = await bundleInhost(bundle);
    const t0 = Date.now();
    wb = await WebWorkbench.start({ extensionPath, workspace: WORKSPACE, extensionTestsPath: bundle });
    try {
      exitCode = await wb.waitForExtensionTestsExit(240_000);
    } finally {
      mkdirSync(RESULTS, { recursive: true });
      writeFileSync(join(RESULTS, 'inhost-log.txt'), wb.log.join('\n'));
      await wb.screenshot('inhost-end').catch(() => undefined);
    }
    console.log(`      in-host suites in the web worker: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    for (const line of wb.log) {
      const json = line.match(/WEBTEST (\{.*\})/)?.[1];
      if (json) results.push(JSON.parse(json));
      const metric = line.match(/WEBMETRIC (\{.*\})/)?.[1];
      if (metric) {
        const { name, value } = JSON.parse(metric) as { name: string; value: number };
        recordMetric(`web_${name}`, value);
      }
    }
    results = results.filter(r => r.state !== ('end' as string));
  });
  after(async () => {
    await wb?.stop();
  });

  it('runs every in-host suite and each of their tests passes', () => {
    const failed = results.filter(r => r.state !== 'passed');
    for (const r of results) console.log(`      ${r.state === 'passed' ? '✓' : '✗'} [web] ${r.title}${r.durationMs ? ` (${r.durationMs} ms)` : ''}`);
    assert.deepEqual(failed.map(r => `${r.title}: ${r.error ?? r.state}`), []);
    // Every `it(` of the bundled suites reported back: none lost on the way into the worker.
    const written = suites.reduce((n, f) => n + (readFileSync(join(ROOT, 'test', 'e2e', 'inhost', f), 'utf8').match(/^\s*it\(/gm)?.length ?? 0), 0);
    assert.equal(results.length, written, `${results.length} tests reported, ${written} written in ${suites.join(', ')}`);
    assert.equal(exitCode, 0, 'the runner reported failure');
  });

  it('leaves no error line of ours in the extension host worker, nor a request for a file the package lacks', () => {
    assert.deepEqual(errorLinesOfOurs(wb!.log), []);
    // The suites open and close the panel quickly: a font load cut short falls back to the next format
    // its stylesheet names (the .woff/.ttf KaTeX names and the package did not ship were asked for here).
    assert.deepEqual(wb!.missing, []);
  });
});

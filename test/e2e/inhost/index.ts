/**
 * Mocha runner loaded by the real extension host (the workbench's `extensionTestsPath`; see
 * runExtensionTests in ../workbench.ts). The extension host calls run() once the extensions are up; a
 * rejected promise makes the run's exit code 1. Per-test results are written as JSON to
 * $E2E_RESULTS_FILE so the driving process can report them.
 *
 *   E2E_INHOST_FILES    JSON array of compiled test files (default: every *.inhost.js in this folder)
 *   E2E_INHOST_TIMEOUT  per-test timeout in ms (default 60000)
 *   E2E_INHOST_GREP     only tests whose full title matches
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export async function run(): Promise<void> {
  const files: string[] = process.env.E2E_INHOST_FILES
    ? (JSON.parse(process.env.E2E_INHOST_FILES) as string[])
    : readdirSync(__dirname)
        .filter(f => f.endsWith('.inhost.js'))
        .map(f => join(__dirname, f));
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    reporter: 'spec', // goes to the extension host's stdout (code-server's log)
    timeout: Number(process.env.E2E_INHOST_TIMEOUT ?? 60_000),
    grep: process.env.E2E_INHOST_GREP,
  });
  for (const file of files) mocha.addFile(file);

  const tests: TestResult[] = [];
  const started = Date.now();
  await new Promise<void>(resolve => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', test => tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration }));
    runner.on('pending', test => tests.push({ title: test.fullTitle(), state: 'pending' }));
    runner.on('fail', (test, err: Error) =>
      tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration, error: err?.stack ?? String(err) }),
    );
  });
  const count = (state: TestResult['state']) => tests.filter(t => t.state === state).length;
  const results = { passes: count('passed'), failures: count('failed'), pending: count('pending'), durationMs: Date.now() - started, tests };
  if (process.env.E2E_RESULTS_FILE) writeFileSync(process.env.E2E_RESULTS_FILE, JSON.stringify(results, null, 2));
  if (results.failures > 0 || results.passes === 0) throw new Error(`${results.failures} failed, ${results.passes} passed`);
}

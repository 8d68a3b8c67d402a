// Mocha runner for the web-worker extension host (test-web's extensionTestsPath): the same contract as
// test/e2e/inhost/index.ts (run() rejects when a test fails), but with mocha's browser build, since the
// worker has no node:fs to find files or write results with. bundleInhost.ts bundles this with every
// in-host suite; per-test results go to the console, which the workbench forwards to codeAutomationLog.
import mocha from 'mocha/mocha.js';

export function run() {
  return new Promise((resolve, reject) => {
    mocha.setup({ ui: 'bdd', reporter: function () {}, timeout: 60_000 });
    require('__INHOST_SUITES__');
    let passes = 0;
    let failures = 0;
    const report = (state, test, extra) =>
      console.log(`WEBTEST ${JSON.stringify({ state, title: test.fullTitle(), durationMs: test.duration, ...extra })}`);
    const runner = mocha.run(() => {
      console.log(`WEBTEST ${JSON.stringify({ state: 'end', passes, failures })}`);
      if (failures > 0 || passes === 0) reject(new Error(`${failures} failed, ${passes} passed`));
      else resolve();
    });
    runner.on('pass', test => (passes++, report('passed', test)));
    runner.on('fail', (test, err) => (failures++, report('failed', test, { error: String(err?.stack ?? err) })));
    runner.on('pending', test => report('pending', test));
  });
}

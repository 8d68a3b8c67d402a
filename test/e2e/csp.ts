import type { ConsoleMessage, Page } from 'playwright-core';

/**
 * Collects every Content Security Policy violation the browser logs, in the workbench and in every
 * webview frame (Playwright's page console covers all of a page's frames). Start it right after
 * Workbench.start() and assert at the end of a suite:
 *
 *   const csp = watchCsp(wb.page);
 *   ...
 *   after(() => csp.assertNone());
 */
export function watchCsp(page: Page, only: RegExp = /./): { violations: string[]; assertNone(): void } {
  const violations: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    const text = m.text();
    if (!/Content Security Policy/i.test(text)) return;
    const where = m.location().url || '';
    if (only.test(where) || only.test(text)) violations.push(`${where}: ${text.slice(0, 300)}`);
  });
  return {
    violations,
    assertNone() {
      if (violations.length)
        throw new Error(`${violations.length} CSP violation(s) in the console, e.g.:\n${violations.slice(0, 5).join('\n')}`);
    },
  };
}

import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { ROOT } from './paths';

/**
 * The typesetting bundle as esbuild.js builds it, evaluated the way the web worker host gets it
 * (src/mathTypesetting.ts: its text run as a CommonJS module) in a context with no `require`,
 * `process` or Buffer: it must typeset without anything from Node.
 */
describe('the typesetting bundle', function () {
  this.timeout(60_000);

  it('loads and typesets with neither require nor process, as in the web worker', async () => {
    const out = await build({
      entryPoints: [join(ROOT, 'src', 'core', 'texTypesetter.ts')],
      bundle: true,
      platform: 'browser',
      format: 'cjs',
      write: false,
      logLevel: 'silent',
    });
    const module = { exports: {} as { createTypesetter?: () => { typeset(latex: string, display: boolean): { svg?: string; error?: string } } } };
    runInNewContext(out.outputFiles[0].text, { module, exports: module.exports, console });
    const typesetter = module.exports.createTypesetter!();
    const result = typesetter.typeset('\\mathbb{E}_{q}[\\ln p(x \\mid z)] - \\mathcal{K}', true);
    assert.match(result.svg ?? result.error ?? '', /^<svg[^>]*viewBox/);
  });
});

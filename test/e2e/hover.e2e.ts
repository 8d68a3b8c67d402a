import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { CodeServer, ROOT, startCodeServer } from './codeServer';
import { Workbench } from './workbench';

const WORKSPACE = join(ROOT, 'test', 'e2e', 'fixtures', 'workspace');

describe('hovers in a real VS Code (code-server + Chromium)', function () {
  this.timeout(180_000);
  let server: CodeServer;
  let wb: Workbench;

  before(async () => {
    server = await startCodeServer(WORKSPACE);
    wb = await Workbench.open(server.url);
  });
  after(async () => {
    await wb?.close();
    await server?.stop();
  });

  it('hovering neg_elbo shows the ELBO title, summary, typeset formula and links', async () => {
    await wb.openFile('train_vae.py', 'def neg_elbo');
    const text = await wb.hover('def neg_elbo', 'neg_elbo');
    assert.ok(text, 'no hover appeared');
    assert.match(text, /Evidence lower bound/i);
    assert.match(text, /Open explanation/);
    const img = wb.page.locator('.monaco-hover-content img').first();
    assert.match((await img.getAttribute('src')) ?? '', /^data:image\/svg\+xml;base64,/);
    assert.ok((await img.evaluate((i: HTMLImageElement) => i.naturalWidth)) > 50, 'formula image did not load');
    await wb.screenshot('hover-light');
  });
});

import * as assert from 'node:assert/strict';
import { parsePanelMessage } from '../../src/core/panelMessages';

const known = { snippetIds: new Set(['fid-numpy']), noteFiles: new Set(['file:///n/QA.md']), conceptIds: new Set(['fid']) };

describe('parsePanelMessage', () => {
  it('accepts well-formed messages about known things', () => {
    assert.deepEqual(parsePanelMessage({ type: 'insert', snippetId: 'fid-numpy' }, known), { type: 'insert', snippetId: 'fid-numpy' });
    assert.deepEqual(parsePanelMessage({ type: 'openNote', file: 'file:///n/QA.md', line: 3 }, known), { type: 'openNote', file: 'file:///n/QA.md', line: 3 });
    assert.deepEqual(parsePanelMessage({ type: 'ready', extra: 1 }, known), { type: 'ready' });
    assert.deepEqual(parsePanelMessage({ type: 'painted', conceptId: 'fid' }, known), { type: 'painted', conceptId: 'fid' });
  });

  it('drops unknown types, unknown ids and malformed fields', () => {
    for (const raw of [
      null,
      'insert',
      { type: 'exec', command: 'workbench.action.terminal.new' },
      { type: 'insert', snippetId: '../../etc/passwd' },
      { type: 'insert', snippetId: ['fid-numpy'] },
      { type: 'openNote', file: 'file:///etc/passwd', line: 1 },
      { type: 'openNote', file: 'file:///n/QA.md', line: 0 },
      { type: 'openNote', file: 'file:///n/QA.md', line: 1.5 },
      { type: 'copy', text: 'x'.repeat(20_001) },
      { type: 'painted', conceptId: 'nope' },
      { type: 'painted', conceptId: ['fid'] },
    ])
      assert.equal(parsePanelMessage(raw, known), undefined, JSON.stringify(raw)?.slice(0, 60));
  });
});

import * as assert from 'node:assert/strict';
import { parsePanelMessage } from '../../src/core/panelMessages';

const known = { snippetIds: new Set(['fid-numpy']), noteFiles: new Set(['file:///n/QA.md']), conceptIds: new Set(['fid']) };

describe('parsePanelMessage', () => {
  it('accepts well-formed messages about known things', () => {
    assert.deepEqual(parsePanelMessage({ type: 'insert', snippetId: 'fid-numpy' }, known), { type: 'insert', snippetId: 'fid-numpy' });
    assert.deepEqual(parsePanelMessage({ type: 'openNote', file: 'file:///n/QA.md', line: 3 }, known), { type: 'openNote', file: 'file:///n/QA.md', line: 3 });
    assert.deepEqual(parsePanelMessage({ type: 'ready', extra: 1 }, known), { type: 'ready' });
    assert.deepEqual(parsePanelMessage({ type: 'painted', conceptId: 'fid', lang: 'zh-cn' }, known), { type: 'painted', conceptId: 'fid', lang: 'zh-cn' });
    assert.deepEqual(parsePanelMessage({ type: 'open', target: { id: 'fid', anchor: 'q2' }, lang: 'en', history: 'push' }, known), {
      type: 'open',
      target: { id: 'fid', anchor: 'q2' },
      lang: 'en',
      history: 'push',
    });
    assert.deepEqual(parsePanelMessage({ type: 'open', target: { id: '' }, lang: 'zh-cn', history: 'replace', view: { question: 2, within: 0.5 } }, known), {
      type: 'open',
      target: { id: '' },
      lang: 'zh-cn',
      history: 'replace',
      view: { question: 2, within: 0.5 },
    });
    assert.deepEqual(parsePanelMessage({ type: 'open', target: { id: 'fid' }, lang: 'en', history: 'replace', view: { scrollY: 300 } }, known)?.type, 'open');
    assert.deepEqual(parsePanelMessage({ type: 'search', query: '变分下界', lang: 'zh-cn' }, known), { type: 'search', query: '变分下界', lang: 'zh-cn' });
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
      { type: 'painted', conceptId: 'nope', lang: 'en' },
      { type: 'painted', conceptId: ['fid'], lang: 'en' },
      { type: 'painted', conceptId: 'fid', lang: 'fr' },
      { type: 'open', target: { id: 'nope' }, lang: 'en', history: 'push' },
      { type: 'open', target: 'fid', lang: 'en', history: 'push' },
      { type: 'open', target: { id: 'fid', anchor: '"><script>' }, lang: 'en', history: 'push' },
      { type: 'open', target: { id: 'fid' }, lang: 'de', history: 'push' },
      { type: 'open', target: { id: 'fid' }, lang: 'en', history: 'drop' },
      { type: 'open', target: { id: 'fid' }, lang: 'en', history: 'push', view: { scrollY: -1 } },
      { type: 'open', target: { id: 'fid' }, lang: 'en', history: 'push', view: { question: 1.5, within: 0 } },
      { type: 'open', target: { id: 'fid' }, lang: 'en', history: 'push', view: { question: 1, within: 2 } },
      { type: 'open', target: { id: 'fid' }, lang: 'en', history: 'push', view: 'top' },
      { type: 'search', query: 'x'.repeat(201), lang: 'en' },
      { type: 'search', query: 42, lang: 'en' },
      { type: 'search', query: 'elbo' },
    ])
      assert.equal(parsePanelMessage(raw, known), undefined, JSON.stringify(raw)?.slice(0, 80));
  });
});

import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths';
import { definedNames, importInsertionLine, missingImports, renameClashes, snippetCode, splitImports, withoutDemo } from '../../src/core/planSnippetInsertion';

describe('planSnippetInsertion', () => {
  const body = '"""FID from features."""\nimport numpy as np\nfrom scipy import linalg\n\n\ndef fid(${1:mu1}):\n    return np.sum($1)\n';

  it('splits leading imports from the code and drops the module docstring', () => {
    const { imports, code } = splitImports(body);
    assert.deepEqual(imports, ['import numpy as np', 'from scipy import linalg']);
    assert.match(code, /^def fid/);
    const multi = splitImports('"""Doc\n\nmore.\n"""\nimport torch\n\n\ndef f():\n    """Kept: a function docstring."""\n');
    assert.equal(multi.code, 'def f():\n    """Kept: a function docstring."""\n');
  });

  it('leaves no blank lines where the docstring and imports were', () => {
    const { code } = splitImports('"""Doc."""\n\nimport numpy as np\n\n\ndef f():\n    pass\n');
    assert.equal(code, 'def f():\n    pass\n');
  });

  it('drops the __main__ demo and what is indented under it, keeping code after it', () => {
    const code = 'def f():\n    return 1\n\n\nif __name__ == "__main__":\n    print(f())\n\n    print("expected 1")\n';
    assert.equal(withoutDemo(code), 'def f():\n    return 1\n');
    assert.equal(withoutDemo("x = 1\nif __name__ == '__main__':\n    pass\ny = 2\n"), 'x = 1\ny = 2\n');
    assert.equal(withoutDemo('def f():\n    pass\n'), 'def f():\n    pass\n');
  });

  it('gives a tab stop its default back when its first use was in the removed docstring or demo', () => {
    const body = '"""Loss with weight ${2:beta}."""\nimport torch\n\n\ndef ${1:loss}(x, $2: float = 1.0):\n    return $2 * x\n\n\nif __name__ == "__main__":\n    print($1(1.0))\n';
    assert.deepEqual(snippetCode(body), { imports: ['import torch'], code: 'def ${1:loss}(x, ${2:beta}: float = 1.0):\n    return $2 * x\n' });
  });

  it('renames definitions the document already has, as tab stops that every use follows', () => {
    const doc = 'def gaussian_stats(x):\n    return x\n\nfid = 3\ndef fid_2():\n    pass\n';
    assert.deepEqual([...definedNames(doc)].sort(), ['fid', 'fid_2', 'gaussian_stats']);
    const code = 'def gaussian_stats(f):\n    return f.mean()\n\n\ndef ${1:fid}(a, b):\n    return gaussian_stats(a) - obj.gaussian_stats(b)\n';
    const { code: renamed, renames } = renameClashes(code, doc);
    assert.deepEqual(renames, [
      { from: 'gaussian_stats', to: 'gaussian_stats_2' },
      { from: 'fid', to: 'fid_3' },
    ]);
    assert.equal(renamed, 'def ${2:gaussian_stats_2}(f):\n    return f.mean()\n\n\ndef ${1:fid_3}(a, b):\n    return $2(a) - obj.gaussian_stats(b)\n');
    assert.deepEqual(renameClashes(code, 'x = 1\n'), { code, renames: [] });
  });

  it('adds only imports the document lacks, name by name for from-imports', () => {
    const doc = 'import numpy as np\nfrom scipy import stats\n\nx = 1\n';
    assert.deepEqual(missingImports(['import numpy as np', 'from scipy import linalg, stats'], doc), ['from scipy import linalg']);
    assert.deepEqual(missingImports(['import torch'], 'import  torch\n'), []);
    assert.deepEqual(missingImports(['import torch.nn as nn'], 'import torch\n'), ['import torch.nn as nn']);
  });

  it('puts new imports after the shebang, docstring, __future__ and existing imports', () => {
    assert.equal(importInsertionLine(''), 0);
    assert.equal(importInsertionLine('x = 1\n'), 0);
    assert.equal(importInsertionLine('#!/usr/bin/env python3\n"""Doc.\n\nMore."""\nfrom __future__ import annotations\nimport os\n\nx = 1\n'), 6);
    assert.equal(importInsertionLine('"""One line."""\nx = 1'), 1);
    assert.equal(importInsertionLine('# comment\nimport os\n# another\nimport sys\nprint(1)\n'), 4);
  });
});

describe('every shipped snippet, as the Insert command inserts it', () => {
  const file = join(ROOT, 'dist', 'snippets.json');
  it('has code without the demo or module docstring, and every tab stop with its default', () => {
    assert.ok(existsSync(file), 'dist/snippets.json is missing: run npm run build first');
    const snippets = JSON.parse(readFileSync(file, 'utf8')) as { id: string; body: string }[];
    assert.ok(snippets.length >= 35, `${snippets.length} snippets`);
    for (const s of snippets) {
      const { code } = snippetCode(s.body);
      assert.doesNotMatch(code, /__main__/, s.id);
      assert.doesNotMatch(code, /^"""/, s.id);
      const bare = [...code.matchAll(/\$(\d+)(?!\d)/g)].map(m => m[1]).filter(n => n !== '0' && !code.includes(`\${${n}:`));
      assert.deepEqual(bare, [], `${s.id}: tab stops without a default`);
    }
  });
});

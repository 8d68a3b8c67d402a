import * as assert from 'node:assert/strict';
import { importInsertionLine, missingImports, splitImports } from '../../src/core/planSnippetInsertion';

describe('planSnippetInsertion', () => {
  const body = '"""FID from features."""\nimport numpy as np\nfrom scipy import linalg\n\n\ndef fid(${1:mu1}):\n    return np.sum($1)\n';

  it('splits leading imports from the code, keeping the docstring with the code', () => {
    const { imports, code } = splitImports(body);
    assert.deepEqual(imports, ['import numpy as np', 'from scipy import linalg']);
    assert.match(code, /^"""FID from features."""\n\n\ndef fid/);
  });

  it('leaves at most two blank lines where the imports were', () => {
    const { code } = splitImports('"""Doc."""\n\nimport numpy as np\n\n\ndef f():\n    pass\n');
    assert.equal(code, '"""Doc."""\n\n\ndef f():\n    pass\n');
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

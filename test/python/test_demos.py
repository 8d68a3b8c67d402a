"""Every snippet's `__main__` demo runs with Debian's Python, quickly, and states its check."""
import os
import subprocess
import sys
import time

import pytest

from conftest import SNIPPET_IDS, SNIPPETS

PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


@pytest.mark.parametrize("snippet_id", SNIPPET_IDS)
def test_demo_runs(snippet_id):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", OMP_NUM_THREADS="1")
    started = time.monotonic()
    result = subprocess.run([PYTHON, str(SNIPPETS / f"{snippet_id}.py")], capture_output=True, text=True,
                            timeout=60, env=env, cwd=SNIPPETS.parent)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "expected" in result.stdout, result.stdout
    assert elapsed < 5, f"demo took {elapsed:.1f} s"

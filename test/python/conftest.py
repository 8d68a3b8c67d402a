"""Shared helpers: load a snippet module by path (its file name has hyphens, so no plain import)."""
import importlib.util
import json
import sys
from pathlib import Path

import pytest

# Importing the snippets must not leave __pycache__ folders inside snippets/.
sys.dont_write_bytecode = True

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "snippets"
MANIFEST = json.loads((SNIPPETS / "index.json").read_text(encoding="utf-8"))
SNIPPET_IDS = [entry["id"] for entry in MANIFEST]

try:
    import torch

    # Two cores: one thread each keeps torch from oversubscribing when pytest and demos overlap.
    torch.set_num_threads(1)
except ImportError:  # pragma: no cover - the Debian image has torch
    pass

_loaded = {}


def load_snippet(snippet_id: str):
    if snippet_id not in _loaded:
        path = SNIPPETS / f"{snippet_id}.py"
        name = "snippet_" + snippet_id.replace("-", "_")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        _loaded[snippet_id] = module
    return _loaded[snippet_id]


@pytest.fixture
def snippet():
    return load_snippet


# The largest absolute difference each comparison with a peer implementation has shown, over the run.
LARGEST_DIFFERENCES = {}


def record(name, diff):
    """Keeps the largest difference seen for `name` (printed after the run) and returns `diff`."""
    diff = float(diff)
    LARGEST_DIFFERENCES[name] = max(LARGEST_DIFFERENCES.get(name, 0.0), diff)
    return diff


def pytest_terminal_summary(terminalreporter):
    if not LARGEST_DIFFERENCES:
        return
    terminalreporter.write_sep("-", "largest absolute differences against the peer implementations")
    for name, diff in sorted(LARGEST_DIFFERENCES.items()):
        terminalreporter.write_line(f"{name}: {diff:.3e}")

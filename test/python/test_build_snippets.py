"""scripts/buildSnippets.mjs: the generated VS Code snippets must reproduce the tested sources."""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import MANIFEST, ROOT, SNIPPETS

BUILDER = ROOT / "scripts" / "buildSnippets.mjs"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

TOKEN = re.compile(r"\\([\\$}])|\$\{(\d+):([^}]*)\}|\$(\d+)")


def expand(body: str) -> str:
    """Fill every placeholder with its default and undo the escaping, as VS Code would insert it."""
    defaults = {}
    out = []
    last = 0
    for m in TOKEN.finditer(body):
        out.append(body[last:m.start()])
        escaped, number, default, mirror = m.groups()
        if escaped:
            out.append(escaped)
        elif number:
            assert number not in defaults, f"placeholder {number} has two defaults"
            defaults[number] = default
            out.append(default)
        elif mirror == "0":
            out.append("")
        else:
            assert mirror in defaults, f"${mirror} before its ${{{mirror}:...}}"
            out.append(defaults[mirror])
        last = m.end()
    out.append(body[last:])
    return "".join(out)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("snippets") / "snippets.code-snippets"
    result = subprocess.run([NODE, str(BUILDER), str(out)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_every_manifest_entry_is_built(built):
    assert sorted(built) == sorted(e["description"]["en"] for e in MANIFEST)
    for entry in MANIFEST:
        snippet = built[entry["description"]["en"]]
        assert snippet["prefix"] == entry["prefix"] == f"ml-{entry['id']}"
        assert snippet["description"] == entry["description"]["en"]
        assert snippet["body"][-1].endswith("$0")


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["id"] for e in MANIFEST])
def test_snippet_round_trips_to_the_source_byte_for_byte(built, entry):
    body = "\n".join(built[entry["description"]["en"]]["body"])
    assert body.endswith("$0")
    source = (SNIPPETS / f"{entry['id']}.py").read_bytes()
    assert expand(body).encode("utf-8") == source
    # every tabstop became exactly one placeholder with its name as default, numbered in manifest order
    for n, name in enumerate(entry["tabstops"], start=1):
        assert body.count(f"${{{n}:{name}}}") == 1, name
    # nothing special is left unescaped outside the placeholders
    stripped = re.sub(r"\$\{\d+:[A-Za-z_][A-Za-z0-9_]*\}|\$\d+|\\[\\$}]", "", body)
    assert "$" not in stripped and "}" not in stripped and "\\" not in stripped


def test_framework_and_concepts(built):
    for entry in MANIFEST:
        assert entry["framework"] in {"numpy", "torch", "python"}
        assert entry["concepts"] and all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", c) for c in entry["concepts"])
        assert entry["description"]["zh-cn"]
        assert 1 <= len(entry["tabstops"]) <= 6


def run_builder_on(root: Path, tmp_path: Path):
    script = (
        "import { buildSnippets } from %s;"
        "try { buildSnippets(%s, %s); console.log('ok'); } catch (e) { console.log('ERROR ' + e.message); }"
    ) % (json.dumps(BUILDER.as_uri()), json.dumps(str(root)), json.dumps(str(tmp_path / "out.json")))
    result = subprocess.run([NODE, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def make_root(tmp_path: Path, manifest, files):
    root = tmp_path / "root"
    (root / "snippets").mkdir(parents=True)
    (root / "snippets" / "index.json").write_text(json.dumps(manifest), encoding="utf-8")
    for name, text in files.items():
        (root / "snippets" / name).write_text(text, encoding="utf-8")
    return root


def entry(id_, tabstops):
    return {"id": id_, "prefix": f"ml-{id_}", "concepts": ["kmeans"], "framework": "python",
            "description": {"en": f"desc {id_}", "zh-cn": f"描述 {id_}"}, "tabstops": tabstops}


def test_builder_escapes_and_numbers(tmp_path):
    source = 'def f(size, size_max):\n    return f"${size}" + "\\\\" + "}" + str(size)\n'
    root = make_root(tmp_path, [entry("a", ["size"])], {"a.py": source})
    assert run_builder_on(root, tmp_path) == "ok"
    body = "\n".join(json.loads((tmp_path / "out.json").read_text())["desc a"]["body"])
    assert body.startswith("def f(${1:size}, size_max):")  # whole words only
    assert '\\${$1\\}' in body and '"\\\\\\\\"' in body and '"\\}"' in body
    assert expand(body) == source


def test_builder_rejects_a_tabstop_missing_from_its_file(tmp_path):
    root = make_root(tmp_path, [entry("a", ["size", "stride"])], {"a.py": "size = 1  # stride_len\n"})
    message = run_builder_on(root, tmp_path)
    assert message.startswith("ERROR") and '"stride"' in message and "a.py" in message


def test_builder_rejects_manifest_folder_mismatch(tmp_path):
    root = make_root(tmp_path, [entry("a", []), entry("b", [])], {"a.py": "x = 1\n", "c.py": "y = 2\n"})
    message = run_builder_on(root, tmp_path)
    assert message.startswith("ERROR") and "disagree" in message and "b" in message and "c" in message


def test_builder_rejects_duplicate_ids(tmp_path):
    root = make_root(tmp_path, [entry("a", []), entry("a", [])], {"a.py": "x = 1\n"})
    assert "duplicate id" in run_builder_on(root, tmp_path)

"""The layers' one rule, read from the imports: arrows point down only.

npc_archive (the commands) may import every layer; spiders and pipelines import the parsers,
the archive and the spider's items; archive, parsers and replica import nothing of ours."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"npc_archive", "spiders", "pipelines", "archive", "parsers", "replica"}
ALLOWED = {
    "npc_archive": OURS,
    "spiders": {"spiders", "parsers", "archive"},
    "pipelines": {"pipelines", "spiders", "parsers", "archive"},
    "archive": {"archive"},
    "parsers": {"parsers"},
    "replica": {"replica"},
}


def imported_packages(path: Path) -> set[str]:
    """Our top-level packages that a module imports, at its top or inside a function."""
    package = path.relative_to(ROOT).parts[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add(package if node.level else (node.module or "").split(".")[0])
    return found & OURS


def modules(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_only_the_layers_below_it(layer):
    assert modules(layer), f"no modules in {layer}/"
    upward = {str(path.relative_to(ROOT)): sorted(imported_packages(path) - ALLOWED[layer]) for path in modules(layer)}
    assert {module: packages for module, packages in upward.items() if packages} == {}


def test_the_rule_reader_sees_absolute_relative_and_late_imports(tmp_path, monkeypatch):
    module = ROOT / "archive" / "_layer_probe.py"
    source = "from . import store\nimport parsers.article\ndef late():\n    from replica.site import Site\n"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source)
    assert imported_packages(module) == {"archive", "parsers", "replica"}


SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|VIEW|INDEX))\b", re.I | re.S)


def sql_strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and SQL.search(node.value)]


def test_commands_hold_no_sql_the_queries_they_run_are_named_functions_of_the_archive():
    assert {str(path.relative_to(ROOT)): found for path in modules("npc_archive") if (found := sql_strings(path))} == {}


def test_the_sql_reader_finds_a_query_in_a_string():
    assert SQL.search("SELECT url, capture_id\n FROM documents") and not SQL.search("select the archive file")

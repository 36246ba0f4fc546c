"""The pure core reads no environment variables: every knob of the engine is a field of
`SolverParams`, and a caller's environment never changes what `solve` does."""

from __future__ import annotations

import ast
from pathlib import Path

import tillit.core

CORE = Path(tillit.core.__file__).parent


def _reads_environment(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = ("environ", "getenv", "environb")
    found = []
    for node in ast.walk(tree):
        attribute = isinstance(node, ast.Attribute) and node.attr in names
        imported = isinstance(node, ast.ImportFrom) and node.module == "os" and any(
            a.name in names for a in node.names)
        if attribute or imported:
            found.append(f"{path.relative_to(CORE)}:{node.lineno}")
    return found


def test_the_core_reads_no_environment_variables() -> None:
    files = [p for p in CORE.rglob("*.py") if "tests" not in p.relative_to(CORE).parts]
    assert len(files) > 20
    found = [hit for p in files for hit in _reads_environment(p)]
    assert found == []

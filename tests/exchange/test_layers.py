"""The bottom layer stays the bottom: exchange.core imports no app and nothing above it
(docs/architecture.md, Layers), so a change in an app never reaches the shared modules."""

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "site" / "core"
ABOVE_CORE = ("casestudies", "learning", "search")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            if node.module == "exchange":
                names.update(f"exchange.{alias.name}" for alias in node.names)
    return names


def upward(module: str) -> bool:
    top = module.split(".")[0]
    if top in ABOVE_CORE:
        return True
    return (
        top == "exchange" and module != "exchange.core" and not module.startswith("exchange.core.")
    )


@pytest.mark.parametrize(
    "path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE.parent))
)
def test_core_module_imports_no_app(path):
    assert not sorted(m for m in imported_modules(path) if upward(m))


def test_the_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from casestudies.models import Country\n")
    assert [m for m in imported_modules(module) if upward(m)] == ["casestudies.models"]

"""learning/ imports at the top of its modules. A function-local import hides an import cycle
(page models reaching into views was one); where a cycle is genuinely unavoidable, the import
says which in a `# cycle:` comment right above it (docs/architecture.md, Learning). And no
model module imports a views module, at the top or in a function: pages serve themselves
through serving and service modules, and views import models, never the other way."""

import ast
from pathlib import Path

import pytest

LEARNING = Path(__file__).resolve().parents[2] / "learning"
MODULES = sorted(p for p in LEARNING.rglob("*.py") if "migrations" not in p.parts)
MODEL_MODULES = [p for p in MODULES if p.name == "models.py" or p.parent.name == "models"]


def _explained(lines: list[str], lineno: int) -> bool:
    """Whether the comment lines right above line `lineno` (1-based) include a `# cycle:`."""
    index = lineno - 2
    while index >= 0 and lines[index].strip().startswith("#"):
        if lines[index].strip().startswith("# cycle:"):
            return True
        index -= 1
    return False


def unexplained_local_imports(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom) and not _explained(
                    lines, inner.lineno
                ):
                    found.add(f"{path.name}:{inner.lineno}: {lines[inner.lineno - 1].strip()}")
    return sorted(found)


def imported_views(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return sorted(n for n in names if n.startswith("learning") and n.endswith("views"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(LEARNING.parent)))
def test_no_function_local_import_without_the_cycle_it_breaks(path):
    assert not unexplained_local_imports(path)


@pytest.mark.parametrize("path", MODEL_MODULES, ids=lambda p: str(p.relative_to(LEARNING.parent)))
def test_models_import_no_views(path):
    assert not imported_views(path)


def test_the_checks_see_what_they_look_for(tmp_path):
    module = tmp_path / "models.py"
    module.write_text(
        "from learning import views\n\n\n"
        "def serve():\n    from learning import serving\n\n\n"
        "def explained():\n    # cycle: serving imports this module.\n"
        "    from learning import serving\n"
    )
    assert unexplained_local_imports(module) == ["models.py:5: from learning import serving"]
    assert imported_views(module) == ["learning.views"]

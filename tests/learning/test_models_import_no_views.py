"""No learning model module imports a views module, at the top or in a function: pages serve
themselves through serving and service modules, and views import models, never the other way
(page models reaching into views was an import cycle of seven files). Local imports in general:
tests/exchange/test_imports.py."""

import ast
from pathlib import Path

import pytest

LEARNING = Path(__file__).resolve().parents[2] / "learning"
MODULES = sorted(p for p in LEARNING.rglob("*.py") if "migrations" not in p.parts)
MODEL_MODULES = [p for p in MODULES if p.name == "models.py" or p.parent.name == "models"]


def imported_views(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return sorted(n for n in names if n.startswith("learning") and n.endswith("views"))


@pytest.mark.parametrize("path", MODEL_MODULES, ids=lambda p: str(p.relative_to(LEARNING.parent)))
def test_models_import_no_views(path):
    assert not imported_views(path)


def test_the_check_sees_a_views_import_even_inside_a_function(tmp_path):
    module = tmp_path / "models.py"
    module.write_text(
        "from learning import serving\n\n\ndef serve():\n    from learning import views\n"
    )
    assert imported_views(module) == ["learning.views"]

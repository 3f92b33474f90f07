"""Imports sit at the top of their module (issue 11, item 7). One that has to run inside a
function says why in the comment right above it, starting `# Imported here:` (an import
cycle, models named before the apps are loaded, a dev dependency the site never needs), so
that a local import is a decision a reader can check, not a habit."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MARKER = "# Imported here:"
PACKAGES = (
    "site",
    "casestudies",
    "search",
    "learning",
)


def local_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement inside a function (nested ones once)."""
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    found = {
        (node.lineno, node.col_offset): node
        for function in ast.walk(tree)
        if isinstance(function, functions)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    }
    return [found[position] for position in sorted(found)]


def explained(lines: list[str], line: int, import_lines: set[int]) -> bool:
    """Whether the comment right above the import (or above the run of imports it closes)
    starts with the marker."""
    above = line - 1
    while above in import_lines:
        above -= 1
    while above >= 1 and lines[above - 1].strip().startswith("#"):
        if lines[above - 1].strip().startswith(MARKER):
            return True
        above -= 1
    return False


def unexplained_local_imports(package: Path) -> list[str]:
    """`file:line` of every import inside a function without the marker above it."""
    unexplained = []
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.relative_to(package).parts:
            continue
        source = path.read_text(encoding="utf-8")
        imports = local_imports(ast.parse(source))
        import_lines = {n for node in imports for n in range(node.lineno, node.end_lineno + 1)}
        lines = source.splitlines()
        unexplained += [
            f"{path.relative_to(package.parent)}:{node.lineno}"
            for node in imports
            if not explained(lines, node.lineno, import_lines)
        ]
    return unexplained


@pytest.mark.parametrize("package", PACKAGES)
def test_every_import_inside_a_function_says_why_it_is_there(package):
    assert unexplained_local_imports(ROOT / package) == []


def test_the_check_names_a_local_import_without_a_reason(tmp_path):
    (tmp_path / "module.py").write_text(
        "def reasoned():\n"
        "    # Imported here: cycle, other imports this module.\n"
        "    from other import thing\n"
        "    from other import second_thing\n"
        "\n"
        "\n"
        "def unreasoned():\n"
        "    # Just a comment.\n"
        "    from other import (\n"
        "        thing,\n"
        "    )\n"
    )
    assert unexplained_local_imports(tmp_path) == [f"{tmp_path.name}/module.py:9"]

"""The benchmark writes synthetic data: only into a database that is clearly throw-away."""

from __future__ import annotations

import tempfile
from pathlib import Path


def _temp_roots() -> list[Path]:
    roots = {Path(tempfile.gettempdir()).resolve(), Path("/tmp").resolve()}
    if Path("/dev/shm").is_dir():
        roots.add(Path("/dev/shm").resolve())
    return sorted(roots)


def throwaway_database_problem(database: dict) -> str | None:
    """Why this database may not be written by the benchmark, or None when it is throw-away.

    Accepted: SQLite in memory, or a SQLite file under the temporary directory
    (`DATABASE_URL=sqlite:////tmp/…`); a test database (settings' TEST name or
    a name starting with `test_`).
    """
    engine, name = database.get("ENGINE", ""), str(database.get("NAME") or "")
    if name.startswith("test_") or (database.get("TEST") or {}).get("NAME") == name:
        return None
    if not engine.endswith("sqlite3"):
        return (
            f"the database is {engine.rsplit('.', 1)[-1]} '{name}', not a throw-away SQLite "
            "file; set DATABASE_URL=sqlite:////tmp/<dir>/bench.sqlite3"
        )
    if name == ":memory:" or name.startswith("file:memorydb") or "mode=memory" in name:
        return None
    path = Path(name).resolve()
    if any(path.is_relative_to(root) for root in _temp_roots()):
        return None
    return (
        f"the database {path} is not under the temporary directory; the benchmark writes "
        "synthetic data, so point DATABASE_URL at a throw-away file, e.g. "
        "sqlite:////tmp/reform-bench/bench.sqlite3"
    )

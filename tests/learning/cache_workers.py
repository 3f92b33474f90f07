"""Two gunicorn workers in one test: two cache clients sharing one database-cache table.

Each worker process has its own cache client; what they share is the store behind it. Rate
limits must hold when requests land on one worker, then the other: `two_workers` hands the
rate-limit module a different client at each use, both on the same table.
"""

from __future__ import annotations

import itertools
from contextlib import contextmanager

from django.core.cache.backends.db import DatabaseCache
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import DEFAULT_DB_ALIAS, connection

from exchange.core import rate_limit

TABLE = "test_shared_rate_limit_cache"


def database_cache_clients(count: int = 2) -> list[DatabaseCache]:
    """`count` separate clients of one database-cache table (created if missing)."""
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(DEFAULT_DB_ALIAS, TABLE, dry_run=False)
    return [DatabaseCache(TABLE, {}) for _ in range(count)]


@contextmanager
def committed_database_cache_table(table: str = "test_committed_rate_limit_cache"):
    """A database-cache table that other connections (threads) see: created and dropped on a
    connection of its own, in autocommit, outside the test's transaction (PostgreSQL).

    Not a `transaction=True` test: its teardown would empty every table, the session's
    real data included.
    """
    own = connection.copy()
    name = own.ops.quote_name(table)
    try:
        with own.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE {name} (cache_key varchar(255) PRIMARY KEY, "
                "value text NOT NULL, expires timestamp with time zone NOT NULL)"
            )
        yield table
    finally:
        with own.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        own.close()


class TakingTurns:
    """Stands in for `django.core.cache.caches`: every lookup gets the next worker's client."""

    def __init__(self, clients):
        self.clients = clients
        self._turns = itertools.cycle(clients)

    def __getitem__(self, alias):
        return next(self._turns)


@contextmanager
def two_workers(monkeypatch):
    """Rate limits counted through two cache clients in turn, on one shared table."""
    clients = database_cache_clients(2)
    with monkeypatch.context() as patch:
        patch.setattr(rate_limit, "caches", TakingTurns(clients))
        yield clients

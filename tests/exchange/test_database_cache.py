"""The shared cache's database backend (exchange.core.cache): Django's table and entries, read
with less work. What it answers must be what Django's DatabaseCache answers."""

from datetime import timedelta

import pytest
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connection
from django.utils.timezone import now

from exchange.core.cache import DatabaseCache

pytestmark = pytest.mark.django_db

TABLE = "exchange_cache"
PARAMS = {"KEY_PREFIX": "test-cache"}


@pytest.fixture
def ours():
    return DatabaseCache(TABLE, PARAMS)


@pytest.fixture
def djangos():
    return DjangoDatabaseCache(TABLE, PARAMS)


def expire(cache, key):
    """Make an entry's expiry date pass, as time would."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET expires = %s WHERE cache_key = %s",
            [
                connection.ops.adapt_datetimefield_value(now() - timedelta(seconds=1)),
                cache.make_key(key),
            ],
        )


def stored_keys() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {TABLE}")
        return {key for (key,) in cursor.fetchall()}


def test_it_reads_what_djangos_backend_wrote_and_the_other_way_round(ours, djangos):
    djangos.set_many({"version": 1796658513448388757, "page": {"title": "Accès à l’information"}})
    ours.set("country", ["KEN", "PRY"], timeout=None)

    assert ours.get_many(["version", "page", "country", "missing"]) == {
        "version": 1796658513448388757,
        "page": {"title": "Accès à l’information"},
        "country": ["KEN", "PRY"],
    }
    assert ours.get_many(["version", "page", "country", "missing"]) == djangos.get_many(
        ["version", "page", "country", "missing"]
    )
    assert ours.get("missing", "default") == "default"
    assert ours.get_many([]) == {}


def test_an_expired_entry_is_a_miss_and_is_deleted(ours, djangos):
    ours.set_many({"fresh": "kept", "stale": "gone"}, timeout=300)
    expire(ours, "stale")

    assert ours.get_many(["fresh", "stale"]) == {"fresh": "kept"}
    assert ours.make_key("stale") not in stored_keys()
    assert ours.make_key("fresh") in stored_keys()
    assert djangos.get("stale") is None


def test_an_entry_without_expiry_never_expires(ours):
    ours.set("forever", 42, timeout=None)

    assert ours.get("forever") == 42


def test_counters_keep_counting(ours):
    """`incr` reads through `get_many`: rate limits count with it."""
    ours.add("tries", 0, timeout=60)
    ours.incr("tries")

    assert ours.incr("tries") == 2


def test_a_failed_read_is_djangos_database_error(ours):
    """The read goes to the driver's cursor: its errors must still be Django's, which the
    page cache and Django's end-of-request check of the connection know."""
    missing = DatabaseCache("exchange_cache_that_does_not_exist", PARAMS)
    with pytest.raises(DatabaseError):
        missing.get_many(["anything"])
    assert connection.errors_occurred

"""Rate limits: exact, shared by every process, atomic under concurrency, and reversible."""

import threading
import time
import uuid

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from exchange.core import rate_limit
from exchange.core.cache import DatabaseCache
from exchange.core.rate_limit import RateLimit, client_address, too_many_requests
from tests.conftest import require_service
from tests.learning.cache_workers import (
    TakingTurns,
    committed_database_cache_table,
    database_cache_clients,
)

# The shared cache is a database table: even clearing it between tests needs the database.
pytestmark = pytest.mark.django_db


class Clock:
    """`time.time` for the rate limits and the local-memory cache's expiry, moved by hand."""

    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    """A local-memory cache of its own and a clock the test moves."""
    clock = Clock()
    monkeypatch.setattr(time, "time", clock)
    cache = LocMemCache(f"rate-limit-test-{uuid.uuid4().hex}", {})
    monkeypatch.setattr(rate_limit, "caches", {"default": cache})
    return clock


def test_a_limit_lets_that_many_through_then_says_when_to_come_back(clock):
    limit = RateLimit("test", limit=3, window_seconds=600)

    decisions = [limit.hit("ana@example.org") for _ in range(4)]

    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[-1].retry_after == 600
    assert decisions[-1].retry_after_minutes == 10
    assert limit.peek("ana@example.org").allowed is False
    assert limit.hit("someone-else@example.org").allowed


def test_the_window_slides_each_event_frees_its_own_slot(clock):
    limit = RateLimit("test", limit=2, window_seconds=60)
    assert limit.hit("x").allowed
    clock.advance(40)
    assert limit.hit("x").allowed
    refused = limit.hit("x")
    assert not refused.allowed
    assert refused.retry_after == 20  # when the first event is a minute old

    clock.advance(21)

    assert limit.hit("x").allowed
    assert not limit.hit("x").allowed  # the second event is still in the window


def test_refused_events_are_not_counted_so_the_wait_does_not_grow(clock):
    limit = RateLimit("test", limit=1, window_seconds=60)
    assert limit.hit("x").allowed
    for _ in range(10):
        clock.advance(5)
        assert not limit.hit("x").allowed

    clock.advance(11)

    assert limit.hit("x").allowed


def test_a_released_slot_and_a_reset_give_the_room_back(clock):
    limit = RateLimit("test", limit=2)
    first = limit.hit("x")
    limit.hit("x")
    assert not limit.peek("x").allowed

    limit.release(first)
    assert limit.hit("x").allowed

    limit.reset("x")
    assert limit.hit("x").allowed
    assert limit.hit("x").allowed


def test_keys_hide_the_address_they_count(clock):
    decision = RateLimit("test", limit=1).hit("ana@example.org")

    assert "ana" not in decision.slot
    assert decision.slot.startswith("rate:test:")


def test_a_429_says_when_to_try_again(clock):
    limit = RateLimit("test", limit=1, window_seconds=90)
    limit.hit("x")

    response = too_many_requests(HttpResponse("slow down"), limit.hit("x"))

    assert response.status_code == 429
    assert response["Retry-After"] == "90"


# --- Across processes and under concurrency ---------------------------------------------------


def test_the_limit_holds_across_two_workers_on_the_database_cache(monkeypatch):
    # Before: each worker had its own in-memory counter, and 7 posts passed a limit of 5.
    monkeypatch.setattr(rate_limit, "caches", TakingTurns(database_cache_clients(2)))
    limit = RateLimit("introductions", limit=5)

    allowed = [limit.hit("lucia@example.org").allowed for _ in range(7)]

    assert allowed == [True] * 5 + [False] * 2


@pytest.fixture
def redis_clients():
    from django_redis.cache import RedisCache

    url = "redis://127.0.0.1:6379/0"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        available = True
    except redis.RedisError:  # no server to test against
        available = False
    require_service(available, f"Redis at {url}")
    prefix = f"test-rate-limit-{uuid.uuid4().hex}"
    clients = [RedisCache(url, {"KEY_PREFIX": prefix}) for _ in range(2)]
    yield clients
    raw = clients[0].client.get_client()
    keys = list(raw.scan_iter(f"{prefix}:*"))
    if keys:
        raw.delete(*keys)


def test_the_limit_holds_across_two_workers_on_redis(redis_clients, monkeypatch):
    monkeypatch.setattr(rate_limit, "caches", TakingTurns(redis_clients))
    limit = RateLimit("introductions", limit=5)

    allowed = [limit.hit("lucia@example.org").allowed for _ in range(7)]

    assert allowed == [True] * 5 + [False] * 2


def hit_at_once(limit, value, count) -> list[bool]:
    """`count` threads hitting together, released by one barrier."""
    barrier = threading.Barrier(count)
    results = []

    def worker():
        barrier.wait()
        try:
            results.append(limit.hit(value).allowed)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_simultaneous_posts_never_pass_more_than_the_limit_on_redis(redis_clients, monkeypatch):
    monkeypatch.setattr(rate_limit, "caches", TakingTurns(redis_clients))

    results = hit_at_once(RateLimit("burst", limit=5), "lucia@example.org", 12)

    assert sorted(results) == [False] * 7 + [True] * 5


def simultaneous_posts_never_pass_more_than_the_limit_on_the_database_cache(monkeypatch):
    # The threads have connections of their own, outside this test's transaction: the table
    # they share is created (and dropped) in a committed transaction of yet another one.
    with committed_database_cache_table() as table:
        monkeypatch.setattr(
            rate_limit, "caches", TakingTurns([DatabaseCache(table, {}) for _ in range(4)])
        )
        results = hit_at_once(RateLimit("burst", limit=5), "lucia@example.org", 12)

    assert sorted(results) == [False] * 7 + [True] * 5


# A test of the PostgreSQL run only (CI runs the suite on both databases): threads cannot share
# SQLite's in-memory test database, and a skip would hide that from the SQLite run's count.
if connection.vendor == "postgresql":
    test_simultaneous_posts_never_pass_more_than_the_limit_on_the_database_cache = (
        simultaneous_posts_never_pass_more_than_the_limit_on_the_database_cache
    )


# --- Who is counted -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies", "expected"),
    [
        ("203.0.113.9", "", 0, "203.0.113.9"),
        ("203.0.113.9", "198.51.100.7", 0, "203.0.113.9"),  # not trusted: ignored
        ("127.0.0.1", "198.51.100.7", 1, "198.51.100.7"),
        ("127.0.0.1", "6.6.6.6, 198.51.100.7", 1, "198.51.100.7"),  # forged entry on the left
        ("127.0.0.1", "198.51.100.7, 10.0.0.2", 2, "198.51.100.7"),
        ("127.0.0.1", "", 1, "127.0.0.1"),  # reached the app directly
        ("2001:db8:1:2:aaaa::1", "", 0, "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "", 0, "203.0.113.9"),
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxies_saw(
    settings, remote, forwarded, proxies, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == expected


def test_one_ipv6_subscriber_cannot_escape_a_limit_by_rotating_addresses():
    limit = RateLimit("test", limit=2)
    factory = RequestFactory()

    allowed = [
        limit.hit(client_address(factory.get("/", REMOTE_ADDR=f"2001:db8:1:2::{n}"))).allowed
        for n in range(1, 4)
    ]

    assert allowed == [True, True, False]

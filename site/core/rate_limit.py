"""Rate limits kept in the shared cache: how often something may happen per sender or target.

A `RateLimit` lets `limit` events through in any `window_seconds`, per key: a network address,
an email address, an account name. Its counters live in Django's default cache, which every
process of an installation shares (the database cache by default, Redis with `REDIS_URL`), so
two gunicorn workers cannot each let `limit` through. Keys are hashed: no address is stored in
clear.

How it counts. Each key has `limit` slots, each a cache entry; an event takes a free slot with
one `cache.add`, and the slot frees itself `window_seconds` later (its cache timeout). `add` is
atomic on every cache backend (SET NX on Redis, the primary key of the database cache's table,
a lock in local memory), so two processes can never take the same slot, and at most `limit`
events pass in any `window_seconds`: a sliding window, with no boundary at which twice the limit
gets through, and an exact `Retry-After` (when the oldest slot frees). It is not `add` then
`incr`, because Django's database cache implements `incr` as a get followed by a set, which two
processes can interleave (both read 4, both write 5).

What to count is the caller's choice, and it matters. Count every *attempt* per network address
(before validating, so a flood costs the sender), but only *valid* submissions per target (an
email address): nobody can then lock someone else out by posting rubbish in their name.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches


@dataclass(frozen=True)
class Decision:
    """The answer to one event: let through or not, and if not, for how long."""

    allowed: bool
    retry_after: int = 0  # seconds until a slot frees; 0 when allowed
    slot: str = ""  # the cache key taken, so the caller can give it back with `release`

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


ALLOWED = Decision(allowed=True)


@dataclass(frozen=True)
class RateLimit:
    name: str
    limit: int
    window_seconds: int = 60 * 60
    cache_alias: str = "default"

    def _slots(self, value: str) -> list[str]:
        digest = hashlib.sha256(f"{self.name}\n{value}".encode()).hexdigest()
        return [f"rate:{self.name}:{digest}:{number}" for number in range(self.limit)]

    @property
    def _cache(self):
        return caches[self.cache_alias]

    def hit(self, value: str) -> Decision:
        """Count one event for `value`, or refuse it; a refused event is not counted."""
        cache = self._cache
        slots = self._slots(value)
        taken = cache.get_many(slots)
        now = time.time()
        for slot in slots:
            if slot not in taken and cache.add(slot, now, self.window_seconds):
                return Decision(allowed=True, slot=slot)
        # A slot seen free but refused by `add` was just taken by another process.
        return self._refusal([taken.get(slot, now) for slot in slots], now)

    def peek(self, value: str) -> Decision:
        """Would one more event for `value` pass now? Counts nothing."""
        taken = self._cache.get_many(self._slots(value))
        if len(taken) < self.limit:
            return ALLOWED
        return self._refusal(taken.values(), time.time())

    def release(self, decision: Decision) -> None:
        """Give back the slot an allowed event took (it was refused further on)."""
        if decision.slot:
            self._cache.delete(decision.slot)

    def reset(self, value: str) -> None:
        """Forget every event counted for `value`."""
        self._cache.delete_many(self._slots(value))

    def _refusal(self, taken_at: Iterable[float], now: float) -> Decision:
        oldest = min(taken_at, default=now)
        return Decision(
            allowed=False, retry_after=max(1, math.ceil(oldest + self.window_seconds - now))
        )


def too_many_requests(response, decision: Decision):
    """Make `response` an HTTP 429 that says when to try again."""
    response.status_code = 429
    response["Retry-After"] = str(decision.retry_after)
    return response


def client_address(request) -> str:
    """The network a request comes from, as the rate limits count it.

    `REMOTE_ADDR`, unless `TRUSTED_PROXY_COUNT` reverse proxies stand in front of the app: each
    appends the address it received the request from to X-Forwarded-For, so the client is the
    entry that many places from the right (entries further left are whatever the client sent).
    IPv6 addresses count per /64 network: a subscriber usually holds a whole /64 and could
    otherwise rotate through it to escape every limit.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [entry.strip() for entry in forwarded if entry.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)

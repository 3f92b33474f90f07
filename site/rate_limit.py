"""Counting posts per sender in the cache, so that one address or network cannot flood us.

Public forms that send email or land in a human's queue (fellowship applications,
peer introduction requests) allow a few posts per hour from one email address and
from one IP address. The counters live in Django's cache (Redis in production), keyed
by a hash so no address is stored in clear.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class RateLimit:
    name: str
    limit: int
    window_seconds: int = 60 * 60

    def _key(self, kind: str, value: str) -> str:
        return f"rate:{self.name}:{kind}:" + hashlib.sha256(value.encode()).hexdigest()

    def _count(self, key: str) -> int:
        cache.add(key, 0, self.window_seconds)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, self.window_seconds)
            return 1

    def hit(self, request, email: str = "") -> bool:
        """Count this post against the sender's IP and email; True once either is over."""
        over = self._count(self._key("ip", request.META.get("REMOTE_ADDR", ""))) > self.limit
        email = email.strip().lower()
        if email:
            over = self._count(self._key("email", email)) > self.limit or over
        return over

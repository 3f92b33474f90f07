"""A value each process builds once and keeps, rebuilt when any process changes its source.

The goal reader and the thesaurus table are too large to read from the shared cache on
every query (unpickling them took milliseconds), so each process keeps its own copy. The
shared cache holds only a version token: `invalidate` (a signal receiver) deletes it, the
next `get` in any process finds a new token and rebuilds. A token, never a counter: a
counter restarting at 1 after the key was lost would match a copy built long ago.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.cache import cache

T = TypeVar("T")


class ProcessCopy(Generic[T]):
    def __init__(self, key: str, build: Callable[[], T], timeout: int | None = None):
        self.key, self.build, self.timeout = key, build, timeout  # timeout: the token's
        self._lock = threading.Lock()
        self._built: tuple[str, T] | None = None

    def get(self) -> T:
        version = cache.get(self.key)
        if version is None:
            token = uuid.uuid4().hex
            cache.add(self.key, token, self.timeout)
            version = cache.get(self.key) or token
        with self._lock:
            if self._built is None or self._built[0] != version:
                self._built = (version, self.build())
            return self._built[1]

    def invalidate(self, **kwargs) -> None:
        cache.delete(self.key)

"""Pick the search backend from settings, the way Django picks a cache.

`ELASTICSEARCH_URL` set → `FallbackBackend`: Elasticsearch, with the embedded index as
its fallback; unset → the embedded backend alone. Either way callers get one
`SearchBackend` and never ask which.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Protocol

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from search.backends.base import (
    BackendUnavailable,
    IndexDocument,
    SearchBackend,
    SearchQuery,
    SearchResults,
)
from search.backends.embedded import EmbeddedBackend
from search.models import PendingIndexUpdate

logger = logging.getLogger("search")

FALLBACK_NOTICE = (
    "The search server is not answering, so these results come from the built-in search. "
    "They may rank a little differently."
)
INCOMPLETE_NOTICE = (
    "The search server's index is not up to date, so these results come from the "
    "built-in search. They may rank a little differently."
)

# An unreachable server is asked again at most this often, so pages and saves do not
# each wait for a timeout.
RETRY_SECONDS = 30.0
# A reachable server's index is checked for completeness at most this often.
CHECK_SECONDS = 60.0
# Complete: the index holds at least this share of the embedded index's documents. A
# server restarted without its data fails it, even once a few replayed edits have
# created a new, nearly empty index; ordinary lag (a few queued edits) never does.
MIN_SHARE = 0.5
# Queued writes replayed in one go after a response (one bulk request).
REPLAY_BATCH = 500
# A missing or incomplete index is rebuilt from the database without an operator up to
# this many documents (tens of seconds at most); above it `search_index status` says
# to run `search_index rebuild`.
AUTO_REBUILD_LIMIT = 20_000
# Other processes of the installation skip the rebuild while one holds this (a shared
# cache makes it installation-wide; the local-memory cache, per process).
REBUILD_LOCK, REBUILD_LOCK_SECONDS = "search:auto-rebuild", 15 * 60


class DocumentSource(Protocol):
    """Where the fallback reads current documents to replay or rebuild (search.registry)."""

    def documents_for_ids(
        self, doc_ids: Iterable[str]
    ) -> tuple[list[IndexDocument], list[str]]: ...

    def all_documents(self) -> Iterable[IndexDocument]: ...

    def count_documents(self) -> int: ...


class FallbackBackend(SearchBackend):
    """Elasticsearch first; the embedded index whenever Elasticsearch cannot answer fully.

    - Searches go to Elasticsearch while it answers, its index is complete (checked at
      most every `check_seconds`, see MIN_SHARE) and it is not behind (writes this
      process queued, or a downtime just ended, and no catch-up has emptied the queue
      since); otherwise the embedded index answers, with a notice. Each change of state
      is logged once.
    - Writes go to the embedded index, then to Elasticsearch through a durable queue
      (`PendingIndexUpdate`): queued first, removed once Elasticsearch acknowledged. While
      it is down (retried at most every `retry_seconds`) they stay queued.
    - `catch_up` replays the queue, reading each document afresh from the database (the
      source of truth), and rebuilds a missing or incomplete index from the database up
      to AUTO_REBUILD_LIMIT documents. search/sync.py runs it after responses, when
      `catch_up_due` says there is work, so no visitor waits for it.
    """

    def __init__(
        self,
        primary: SearchBackend,
        fallback: SearchBackend,
        source: DocumentSource,
        retry_seconds: float = RETRY_SECONDS,
        check_seconds: float = CHECK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.primary = primary
        self.fallback = fallback
        self.source = source
        self.retry_seconds = retry_seconds
        self.check_seconds = check_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._catching_up = threading.Lock()
        self._down_since: float | None = None
        self._checked_at: float | None = None
        self._complete = True
        self._rebuild_due = False
        # Hints for `catch_up_due`: this process queued writes, or the server came back.
        self._replay_due = False
        # Elasticsearch misses queued writes: searches stay on the embedded index.
        self._behind = False
        # When to look at the queue for rows other processes left (a command, a worker).
        self._next_queue_look = 0.0

    @property
    def name(self):
        return self.primary.name

    # State ---------------------------------------------------------------------------

    def is_down(self) -> bool:
        return self._down_since is not None

    def should_try_primary(self) -> bool:
        """Up, or down long enough ago that it is worth asking again."""
        down = self._down_since
        return down is None or self.clock() - down >= self.retry_seconds

    def mark_down(self, error: Exception) -> None:
        with self._lock:
            first = self._down_since is None
            self._down_since = self.clock()
        if first:
            logger.error("Search server unavailable, using embedded search: %s", error)

    def mark_up(self) -> None:
        with self._lock:
            was_down, self._down_since = self._down_since is not None, None
            if was_down:  # edits may have queued up meanwhile, here or elsewhere
                self._replay_due = self._behind = True
        if was_down:
            logger.warning("Search server is answering again")

    def _set_complete(self, complete: bool, held: int = 0, expected: int = 0) -> None:
        with self._lock:
            changed = complete != self._complete
            self._complete = complete
            self._checked_at = self.clock()
            self._rebuild_due = not complete
        if changed and complete:
            logger.warning("Search server's index is complete again")
        elif changed:
            logger.error(
                "Search server's index holds %d documents, the embedded index %d: "
                "answering from the embedded index until it is rebuilt",
                held,
                expected,
            )

    def index_is_complete(self, fresh: bool = False) -> bool:
        """Whether Elasticsearch holds (about) everything: asked at most every check_seconds.

        Raises BackendUnavailable when it cannot answer.
        """
        checked = self._checked_at
        if not fresh and checked is not None and self.clock() - checked < self.check_seconds:
            return self._complete
        held = self.primary.count()
        expected = self.fallback.count()
        complete = held >= MIN_SHARE * expected
        self._set_complete(complete, held, expected)
        return complete

    def _primary_answers(self) -> bool:
        """Whether searches and counts should go to Elasticsearch right now."""
        if not self.should_try_primary():
            return False
        try:
            complete = self.index_is_complete()
        except BackendUnavailable as error:
            self.mark_down(error)
            return False
        self.mark_up()
        return complete and not self._behind

    # Reads ---------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        if self._primary_answers():
            try:
                return self.primary.search(query)
            except BackendUnavailable as error:
                self.mark_down(error)
        notice = FALLBACK_NOTICE if self.is_down() else INCOMPLETE_NOTICE
        return replace(self.fallback.search(query), notice=notice)

    def count(self) -> int:
        """The documents of the index that answers searches now."""
        if self._primary_answers():
            try:
                return self.primary.count()
            except BackendUnavailable as error:
                self.mark_down(error)
        return self.fallback.count()

    def ping(self) -> bool:
        """The embedded index can always answer, whatever the server does."""
        return self.fallback.ping() or self.primary.ping()

    def describe(self) -> dict[str, object]:
        info = dict(self.fallback.describe())
        try:
            held = self.primary.count()
        except BackendUnavailable as error:
            info[self.primary.name] = f"unavailable ({error})"
        else:
            info[f"{self.primary.name} index"] = held
            expected = self.fallback.count()
            if held >= MIN_SHARE * expected:
                state = "complete"
            elif expected <= AUTO_REBUILD_LIMIT:
                state = (
                    f"INCOMPLETE ({held} of {expected} documents): searches use the embedded "
                    "index until it is rebuilt, which the site does by itself after the next "
                    "request, or run `manage.py search_index sync` now"
                )
            else:
                state = (
                    f"INCOMPLETE ({held} of {expected} documents): searches use the embedded "
                    "index; run `manage.py search_index rebuild`"
                )
            info[f"{self.primary.name} index state"] = state
        info["queued updates"] = PendingIndexUpdate.objects.count()
        return info

    # Writes --------------------------------------------------------------------------

    def index(self, documents: Iterable[IndexDocument]) -> int:
        documents = list(documents)
        written = self.fallback.index(documents)
        self._send(
            PendingIndexUpdate.Action.INDEX,
            [document.doc_id for document in documents],
            lambda: self.primary.index(documents),
        )
        return written

    def delete(self, doc_ids: Iterable[str]) -> None:
        doc_ids = list(doc_ids)
        self.fallback.delete(doc_ids)
        self._send(PendingIndexUpdate.Action.DELETE, doc_ids, lambda: self.primary.delete(doc_ids))

    def _send(self, action: str, doc_ids: list[str], write: Callable[[], object]) -> None:
        """Queue, write, then forget: a process dying in between loses no edit."""
        if not doc_ids:
            return
        PendingIndexUpdate.objects.bulk_create(
            [PendingIndexUpdate(doc_id=doc_id, action=action) for doc_id in doc_ids],
            update_conflicts=True,
            unique_fields=["doc_id"],
            update_fields=["action", "queued_at"],
            batch_size=500,
        )
        queued = timezone.now()
        if not self.should_try_primary():
            self._replay_due = self._behind = True
            return
        try:
            write()
        except BackendUnavailable as error:
            self.mark_down(error)
            self._replay_due = self._behind = True
            PendingIndexUpdate.objects.filter(doc_id__in=doc_ids).update(attempts=F("attempts") + 1)
            return
        self.mark_up()
        # Rows queued again after ours (another process, a newer edit) stay queued.
        PendingIndexUpdate.objects.filter(doc_id__in=doc_ids, queued_at__lte=queued).delete()

    def rebuild(
        self,
        documents: Iterable[IndexDocument],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Both indexes from the same documents; `progress` follows Elasticsearch's.

        The embedded index is rebuilt first, so when Elasticsearch cannot be reached
        (BackendUnavailable is raised) the site still answers from a fresh index.
        """
        started = timezone.now()
        documents = list(documents)  # both indexes are filled from them
        self.fallback.rebuild(documents)
        return self._rebuild_primary(documents, progress, started)

    def _rebuild_primary(self, documents, progress=None, started=None) -> int:
        started = started or timezone.now()
        try:
            written = self.primary.rebuild(documents, progress)
        except BackendUnavailable as error:
            self.mark_down(error)
            raise
        self.mark_up()
        # What was queued before the documents were read is in the new index.
        PendingIndexUpdate.objects.filter(queued_at__lt=started).delete()
        self._set_complete(True)
        return written

    # Catching up ---------------------------------------------------------------------

    def catch_up_due(self) -> bool:
        """Work for `catch_up`: known to this process, else looked up every check_seconds.

        Answering yes uses up what this process knew, so a catch-up handed to a task
        worker is asked for once, not after every request until the worker has run.
        """
        if not self.should_try_primary():
            return False
        with self._lock:
            known = self._replay_due or self._rebuild_due
            self._replay_due = self._rebuild_due = False
        if known:
            return True
        now = self.clock()
        if now < self._next_queue_look:
            return False
        self._next_queue_look = now + self.check_seconds
        waiting = PendingIndexUpdate.objects.exists()
        if not waiting:
            self._behind = False  # caught up elsewhere (a task worker, a command)
        return waiting

    def catch_up(self, limit: int | None = None, force: bool = False) -> int:
        """Rebuild a missing or incomplete index if small enough, then replay the queue.

        Returns how many documents were sent (a rebuild sends them all). One catch-up
        at a time per process; a failure marks the server down and keeps the queue.
        """
        if not force and not self.should_try_primary():
            return 0
        if not self._catching_up.acquire(blocking=False):
            return 0
        try:
            sent = 0
            if not self.index_is_complete(fresh=force or not self._complete):
                sent = self._rebuild_incomplete_index()
            return sent + self._replay(limit)
        except BackendUnavailable as error:
            self.mark_down(error)
            return 0
        finally:
            self._catching_up.release()

    def _rebuild_incomplete_index(self) -> int:
        total = self.source.count_documents()
        if total > AUTO_REBUILD_LIMIT:
            logger.error(
                "Search server's index is incomplete and %d documents are too many to "
                "rebuild by itself: run `manage.py search_index rebuild`",
                total,
            )
            return 0
        if not cache.add(REBUILD_LOCK, os.getpid(), REBUILD_LOCK_SECONDS):
            return 0  # another process is rebuilding it
        try:
            logger.warning("Rebuilding the search server's index from the database")
            written = self._rebuild_primary(self.source.all_documents())
        finally:
            cache.delete(REBUILD_LOCK)
        logger.warning("Search server's index rebuilt: %d documents", written)
        return written

    def _replay(self, limit: int | None) -> int:
        """Send queued writes, REPLAY_BATCH at a time, as the database has them now."""
        sent = 0
        while True:
            if limit is not None and sent >= limit:
                self._replay_due = True  # perhaps more: after the next response
                return sent
            size = REPLAY_BATCH if limit is None else min(REPLAY_BATCH, limit - sent)
            pending = list(PendingIndexUpdate.objects.order_by("queued_at", "pk")[:size])
            if not pending:
                self._behind = False
                return sent
            pks = [update.pk for update in pending]
            current, gone = self.source.documents_for_ids(update.doc_id for update in pending)
            try:
                if current:
                    self.primary.index(current)
                if gone:
                    self.primary.delete(gone)
            except BackendUnavailable:
                PendingIndexUpdate.objects.filter(pk__in=pks).update(attempts=F("attempts") + 1)
                raise
            self.mark_up()
            # Only what was sent: a row queued again meanwhile carries a later time.
            newest = max(update.queued_at for update in pending)
            PendingIndexUpdate.objects.filter(pk__in=pks, queued_at__lte=newest).delete()
            sent += len(pending)


_backends: dict[str, SearchBackend] = {}
_lock = threading.Lock()


def elasticsearch_backend():
    # Imported here: the Elasticsearch client and DSL take 0.2 s to import, and the
    # embedded default (every `make run`, most processes) never needs them.
    from search.backends.elasticsearch import ElasticsearchBackend

    node_class = settings.ELASTICSEARCH_NODE_CLASS
    return ElasticsearchBackend(
        url=settings.ELASTICSEARCH_URL,
        node_class=import_string(node_class) if node_class else None,
        timeout=settings.ELASTICSEARCH_TIMEOUT,
    )


def get_search_backend() -> SearchBackend:
    """The configured search (cached per process and per URL)."""
    key = settings.ELASTICSEARCH_URL or "embedded"
    with _lock:
        if key not in _backends:
            if settings.ELASTICSEARCH_URL:
                # Imported here: cycle, search.registry imports search.documents, which
                # imports this package.
                from search import registry

                _backends[key] = FallbackBackend(
                    elasticsearch_backend(), EmbeddedBackend(), source=registry
                )
            else:
                _backends[key] = EmbeddedBackend()
        return _backends[key]


def reset_backends() -> None:
    """Forget cached backends (tests that change settings)."""
    with _lock:
        _backends.clear()

"""Keep the search index in step with the database (the source of truth).

Every change reaches the index through document ids: a signal (search/signals.py)
names the documents a change touches, and once the transaction commits,
`update_documents` reads them afresh from the database through the registry
(search/registry.py) and writes them to the configured backend, or removes those
with nothing searchable behind them any more. It is a task (django-tasks): the
default backend runs it right after the commit; a production task queue runs it in a
worker, so editors never wait on the index.

With Elasticsearch, writes the server misses stay queued in the fallback backend
(search/backends/__init__.py) and are replayed by `catch_up_after_response`, after
a response has gone out, once the server answers again.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Exists, OuterRef
from django_tasks import task

from casestudies.models import Country
from search import registry
from search.backends import REPLAY_BATCH, get_search_backend
from search.models import SearchDocument

logger = logging.getLogger("search")


def schedule(instance) -> None:
    """Reindex (or remove) one object once the current transaction commits."""
    doc_id = registry.doc_id_for(instance)
    if doc_id is not None:
        schedule_ids([doc_id])


def schedule_ids(doc_ids) -> None:
    """Reindex (or remove) these documents once the current transaction commits."""
    doc_ids = list(dict.fromkeys(doc_ids))
    if not doc_ids:
        return

    def enqueue():
        for batch in registry.batched(doc_ids):
            update_documents.enqueue(batch)

    transaction.on_commit(enqueue)


@task()
def update_documents(doc_ids: list[str]) -> int:
    """Write these documents as the database has them now; returns how many exist."""
    current, gone = registry.documents_for_ids(doc_ids)
    backend = get_search_backend()
    if current:
        backend.index(current)
    if gone:
        backend.delete(gone)
    return len(current)


def reindex_type(name: str, **kwargs) -> None:
    """Every document of one type (after a bulk import, which sends no model signals)."""
    searchable = registry.get(name)
    schedule_ids(searchable.doc_ids(searchable.model_class.objects.all()))


def reindex_all_commitments(**kwargs) -> None:
    reindex_type("commitment")


def reindex_reform_records(source: str, deleted_ids=(), **kwargs) -> None:
    """After an import replaced one source's reform records: index them, drop the removed."""
    searchable = registry.get("reform")
    current = searchable.doc_ids(searchable.model_class.objects.filter(source=source))
    schedule_ids(current + [f"reform-{pk}" for pk in deleted_ids])


def reindex_related(model, pks, fields=None) -> None:
    """Documents copying fields of these rows of a related model (a country, a theme).

    For code that changes reference data in bulk (an importer), which sends no model
    signals: call it with the changed rows' primary keys.
    """
    schedule_ids(registry.related_doc_ids(model, pks, fields))


def reindex_drifted_countries(**kwargs) -> None:
    """After a country import (bulk writes, no model signals): the documents of every
    country whose name, region or income group differs from what its documents copied.

    The embedded index records what they copied (Elasticsearch holds the same), so one
    query finds the drift, and a membership-only import reindexes nothing.
    """
    copied = SearchDocument.objects.filter(country=OuterRef("iso3")).exclude(
        country_name=OuterRef("name"),
        region=OuterRef("region"),
        income_group=OuterRef("income_group"),
    )
    drifted = Country.objects.filter(Exists(copied)).values_list("pk", flat=True)
    reindex_related(Country, drifted)


def reindex_subtree(page) -> None:
    """The pages at and below `page`, whose URLs or visibility follow it."""
    schedule_ids(registry.subtree_doc_ids(page))


@task()
def flush_pending_updates(limit: int | None = None, force: bool = False) -> int:
    """Send writes the search server missed; returns how many documents were sent.

    While the server is known to be down it is not asked again before the retry
    interval, unless `force` (`search_index sync`).
    """
    return get_search_backend().catch_up(limit=limit, force=force)


def catch_up_after_response(**kwargs) -> None:
    """After each response (`request_finished`): replay missed writes if there are any.

    Django sends `request_finished` when the WSGI server closes the response, after
    sending it, so the visitor does not wait; the worker then sends one bounded batch
    (REPLAY_BATCH documents, or the rebuild of a missing index up to the fallback's
    limit) before taking its next request. Asking whether there is work costs nothing
    on most requests: the backend knows what it queued itself, and looks for what
    other processes queued at most once a minute. A failure here never reaches the
    visitor; it is logged.
    """
    try:
        if get_search_backend().catch_up_due():
            flush_pending_updates.enqueue(limit=REPLAY_BATCH)
    except Exception:
        logger.exception("Catching up the search index after a response failed")

"""Keep the search index in step with the database (the source of truth).

Publishing, unpublishing, editing or deleting content updates the embedded
index right after the transaction commits (a few rows in the same database).
Elasticsearch updates are queued as `PendingIndexUpdate` rows and sent by a
background task, so editors never wait on the search server; when it is down
the rows stay queued and are replayed once it answers again.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F
from django_tasks import task

from search import documents
from search.backends import FallbackSearch, get_search_backend
from search.backends.base import BackendUnavailable
from search.backends.embedded import EmbeddedBackend
from search.models import PendingIndexUpdate

logger = logging.getLogger("search")


def document_id_for(instance) -> str | None:
    from casestudies.models import CaseStudyPage, Commitment, ReformRecord
    from learning.models import CoursePage, FellowshipPage

    if isinstance(instance, CaseStudyPage):
        return f"casestudy-{instance.pk}"
    if isinstance(instance, CoursePage):
        return f"course-{instance.pk}"
    if isinstance(instance, FellowshipPage):
        return f"fellowship-{instance.pk}"
    if isinstance(instance, Commitment):
        return f"commitment-{instance.identifier}"
    if isinstance(instance, ReformRecord):
        return f"reform-{instance.pk}"
    return None


def document_for(instance):
    """The index document for a live object, or None when it should not be searchable."""
    from casestudies.models import CaseStudyPage, Commitment, ReformRecord
    from learning.models import CoursePage, FellowshipPage

    if isinstance(instance, FellowshipPage):
        fellowship = (
            FellowshipPage.objects.live()
            .public()
            .select_related("host_country")
            .prefetch_related("themes")
            .filter(pk=instance.pk)
            .first()
        )
        return documents.from_fellowship(fellowship) if fellowship else None
    if isinstance(instance, CoursePage):
        course = (
            CoursePage.objects.live()
            .public()
            .prefetch_related("themes")
            .filter(pk=instance.pk)
            .first()
        )
        return documents.from_course(course) if course else None
    if isinstance(instance, CaseStudyPage):
        page = (
            CaseStudyPage.objects.live()
            .public()
            .select_related("country")
            .prefetch_related("themes")
            .filter(pk=instance.pk)
            .first()
        )
        return documents.from_case_study(page) if page else None
    if isinstance(instance, Commitment):
        commitment = (
            Commitment.objects.select_related("country")
            .prefetch_related("themes")
            .filter(pk=instance.pk)
            .first()
        )
        return documents.from_commitment(commitment) if commitment else None
    if isinstance(instance, ReformRecord):
        record = (
            ReformRecord.objects.select_related("country", "theme").filter(pk=instance.pk).first()
        )
        return documents.from_reform_record(record) if record else None
    return None


def schedule(instance, deleted: bool = False) -> None:
    """Reindex (or remove) one object once the current transaction commits."""
    doc_id = document_id_for(instance)
    if doc_id is None:
        return
    transaction.on_commit(lambda: apply(doc_id, None if deleted else instance))


def apply(doc_id: str, instance) -> None:
    document = document_for(instance) if instance is not None else None
    embedded = EmbeddedBackend()
    if document is None:
        embedded.delete([doc_id])
    else:
        embedded.index([document])
    backend = get_search_backend()
    if isinstance(backend, FallbackSearch):
        action = PendingIndexUpdate.Action.DELETE if document is None else "index"
        PendingIndexUpdate.objects.update_or_create(doc_id=doc_id, defaults={"action": action})
        flush_pending_updates.enqueue()


def reindex_all_commitments(**kwargs) -> None:
    """After a bulk import: refresh every commitment document in the embedded index."""
    embedded = EmbeddedBackend()
    embedded.index(documents.commitment_documents())
    if isinstance(get_search_backend(), FallbackSearch):
        from casestudies.models import Commitment

        PendingIndexUpdate.objects.bulk_create(
            [
                PendingIndexUpdate(doc_id=f"commitment-{identifier}", action="index")
                for identifier in Commitment.objects.values_list("identifier", flat=True)
            ],
            update_conflicts=True,
            unique_fields=["doc_id"],
            update_fields=["action", "queued_at"],
            batch_size=500,
        )
        flush_pending_updates.enqueue()


def reindex_reform_records(source: str, deleted_ids=(), **kwargs) -> None:
    """After an import replaced one source's reform records: index them, drop the removed."""
    from casestudies.models import ReformRecord

    removed = [f"reform-{pk}" for pk in deleted_ids]
    embedded = EmbeddedBackend()
    embedded.index(documents.reform_record_documents(source))
    if removed:
        embedded.delete(removed)
    if isinstance(get_search_backend(), FallbackSearch):
        current = ReformRecord.objects.filter(source=source).values_list("pk", flat=True)
        PendingIndexUpdate.objects.bulk_create(
            [PendingIndexUpdate(doc_id=f"reform-{pk}", action="index") for pk in current]
            + [
                PendingIndexUpdate(doc_id=doc_id, action=PendingIndexUpdate.Action.DELETE)
                for doc_id in removed
            ],
            update_conflicts=True,
            unique_fields=["doc_id"],
            update_fields=["action", "queued_at"],
            batch_size=500,
        )
        flush_pending_updates.enqueue()


def _instance_for(doc_id: str):
    from casestudies.models import CaseStudyPage, Commitment, ReformRecord
    from learning.models import CoursePage, FellowshipPage

    kind, _, key = doc_id.partition("-")
    if kind == "casestudy":
        return CaseStudyPage.objects.filter(pk=key).first()
    if kind == "course":
        return CoursePage.objects.filter(pk=key).first()
    if kind == "fellowship":
        return FellowshipPage.objects.filter(pk=key).first()
    if kind == "commitment":
        return Commitment.objects.filter(identifier=key).first()
    if kind == "reform" and key.isdigit():
        return ReformRecord.objects.filter(pk=key).first()
    return None


@task()
def flush_pending_updates(batch_size: int = 500, force: bool = False) -> int:
    """Send queued updates to Elasticsearch; returns how many were applied.

    While the server is known to be down, flushes after an edit do not try it again
    before the retry interval: with the default task backend the flush runs inside
    the editor's request, and a hung server would make every save wait for the
    timeout. `force` (`search_index sync`) always tries.
    """
    backend = get_search_backend()
    if not isinstance(backend, FallbackSearch):
        return 0
    if not force and not backend.should_try_primary():
        return 0
    applied = 0
    while True:
        pending = list(PendingIndexUpdate.objects.order_by("queued_at")[:batch_size])
        if not pending:
            return applied
        to_index, to_delete = [], []
        for update in pending:
            instance = _instance_for(update.doc_id)
            document = document_for(instance) if instance is not None else None
            (to_index if document else to_delete).append(document or update.doc_id)
        try:
            if to_index:
                backend.primary.index(to_index)
            if to_delete:
                backend.primary.delete(to_delete)
        except BackendUnavailable as error:
            backend.mark_down(error)
            PendingIndexUpdate.objects.filter(pk__in=[u.pk for u in pending]).update(
                attempts=F("attempts") + 1
            )
            return applied
        backend.mark_up()
        # Only remove what was sent: a row re-queued meanwhile has a newer queued_at.
        for update in pending:
            PendingIndexUpdate.objects.filter(pk=update.pk, queued_at=update.queued_at).delete()
        applied += len(pending)

"""Wire content changes to the index sync and the thesaurus cache."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from casestudies.importers.reforms import reform_records_imported
from casestudies.models import CaseStudyPage, Commitment, ReformRecord, Theme
from casestudies.signals import commitments_imported
from search import sync, thesaurus, understanding


def _page_published(sender, instance, **kwargs):
    sync.schedule(instance)


def _page_removed(sender, instance, **kwargs):
    sync.schedule(instance, deleted=True)


def _commitment_saved(sender, instance, **kwargs):
    sync.schedule(instance)


def _reform_record_saved(sender, instance, **kwargs):
    sync.schedule(instance)


def _commitment_themes_changed(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Commitment):
        sync.schedule(instance)


def connect():
    from learning.models import CoursePage, FellowshipPage

    for page_type in (CaseStudyPage, CoursePage, FellowshipPage):
        name = page_type.__name__
        page_published.connect(_page_published, sender=page_type, dispatch_uid=f"pub-{name}")
        page_unpublished.connect(_page_removed, sender=page_type, dispatch_uid=f"unpub-{name}")
        post_delete.connect(_page_removed, sender=page_type, dispatch_uid=f"del-{name}")
    post_save.connect(_commitment_saved, sender=Commitment, dispatch_uid="search-c-save")
    post_delete.connect(_page_removed, sender=Commitment, dispatch_uid="search-c-del")
    m2m_changed.connect(
        _commitment_themes_changed, sender=Commitment.themes.through, dispatch_uid="search-c-m2m"
    )
    commitments_imported.connect(sync.reindex_all_commitments, dispatch_uid="search-import")
    post_save.connect(_reform_record_saved, sender=ReformRecord, dispatch_uid="search-r-save")
    post_delete.connect(_page_removed, sender=ReformRecord, dispatch_uid="search-r-del")
    reform_records_imported.connect(sync.reindex_reform_records, dispatch_uid="search-r-import")
    for signal in (post_save, post_delete):
        signal.connect(thesaurus.invalidate, sender=Theme, dispatch_uid=f"thesaurus-{signal}")
    # The goal reader learns from themes and the IRM-tagged commitments (search/understanding.py).
    for signal in (post_save, post_delete):
        for model in (Theme, Commitment):
            signal.connect(
                understanding.invalidate, sender=model, dispatch_uid=f"reader-{model}-{signal}"
            )
    commitments_imported.connect(understanding.invalidate, dispatch_uid="reader-import")

"""Wire content changes to the index sync and the thesaurus cache.

Everything index-related is derived from the registry of searchable types
(search/registry.py), as django-modelsearch registers its signal handlers from
`get_indexed_models()`:
- pages: published, unpublished, deleted; moved or renamed (their URL and those of the
  pages below change), and view restrictions added or removed above them;
- other indexed models: saved or deleted, and their many-to-many relations changed;
- related models (countries, themes): a change to a field the documents copy reindexes
  every document that copies it; deleting one reindexes those that referred to it.
"""

from django.core.signals import request_finished
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from casestudies.importers.reforms import reform_records_imported
from casestudies.models import Commitment, Country, Theme
from casestudies.signals import commitments_imported, countries_imported
from search import peers, registry, sync, thesaurus, understanding

# Where pre_save and pre_delete leave what post_save and post_delete need.
BEFORE_SAVE = "_search_copied_fields"
BEFORE_DELETE = "_search_documents"


def _changed(sender, instance, **kwargs):
    sync.schedule(instance)


def _page_moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    if url_path_before != url_path_after:
        sync.reindex_subtree(instance)


def _page_slug_changed(sender, instance, **kwargs):
    sync.reindex_subtree(instance)


def _view_restriction_changed(sender, instance, **kwargs):
    sync.reindex_subtree(instance.page)


def _remember_copied_fields(sender, instance, **kwargs):
    """Before a country or theme is saved: the values documents copy, as stored."""
    if instance.pk is not None:
        fields = registry.related_models()[sender]
        stored = sender._default_manager.filter(pk=instance.pk).values(*fields).first()
        setattr(instance, BEFORE_SAVE, stored)


def _related_saved(sender, instance, created, **kwargs):
    stored = instance.__dict__.pop(BEFORE_SAVE, None)
    if created or stored is None:
        return  # nothing refers to a new row yet
    changed = [name for name, value in stored.items() if getattr(instance, name) != value]
    if changed:
        sync.reindex_related(sender, [instance.pk], changed)


def _remember_documents(sender, instance, **kwargs):
    """Before a country or theme is deleted, while the rows that refer to it still do."""
    setattr(instance, BEFORE_DELETE, registry.related_doc_ids(sender, [instance.pk]))


def _related_deleted(sender, instance, **kwargs):
    sync.schedule_ids(instance.__dict__.pop(BEFORE_DELETE, ()))


def _many_to_many_changed(searchable, path):
    """A handler for one indexed model's many-to-many field, changed from either side."""

    def changed(sender, instance, action, reverse, pk_set, **kwargs):
        if not reverse:  # commitment.themes.add(theme)
            if action in {"post_add", "post_remove", "post_clear"}:
                sync.schedule(instance)
        elif action in {"post_add", "post_remove"}:  # theme.commitments.add(commitment)
            sync.schedule_ids(
                searchable.doc_ids(searchable.model_class.objects.filter(pk__in=pk_set))
            )
        elif action == "pre_clear":  # theme.commitments.clear(): who they were, first
            rows = searchable.model_class.objects.filter(**{path: instance})
            sync.schedule_ids(searchable.doc_ids(rows))

    return changed


def connect():
    for searchable in registry.TYPES:
        model, name = searchable.model_class, searchable.name
        if searchable.pages:
            page_published.connect(_changed, sender=model, dispatch_uid=f"search-pub-{name}")
            page_unpublished.connect(_changed, sender=model, dispatch_uid=f"search-unpub-{name}")
        else:
            post_save.connect(_changed, sender=model, dispatch_uid=f"search-save-{name}")
            for related in searchable.related:
                field = model._meta.get_field(related.path)
                if field.many_to_many:
                    m2m_changed.connect(
                        _many_to_many_changed(searchable, related.path),
                        sender=field.remote_field.through,
                        dispatch_uid=f"search-m2m-{name}-{related.path}",
                        weak=False,
                    )
        post_delete.connect(_changed, sender=model, dispatch_uid=f"search-del-{name}")
    for model in registry.related_models():
        label = model._meta.label_lower
        pre_save.connect(_remember_copied_fields, sender=model, dispatch_uid=f"search-pre-{label}")
        post_save.connect(_related_saved, sender=model, dispatch_uid=f"search-post-{label}")
        pre_delete.connect(_remember_documents, sender=model, dispatch_uid=f"search-pdel-{label}")
        post_delete.connect(_related_deleted, sender=model, dispatch_uid=f"search-del-{label}")
    # Any page: moving or renaming one changes the URL of every page below it.
    post_page_move.connect(_page_moved, dispatch_uid="search-page-moved")
    page_slug_changed.connect(_page_slug_changed, dispatch_uid="search-page-slug")
    for signal in (post_save, post_delete):
        signal.connect(
            _view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"search-restriction-{signal}",
        )
    # Importers write in bulk, so model signals do not fire; they send these instead.
    commitments_imported.connect(sync.reindex_all_commitments, dispatch_uid="search-import")
    reform_records_imported.connect(sync.reindex_reform_records, dispatch_uid="search-r-import")
    countries_imported.connect(sync.reindex_drifted_countries, dispatch_uid="search-c-import")
    # Queued Elasticsearch writes replay by themselves once the server is back.
    request_finished.connect(sync.catch_up_after_response, dispatch_uid="search-catch-up")

    for signal in (post_save, post_delete):
        signal.connect(thesaurus.invalidate, sender=Theme, dispatch_uid=f"thesaurus-{signal}")
    # The goal reader learns from themes and the IRM-tagged commitments (search/understanding.py).
    for signal in (post_save, post_delete):
        for model in (Theme, Commitment):
            signal.connect(
                understanding.invalidate, sender=model, dispatch_uid=f"reader-{model}-{signal}"
            )
    commitments_imported.connect(understanding.invalidate, dispatch_uid="reader-import")
    # Peer matching keeps every country's profile in the shared cache (search/peers.py).
    countries_imported.connect(peers.forget_country_profiles, dispatch_uid="profiles-import")
    for signal in (post_save, post_delete):
        signal.connect(
            peers.forget_country_profiles, sender=Country, dispatch_uid=f"profiles-{signal}"
        )

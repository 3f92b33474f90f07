"""What retires the cached pages: the core page cache wired to the apps' signals.

Here, in the top layer, because it names the apps' models and signals; the page cache
itself (exchange.core.page_cache) knows none of them. Connected by ExchangeConfig.ready().
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from casestudies.importers.reforms import reform_records_imported
from casestudies.models import Commitment, Country, ReformRecord, Theme
from casestudies.signals import commitments_imported, countries_imported
from exchange.core.page_cache import invalidate
from exchange.models import SiteSettings
from exchange.site_frame import FRAME_DEPTH


def _settings_saved(sender, created, **kwargs) -> None:
    # The first page rendered creates the settings row with its defaults: nothing changed.
    if not created:
        invalidate()


def _page_saved(sender, instance, created, **kwargs) -> None:
    # What the site frame keeps (exchange.site_frame.SiteFrame) that a save changes
    # without a publish: the row of the site's root page or of a section (a draft, a lock),
    # the children of one (a page added under it), and where view restrictions apply (an
    # alias of a restricted page is restricted too).
    if (
        instance.depth <= FRAME_DEPTH
        or (created and instance.depth == FRAME_DEPTH + 1)
        or instance.alias_of_id is not None
    ):
        invalidate()


def connect() -> None:
    """Retire the cached pages (exchange.core.page_cache) on every content change."""
    page_published.connect(invalidate, dispatch_uid="page-cache-published")
    page_unpublished.connect(invalidate, dispatch_uid="page-cache-unpublished")
    post_page_move.connect(invalidate, dispatch_uid="page-cache-moved")
    # Deleting a page of any type deletes its Page row too, which sends this.
    post_delete.connect(invalidate, sender=Page, dispatch_uid="page-cache-page-delete")
    # Importers write in bulk (no post_save) and send these once they have committed.
    commitments_imported.connect(invalidate, dispatch_uid="page-cache-import")
    reform_records_imported.connect(invalidate, dispatch_uid="page-cache-reform-import")
    countries_imported.connect(invalidate, dispatch_uid="page-cache-country-import")
    for model in (Commitment, Country, Theme, ReformRecord):
        name = model.__name__
        post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-save-{name}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-del-{name}")
    post_save.connect(_settings_saved, sender=SiteSettings, dispatch_uid="page-cache-settings")
    # Every page is served through what these are cached as (exchange.site_frame).
    post_delete.connect(invalidate, sender=SiteSettings, dispatch_uid="page-cache-settings-del")
    for model in (Site, PageViewRestriction):
        name = model.__name__
        post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-save-{name}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-del-{name}")
    # A save sends post_save for the page's own type only, never for Page.
    for model in get_page_models():
        label = model._meta.label
        post_save.connect(_page_saved, sender=model, dispatch_uid=f"page-cache-frame-{label}")
    m2m_changed.connect(
        invalidate, sender=Commitment.themes.through, dispatch_uid="page-cache-c-themes"
    )

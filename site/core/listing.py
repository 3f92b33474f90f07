"""One listing idiom for every filtered list: case studies, courses, fellowships, countries.

A listing is a queryset in its order, a django-filter FilterSet read from the URL's query
string and a page of the results:

- `ListingFilterSet` is the FilterSet base. Options read from the content (the themes
  or countries some listed item has) come from `content_choices()`, kept in the shared
  content cache under the listing's `choices_key` until the content changes. Its
  single-choice filters draw with `QuickSelect` (exchange.core.widgets), unless a filter
  names its own widget. A listing read at one moment (fellowships open or closed) gets it
  as `now`. `results()` applies the filters whose values are valid; what
  happens to an invalid value (an unknown theme slug, a level that does not exist) is the
  listing's choice, unchanged from before the listings shared this code: the case-study
  listing lists nothing (`invalid_lists_nothing`), the others ignore that filter and show
  the error on the form.
- `listing_context()` builds what the templates read: `filter` (the FilterSet),
  `filter_form` (its form), the page of results under the listing's name and `paginator`.
  A page number that is not a number shows the first page, one past the end the last page.
- `ListingPage` is the abstract Wagtail page for a section's index (`/case-studies/`,
  `/courses/`, `/fellowships/`): intro, panels, parent type, one per site, page size and
  context. A subclass names its `filterset_class` and `items_name` and says what it lists
  in `listing_queryset()`. The country list is a plain view and calls `listing_context()`.

Template: `templates/listing_page.html` draws the frame of the three page listings.
"""

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from exchange.core.page_cache import content_cached
from exchange.core.visibility import Visibility, visibility_of
from exchange.core.widgets import QuickSelect


class ListingFilterSet(django_filters.FilterSet):
    """A listing's filters, read from the query string."""

    # True: an invalid value lists nothing; False: that filter is ignored (and its error
    # shown on the form), the valid ones still apply.
    invalid_lists_nothing = False

    def __init__(self, data=None, queryset=None, *, now=None, choices_key=None, **kwargs):
        self.now = now or timezone.now()
        super().__init__(data, queryset, **kwargs)
        # Reading these took two to four queries on every request; they change only with
        # the content. `choices_key` names this listing's (one per index page).
        if choices_key is None:
            choices = self.content_choices()
        else:
            choices = content_cached({choices_key: self.content_choices})[choices_key]
        for name, options in choices.items():
            self.filters[name].extra["choices"] = options
        # Same markup as Django's select, drawn without a template per option.
        for filter_ in self.filters.values():
            if "widget" not in filter_.extra and filter_.field_class.widget is forms.Select:
                filter_.extra["widget"] = QuickSelect

    def content_choices(self) -> dict[str, list[tuple[str, str]]]:
        """The options of the filters that offer what the listed items hold (a theme, a
        country), by filter name, labelled in the reader's language: a filter that can only
        return nothing is noise. Read from `self.queryset`, unfiltered."""
        return {}

    def results(self):
        """The filtered queryset (all of it when the URL asks for no filter)."""
        if not self.is_bound:
            return self.queryset
        if not self.form.is_valid() and self.invalid_lists_nothing:
            return self.queryset.none()
        # Only the valid fields are in cleaned_data: an invalid one filters nothing.
        return self.filter_queryset(self.queryset)


def listing_context(
    request, queryset, filterset_class, page_size, *, items_name, now=None, choices_key=None
):
    """The filter, its form and the page of results asked for by `request`'s query string."""
    filterset = filterset_class(
        request.GET or None, queryset=queryset, now=now, choices_key=choices_key
    )
    page = Paginator(filterset.results(), page_size).get_page(request.GET.get("page"))
    return {
        "filter": filterset,
        "filter_form": filterset.form,
        items_name: page,
        "paginator": page.paginator,
    }


class ListingPage(Page):
    """The index page of a section: its children, filtered from the URL, a page at a time."""

    intro = models.TextField(blank=True, help_text="One or two sentences above the list.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["exchange.HomePage"]
    max_count = 1
    page_size = 12

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    # Set by each listing: the FilterSet or its dotted path (filters import the models).
    filterset_class: type[ListingFilterSet] | str
    items_name: str = "items"

    class Meta:
        abstract = True

    def listing_queryset(self, now, visibility: Visibility | None = None):
        """What the listing shows before any filter, in its order: live public pages
        (`live_public(pages, visibility)`), as of `now`."""
        raise NotImplementedError

    def get_filterset_class(self) -> type[ListingFilterSet]:
        if isinstance(self.filterset_class, str):
            return import_string(self.filterset_class)
        return self.filterset_class

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context.update(
            listing_context(
                request,
                self.listing_queryset(now, visibility_of(request)),
                self.get_filterset_class(),
                self.page_size,
                items_name=self.items_name,
                now=now,
                # The options in each language are another entry (content_cached).
                choices_key=f"listing-choices:{self.pk}",
            )
        )
        return context

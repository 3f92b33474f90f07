"""Snippet choosers that search reference data in the database, as the listings do.

Wagtail's chooser searches its search index, which bulk imports never fill: in the
case-study editor, "Choose country" answered "no snippets match 'Ghana'". Countries and
commitments are small tables, so the chooser matches a case-insensitive substring
(or an exact code) on the columns an editor knows them by.
"""

from django import forms
from django.db.models import Q
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet


class DatabaseSearchFilterForm(BaseFilterForm):
    q = forms.CharField(
        label="Search term",
        widget=forms.TextInput(attrs={"placeholder": "Search"}),
        required=False,
        max_length=200,
    )
    lookups: tuple[str, ...] = ()

    def filter(self, objects):
        objects = super().filter(objects)
        query = " ".join((self.cleaned_data.get("q") or "").split())
        if query:
            condition = Q()
            for lookup in self.lookups:
                condition |= Q(**{lookup: query})
            objects = objects.filter(condition)
            self.is_searching = True
            self.search_query = query
        return objects


def database_chooser_viewset(*lookups: str) -> type[SnippetChooserViewSet]:
    """A chooser viewset whose search is `lookups` ORed, e.g. "name__icontains"."""
    form = type("DatabaseSearchFilterForm", (DatabaseSearchFilterForm,), {"lookups": lookups})
    return type(
        "DatabaseSearchChooserViewSet",
        (SnippetChooserViewSet,),
        {
            "choose_view_class": type("ChooseView", (ChooseView,), {"filter_form_class": form}),
            "choose_results_view_class": type(
                "ChooseResultsView", (ChooseResultsView,), {"filter_form_class": form}
            ),
        },
    )

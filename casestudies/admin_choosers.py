"""Snippet choosers that search reference data in the database, as the listings do.

Wagtail's chooser searches its search index, which bulk imports never fill: in the
case-study editor, "Choose country" answered "no snippets match 'Ghana'". Countries and
commitments are small tables, so the chooser matches a case-insensitive substring
(or an exact code) on the columns an editor knows them by.

The commitment chooser also narrows to one country (the case-study editor opens it on
the country chosen in the same form; the editor may clear it to search every country)
and shows each commitment's IRM ratings, so an editor picks the evidence knowingly.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)

from casestudies.admin_widgets import irm_ratings
from casestudies.models import Commitment, Country


class DatabaseSearchFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search term"),
        widget=forms.TextInput(attrs={"placeholder": _("Search")}),
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


# Commitments --------------------------------------------------------------------------


class CommitmentFilterForm(DatabaseSearchFilterForm):
    lookups = ("title__icontains", "identifier__iexact", "member_name__icontains")
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.only("pk", "name"),
        required=False,
        empty_label=_("All countries"),
        # Wagtail's chooser searches again when a field with this attribute changes. Its
        # own id: the case-study form under the modal already has an "id_country".
        widget=forms.Select(
            attrs={"data-chooser-modal-search-filter": True, "id": "id_chooser_country"}
        ),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        country = self.cleaned_data.get("country")
        if country is not None:
            objects = objects.filter(country=country)
        return objects


class CommitmentColumnsMixin:
    """Rows that show where a commitment is from and how the IRM rated it."""

    def get_object_list(self):
        return Commitment.objects.select_related("country")

    @property
    def columns(self):
        return [
            self.title_column,
            Column("country", label=_("Country"), accessor="country"),
            Column("plan", label=_("Action plan"), accessor="action_plan_label"),
            Column(
                "potential_impact",
                label=_("Potential impact"),
                accessor=lambda c: c.get_potential_impact_display() or gettext("Not assessed"),
            ),
            Column(
                "completion",
                label=_("Completion"),
                accessor=lambda c: c.get_completion_display() or gettext("Not assessed"),
            ),
            Column(
                "starred",
                label=_("Starred"),
                accessor=lambda c: gettext("★ Starred") if c.starred else "",
            ),
        ]


class CommitmentChosenResponseMixin:
    """The chosen commitment with its ratings, for the editor's list of linked commitments."""

    def get_chosen_response_data(self, item):
        return {**super().get_chosen_response_data(item), "ratings": irm_ratings(item)}


class CommitmentChooserViewSet(SnippetChooserViewSet):
    choose_view_class = type(
        "CommitmentChooseView",
        (CommitmentColumnsMixin, ChooseView),
        {"filter_form_class": CommitmentFilterForm},
    )
    choose_results_view_class = type(
        "CommitmentChooseResultsView",
        (CommitmentColumnsMixin, ChooseResultsView),
        {"filter_form_class": CommitmentFilterForm},
    )
    chosen_view_class = type(
        "CommitmentChosenView", (CommitmentChosenResponseMixin, SnippetChosenView), {}
    )
    chosen_multiple_view_class = type(
        "CommitmentChosenMultipleView",
        (CommitmentChosenResponseMixin, SnippetChosenMultipleView),
        {},
    )

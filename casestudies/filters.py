"""The case-study listing's filters, read from and kept in the URL query string
(exchange.core.listing). An invalid value (an unknown theme) lists nothing."""

import django_filters
from django.db.models import Q

from casestudies.models import CaseStudyPage, CaseStudyStatus, Country, Theme
from exchange.core.listing import ListingFilterSet


def _country_choices() -> dict[str, list[tuple[str, str]]]:
    """The World Bank regions and income groups in use, read in one query."""
    pairs = set(Country.objects.order_by().values_list("region", "income_group").distinct())
    return {
        field: [(value, value) for value in sorted({pair[i] for pair in pairs} - {""})]
        for i, field in enumerate(("region", "income_group"))
    }


class CaseStudyFilter(ListingFilterSet):
    invalid_lists_nothing = True

    q = django_filters.CharFilter(method="filter_words", label="Words")
    # Theme and country choices come from published case studies only: a draft must not
    # show up, even as an option that then lists nothing.
    theme = django_filters.ModelChoiceFilter(
        field_name="themes",
        to_field_name="slug",
        queryset=Theme.objects.filter(case_studies__live=True).distinct(),
        empty_label="All themes",
    )
    country = django_filters.ModelChoiceFilter(
        to_field_name="iso3",
        queryset=Country.objects.filter(case_studies__live=True).distinct(),
        empty_label="All countries",
    )
    # Choices are set per request in __init__ (reference data can change without a restart).
    region = django_filters.ChoiceFilter(
        field_name="country__region", choices=[], empty_label="All regions"
    )
    income_group = django_filters.ChoiceFilter(
        field_name="country__income_group", choices=[], empty_label="All income groups"
    )
    status = django_filters.ChoiceFilter(choices=CaseStudyStatus.choices, empty_label="Any status")

    class Meta:
        model = CaseStudyPage
        fields = ["q", "theme", "country", "region", "income_group", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A plain list, not a callable: a callable is queried again each time the form
        # validates or draws the field.
        for field, choices in _country_choices().items():
            self.filters[field].extra["choices"] = choices

    def filter_words(self, queryset, name, value):
        # A simple title/summary match; full-text search lives in /search/.
        for word in value.split()[:10]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word))
        return queryset


class CountryFilter(ListingFilterSet):
    """`/countries/?region=<World Bank region>&members=1`.

    The region is matched as written (an unknown one lists no country); `members` is on
    only when it is `1`, any other value is ignored.
    """

    region = django_filters.CharFilter(strip=False)
    members = django_filters.CharFilter(method="filter_members", strip=False)

    class Meta:
        model = Country
        fields = ["region", "members"]

    def _value(self, name) -> str:
        if not self.is_bound or not self.form.is_valid():
            return ""
        return self.form.cleaned_data.get(name) or ""

    @property
    def region_asked(self) -> str:
        return self._value("region")

    @property
    def members_only(self) -> bool:
        return self._value("members") == "1"

    def filter_members(self, queryset, name, value):
        return queryset.ogp_members() if value == "1" else queryset

"""The case-study listing's filters, read from and kept in the URL query string
(exchange.core.listing). An invalid value (an unknown theme) lists nothing."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casestudies.models import CaseStudyPage, CaseStudyStatus, Country, Theme
from exchange.core.listing import ListingFilterSet
from exchange.core.reference_names import (
    countries_in_reader_order,
    income_groups_in_reader_order,
    regions_in_reader_order,
    themes_in_reader_order,
)


class CaseStudyFilter(ListingFilterSet):
    invalid_lists_nothing = True

    q = django_filters.CharFilter(method="filter_words", label=_("Words"))
    # Choices: content_choices().
    theme = django_filters.ChoiceFilter(
        field_name="themes__slug", label=_("Theme"), choices=[], empty_label=_("All themes")
    )
    country = django_filters.ChoiceFilter(
        field_name="country__iso3", label=_("Country"), choices=[], empty_label=_("All countries")
    )
    region = django_filters.ChoiceFilter(
        field_name="country__region", label=_("Region"), choices=[], empty_label=_("All regions")
    )
    income_group = django_filters.ChoiceFilter(
        field_name="country__income_group",
        label=_("Income group"),
        choices=[],
        empty_label=_("All income groups"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CaseStudyStatus.choices, empty_label=_("Any status")
    )

    class Meta:
        model = CaseStudyPage
        fields = ["q", "theme", "country", "region", "income_group", "status"]

    def content_choices(self):
        # Themes and countries of the listed (published) case studies only: a draft must not
        # show up, even as an option that then lists nothing. Regions and income groups:
        # every one in the reference data.
        pks = self.queryset.values("pk")
        themes = Theme.objects.filter(case_studies__in=pks).distinct()
        countries = Country.objects.filter(case_studies__in=pks).distinct()
        pairs = set(Country.objects.order_by().values_list("region", "income_group").distinct())
        return {
            "theme": themes_in_reader_order(themes.values_list("slug", "name")),
            "country": countries_in_reader_order(countries.values_list("iso3", "name")),
            "region": regions_in_reader_order({region for region, _ in pairs} - {""}),
            "income_group": income_groups_in_reader_order({group for _, group in pairs} - {""}),
        }

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

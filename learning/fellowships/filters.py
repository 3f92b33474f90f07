"""The fellowship listing's filters, kept in the URL (exchange.core.listing).

`/fellowships/?theme=&country=<iso3>&region=&status=`. An invalid value is ignored and shown
as an error on the form; the other filters apply. Theme, country and region choices are only
values some listed fellowship has: a filter that can only return nothing is noise.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from casestudies.models import Country, Theme
from exchange.core.listing import ListingFilterSet
from exchange.core.reference_names import (
    countries_in_reader_order,
    regions_in_reader_order,
    themes_in_reader_order,
)
from learning.fellowships.choices import FellowshipStatus
from learning.fellowships.models import FellowshipPage


class FellowshipFilter(ListingFilterSet):
    theme = django_filters.ChoiceFilter(
        field_name="themes__slug", label=_("Theme"), choices=[], empty_label=_("Any theme")
    )
    country = django_filters.ChoiceFilter(
        field_name="host_country__iso3",
        label=_("Host country"),
        choices=[],
        empty_label=_("Any country"),
    )
    region = django_filters.ChoiceFilter(
        field_name="host_country__region",
        label=_("Region"),
        choices=[],
        empty_label=_("Any region"),
    )
    status = django_filters.ChoiceFilter(
        method="filter_status",
        label=_("Status"),
        choices=FellowshipStatus.choices,
        empty_label=_("Open and closed"),
    )

    class Meta:
        model = FellowshipPage
        fields = ["theme", "country", "region", "status"]

    def content_choices(self):
        pks = self.queryset.values("pk")
        themes = Theme.objects.filter(fellowships__in=pks).distinct()
        countries = Country.objects.filter(hosted_fellowships__in=pks).distinct()
        regions = set(countries.values_list("region", flat=True)) - {""}
        return {
            "theme": themes_in_reader_order(themes.values_list("slug", "name")),
            "country": countries_in_reader_order(countries.values_list("iso3", "name")),
            "region": regions_in_reader_order(regions),
        }

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value, self.now)

"""The fellowship listing's filters, kept in the URL (exchange.core.listing).

`/fellowships/?theme=&country=<iso3>&region=&status=`. An invalid value is ignored and shown
as an error on the form; the other filters apply. Theme, country and region choices are only
values some listed fellowship has: a filter that can only return nothing is noise.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from casestudies.models import Country, Theme
from exchange.core.listing import ListingFilterSet
from exchange.core.reference_names import countries_in_reader_order, themes_in_reader_order
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pks = self.queryset.values("pk")
        self.filters["theme"].extra["choices"] = themes_in_reader_order(
            Theme.objects.filter(fellowships__in=pks).distinct().values_list("slug", "name")
        )
        countries = Country.objects.filter(hosted_fellowships__in=pks).distinct()
        self.filters["country"].extra["choices"] = countries_in_reader_order(
            countries.values_list("iso3", "name")
        )
        regions = sorted(set(countries.values_list("region", flat=True)) - {""})
        self.filters["region"].extra["choices"] = [(region, region) for region in regions]

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value, self.now)

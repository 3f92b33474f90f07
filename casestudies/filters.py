"""Listing filters, read from and kept in the URL query string."""

import django_filters
from django.db.models import Q

from casestudies.models import CaseStudyPage, CaseStudyStatus, Country, Theme


def _distinct_values(field):
    def choices():
        values = Country.objects.exclude(**{field: ""}).values_list(field, flat=True)
        return [(value, value) for value in sorted(set(values))]

    return choices


class CaseStudyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_words", label="Words")
    theme = django_filters.ModelChoiceFilter(
        field_name="themes",
        to_field_name="slug",
        queryset=Theme.objects.filter(case_studies__isnull=False).distinct(),
        empty_label="All themes",
    )
    country = django_filters.ModelChoiceFilter(
        to_field_name="iso3",
        queryset=Country.objects.filter(case_studies__isnull=False).distinct(),
        empty_label="All countries",
    )
    region = django_filters.ChoiceFilter(
        field_name="country__region", choices=_distinct_values("region"), empty_label="All regions"
    )
    income_group = django_filters.ChoiceFilter(
        field_name="country__income_group",
        choices=_distinct_values("income_group"),
        empty_label="All income groups",
    )
    status = django_filters.ChoiceFilter(choices=CaseStudyStatus.choices, empty_label="Any status")

    class Meta:
        model = CaseStudyPage
        fields = ["q", "theme", "country", "region", "income_group", "status"]

    def filter_words(self, queryset, name, value):
        # A simple title/summary match; full-text search lives in /search/.
        for word in value.split()[:10]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word))
        return queryset

    def results(self):
        """The filtered queryset; an invalid value (an unknown theme) lists nothing."""
        if not self.is_valid():
            return self.queryset.none()
        return self.qs

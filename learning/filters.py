"""The course listing's filters, kept in the URL (exchange.core.listing).

`/courses/?theme=<slug>&level=`. An invalid value is ignored and shown as an error on the
form; the other filters apply. Theme choices are only themes some listed course has: a filter
that can only return nothing is noise. The fellowships' is learning/fellowships/filters.py.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from casestudies.models import Theme
from exchange.core.listing import ListingFilterSet
from exchange.core.reference_names import themes_in_reader_order
from learning.models import CourseLevel, CoursePage


class CourseFilter(ListingFilterSet):
    # Choices: content_choices().
    theme = django_filters.ChoiceFilter(
        field_name="themes__slug", label=_("Theme"), choices=[], empty_label=_("Any theme")
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=CourseLevel.choices, empty_label=_("Any level")
    )

    class Meta:
        model = CoursePage
        fields = ["theme", "level"]

    def content_choices(self):
        themes = Theme.objects.filter(courses__in=self.queryset.values("pk")).distinct()
        return {"theme": themes_in_reader_order(themes.values_list("slug", "name"))}

"""The course listing's filters, kept in the URL (`?theme=<slug>&level=<level>`)."""

from django import forms
from django.core.paginator import Paginator

from casestudies.models import Theme
from learning.models import CourseLevel


class CourseFilterForm(forms.Form):
    theme = forms.ChoiceField(required=False, label="Theme")
    level = forms.ChoiceField(
        required=False, label="Level", choices=[("", "Any level"), *CourseLevel.choices]
    )

    def __init__(self, data=None, *, courses):
        super().__init__(data or None)
        # Only themes some live course has: a filter that can only return nothing is noise.
        themes = (
            Theme.objects.filter(courses__in=courses.values("pk"))
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        )
        self.fields["theme"].choices = [("", "Any theme"), *themes]

    def filter(self, courses):
        if not self.is_bound:
            return courses
        self.is_valid()  # invalid values are reported on the form and ignored
        cleaned = getattr(self, "cleaned_data", {})
        if cleaned.get("theme"):
            courses = courses.filter(themes__slug=cleaned["theme"])
        if cleaned.get("level"):
            courses = courses.filter(level=cleaned["level"])
        return courses

    @staticmethod
    def paginate(courses, per_page, number):
        return Paginator(courses, per_page).get_page(number)

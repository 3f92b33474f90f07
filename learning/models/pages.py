"""Courses as Wagtail pages: index → course → module → lesson.

Lesson order in a course is the page tree order (modules in order, then their
lessons in order), live pages only, so editors reorder a course by dragging
pages in the admin.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from exchange.core.listing import ListingPage
from exchange.core.visibility import live_public
from learning.blocks import LessonBodyBlock

# How the sample courses' summaries open (learning/sample_content/*.yaml).
SAMPLE_SUMMARY_OPENING = "Sample content written by the Reform Exchange team."


def _serving():
    """learning.serving: what course and lesson pages show, and their POST routes."""
    # Imported here: cycle, serving → learning.progress → learning.models → this module
    # (the learning service works on these pages), so the pages reach it when they serve.
    from learning import serving

    return serving


class CourseLevel(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class CourseIndexPage(ListingPage):
    """`/courses/`: every published course, filterable by theme and level from the URL."""

    subpage_types = ["learning.CoursePage"]
    filterset_class = "learning.filters.CourseFilter"
    items_name = "courses"

    class Meta:
        verbose_name = "course index"

    # Page types by depth below this index, for the one-query routing below.
    ROUTE_MODELS = {1: "CoursePage", 2: "ModulePage", 3: "LessonPage"}

    def route(self, request, path_components):
        """Find a course, module or lesson in one query instead of two per level.

        Wagtail's routing loads every ancestor, each first as a plain page and then
        as its specific type; a lesson is three levels down. Anything this does not
        find (a sub-route such as `enrol/`, an unknown slug) falls back to it.
        """
        model_name = self.ROUTE_MODELS.get(len(path_components))
        if model_name is not None:
            model = globals()[model_name]
            url_path = self.url_path + "/".join(path_components) + "/"
            page = model.objects.filter(url_path=url_path).first()
            if page is not None:
                if len(path_components) == 1:
                    page._cached_parent_obj = self  # the course breadcrumb needs no query
                return page.route(request, [])
        return super().route(request, path_components)

    def listing_queryset(self, now, visibility=None):
        return (
            live_public(CoursePage.objects.child_of(self), visibility)
            .prefetch_related("themes")
            .annotate(
                completed_count=Count(
                    "enrollments", filter=Q(enrollments__completed_at__isnull=False)
                )
            )
            .order_by("path")
        )


def creates_prerequisite_cycle(course_pk, prerequisite_pks) -> bool:
    """Would requiring these courses make `course_pk` (indirectly) its own prerequisite?

    Such a course could never be enrolled in, so the admin refuses it.
    """
    seen, frontier = set(), set(prerequisite_pks)
    while frontier:
        if course_pk in frontier:
            return True
        seen |= frontier
        frontier = (
            set(CoursePage.objects.filter(required_by__in=frontier).values_list("pk", flat=True))
            - seen
        )
    return False


class CoursePageForm(WagtailAdminPageForm):
    def clean_prerequisites(self):
        chosen = self.cleaned_data["prerequisites"]
        if self.instance.pk and creates_prerequisite_cycle(
            self.instance.pk, [course.pk for course in chosen]
        ):
            raise ValidationError(
                "A course cannot require itself, directly or through its prerequisites."
            )
        return chosen


class CoursePage(RoutablePageMixin, Page):
    summary = models.TextField(max_length=500, help_text="One or two plain sentences.")
    level = models.CharField(
        max_length=20, choices=CourseLevel, default=CourseLevel.INTRODUCTORY, db_index=True
    )
    duration_hours = models.PositiveSmallIntegerField(
        default=1, help_text="About how many hours of study, quizzes included."
    )
    outcomes = models.TextField(
        blank=True, help_text="What a learner will be able to do, as a Markdown list."
    )
    themes = ParentalManyToManyField("casestudies.Theme", related_name="courses", blank=True)
    prerequisites = ParentalManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="required_by",
        help_text="Courses a learner must complete before enrolling in this one.",
    )
    is_sample = models.BooleanField(
        "sample content",
        default=False,
        help_text="Written by the Reform Exchange team as sample content; shown with a notice.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("level"), FieldPanel("duration_hours")]),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("prerequisites", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Course",
        ),
        FieldPanel("outcomes"),
        FieldPanel("is_sample"),
    ]
    parent_page_types = ["learning.CourseIndexPage"]
    subpage_types = ["learning.ModulePage"]
    base_form_class = CoursePageForm

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("outcomes"),
        index.RelatedFields("themes", [index.SearchField("name"), index.SearchField("synonyms")]),
        index.FilterField("level"),
    ]

    class Meta:
        verbose_name = "course"

    @property
    def lead_summary(self) -> str:
        """The summary without its opening "Sample content…" sentence, for the course page,
        where the sample notice above already says it. The summary keeps the sentence for
        the places that show it alone (search results, cards, the API)."""
        if self.is_sample and self.summary.startswith(SAMPLE_SUMMARY_OPENING):
            return self.summary[len(SAMPLE_SUMMARY_OPENING) :].strip()
        return self.summary

    @path("enrol/")
    def enrol(self, request):
        return _serving().enrol(request, self)

    @path("move-here/")
    def move_enrolment_here(self, request):
        return _serving().move_enrolment_here(request, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(_serving().course_context(request, self))
        return context


class ModulePage(Page):
    summary = models.TextField(blank=True, help_text="What this module covers, in a sentence.")

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    parent_page_types = ["learning.CoursePage"]
    subpage_types = ["learning.LessonPage"]

    search_fields = [*Page.search_fields, index.SearchField("summary")]

    class Meta:
        verbose_name = "module"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["course"] = CoursePage.objects.ancestor_of(self).first()
        context["lessons"] = LessonPage.objects.child_of(self).live().order_by("path")
        return context


class LessonPage(RoutablePageMixin, Page):
    summary = models.TextField(blank=True, help_text="What the learner will get from it.")
    estimated_minutes = models.PositiveSmallIntegerField(default=15)
    body = StreamField(LessonBodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    parent_page_types = ["learning.ModulePage"]
    subpage_types = []

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = "lesson"

    def quizzes(self) -> list[tuple[str, dict]]:
        """(block id, quiz value) for each quiz in the body, in order.

        Only quiz blocks are converted, so reading them never loads the case studies
        that other blocks point to.
        """
        return [
            (child.id, child.value)
            for position, raw in enumerate(self.body.raw_data)
            if raw["type"] == "quiz"
            for child in [self.body[position]]
        ]

    def quiz_ids(self) -> list[str]:
        return [raw["id"] for raw in self.body.raw_data if raw["type"] == "quiz"]

    @path("complete/")
    def complete(self, request):
        return _serving().complete_lesson(request, self)

    @path("quiz/<str:quiz_id>/")
    def quiz(self, request, quiz_id):
        return _serving().submit_quiz(request, self, quiz_id)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(_serving().lesson_context(request, self))
        return context

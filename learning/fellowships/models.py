"""Fellowships: placements of a reformer with a host institution, and their applications.

A fellowship is a page (content editors write it); applications and review
scores are plain models because they are personal data, not content. An
application keeps a snapshot of the fellowship's title and survives the page
being deleted: reviewers must never silently lose someone's application.
"""

import zoneinfo
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Avg, Case, F, Q, Value, When
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from exchange.core.listing import ListingPage
from exchange.core.reference_names import zone_city
from exchange.core.visibility import live_public
from learning.fellowships.choices import ApplicationStatus, FellowshipStatus

MOTIVATION_MAX = 3000


def _serving():
    """learning.fellowships.serving: what the fellowship page shows and does."""
    # Imported here: cycle, serving → forms → this module (the application form is a
    # ModelForm of FellowshipApplication, defined here), so the page reaches it when it serves.
    from learning.fellowships import serving

    return serving


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def validate_time_zone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(f"Unknown time zone {name!r}: use a name like Europe/Bratislava.")


def utc_offset_label(offset: timedelta) -> str:
    """UTC+1, UTC+5:30, and negative offsets with a real minus sign, which reads better."""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def deadline_label(deadline, time_zone: str = "") -> str:
    """A deadline in the host's time zone, named, in the reader's language: "28 February
    2027, 23:59 Bratislava time (UTC+1)" ("…, heure locale (Londres, UTC+0)": the city as
    CLDR names it in the language), or "31 January 2027, 23:59 UTC" for fellowships kept in
    UTC. Pages and search hits (which carry the deadline and its zone) both say it."""
    if deadline is None:
        return ""
    name = time_zone or "UTC"
    local = timezone.localtime(deadline, zoneinfo.ZoneInfo(name))
    moment = date_format(local, "DATETIME_FORMAT")
    if name == "UTC":
        return f"{moment} UTC"
    return gettext("%(moment)s %(city)s time (%(offset)s)") % {
        "moment": moment,
        "city": zone_city(name),
        "offset": utc_offset_label(local.utcoffset()),
    }


def deadline_passed(deadline, moment) -> bool:
    """The one rule: a fellowship takes applications until its deadline, not at it.

    No deadline counts as closed (never open by accident).
    """
    return deadline is None or moment >= deadline


class FellowshipPageQuerySet(PageQuerySet):
    """Fellowships open or closed at a moment, and the listing's order, in the database.

    The same rule as `deadline_passed` (and `FellowshipPage.is_open`): open strictly
    before the deadline, closed from the deadline on.
    """

    @staticmethod
    def open_q(now=None) -> Q:
        return Q(application_deadline__gt=now or timezone.now())

    def open(self, now=None):
        return self.filter(self.open_q(now))

    def closed(self, now=None):
        return self.exclude(self.open_q(now))

    def with_status(self, status, now=None):
        """Only the fellowships with this `FellowshipStatus` at `now`; any other value: all."""
        if status == FellowshipStatus.OPEN:
            return self.open(now)
        if status == FellowshipStatus.CLOSED:
            return self.closed(now)
        return self

    def in_listing_order(self, now=None):
        """Open fellowships first, nearest deadline first; then closed ones, latest first."""
        is_open = self.open_q(now)
        return self.annotate(
            open_first=Case(When(is_open, then=Value(1)), default=Value(0)),
            open_deadline=Case(When(is_open, then=F("application_deadline"))),
        ).order_by(
            "-open_first",
            F("open_deadline").asc(nulls_last=True),
            "-application_deadline",
            "title",
        )


FellowshipPageManager = PageManager.from_queryset(FellowshipPageQuerySet)


class FellowshipIndexPage(ListingPage):
    """`/fellowships/`: open fellowships first (nearest deadline first), then closed ones."""

    subpage_types = ["learning.FellowshipPage"]
    filterset_class = "learning.fellowships.filters.FellowshipFilter"
    items_name = "fellowships"

    class Meta:
        verbose_name = "fellowship index"

    def listing_queryset(self, now, visibility=None):
        """Live fellowships in listing order, with what the cards show fetched up front."""
        return (
            live_public(FellowshipPage.objects.child_of(self), visibility)
            .select_related("host_country")
            .prefetch_related("themes")
            .in_listing_order(now)
        )


class FellowshipPage(RoutablePageMixin, Page):
    host_country = models.ForeignKey(
        "casestudies.Country", on_delete=models.PROTECT, related_name="hosted_fellowships"
    )
    host_institution = models.CharField(max_length=255)
    themes = ParentalManyToManyField("casestudies.Theme", related_name="fellowships", blank=True)
    summary = models.TextField(max_length=500, help_text="One or two plain sentences.")
    duration_weeks = models.PositiveSmallIntegerField(default=4)
    start_date = models.DateField()
    end_date = models.DateField()
    eligibility = models.TextField(help_text="Who can apply, as Markdown.")
    what_you_will_do = models.TextField(
        "what the fellow will do and learn", help_text="As Markdown."
    )
    application_deadline = models.DateTimeField(
        db_index=True,
        help_text="Applications close at this moment; the page shows it with its time zone.",
    )
    deadline_time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="The host's time zone: the deadline is shown in it, with its UTC offset.",
    )
    criteria = StreamField(
        [("criterion", blocks.CharBlock(max_length=120, label="Criterion"))],
        blank=True,
        help_text="What reviewers score each application on (1 to 5 each).",
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
                FieldRowPanel([FieldPanel("host_country"), FieldPanel("host_institution")]),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel(
                    [
                        FieldPanel("duration_weeks"),
                        FieldPanel("start_date"),
                        FieldPanel("end_date"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("application_deadline"),
                        FieldPanel(
                            "deadline_time_zone",
                            widget=forms.Select(choices=time_zone_choices),
                        ),
                    ]
                ),
            ],
            heading="Placement",
        ),
        FieldPanel("eligibility"),
        FieldPanel("what_you_will_do"),
        FieldPanel("criteria"),
        FieldPanel("is_sample"),
    ]
    parent_page_types = ["learning.FellowshipIndexPage"]
    subpage_types = []

    objects = FellowshipPageManager()

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("host_institution"),
        index.SearchField("what_you_will_do"),
        index.RelatedFields("host_country", [index.SearchField("name")]),
        index.RelatedFields("themes", [index.SearchField("name"), index.SearchField("synonyms")]),
        index.FilterField("application_deadline"),
    ]

    class Meta:
        verbose_name = "fellowship"

    def status_at(self, moment) -> str:
        """Open until the deadline itself; at the deadline applications are closed."""
        if deadline_passed(self.application_deadline, moment):
            return FellowshipStatus.CLOSED
        return FellowshipStatus.OPEN

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    @property
    def deadline_display(self) -> str:
        return deadline_label(self.application_deadline, self.deadline_time_zone)

    def is_open_at(self, moment) -> bool:
        return self.status_at(moment) == FellowshipStatus.OPEN

    @property
    def is_open(self) -> bool:
        """Whether it takes applications now (`FellowshipPage.objects.open()` in a query)."""
        return self.is_open_at(timezone.now())

    @property
    def criterion_names(self) -> list[str]:
        return [block.value for block in self.criteria if block.value]

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # The page carries a CSRF token and a live status: never share it from a cache.
        add_never_cache_headers(response)
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A form posted with errors comes in as a context override, replacing this one.
        context.update(_serving().application_context(request, self))
        return context

    @path("apply/")
    def apply(self, request):
        return _serving().apply(request, self)


class FellowshipApplicationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Applications made while signed in, or earlier with the same (verified) email."""
        return self.filter(Q(applicant=user) | Q(email__iexact=user.email))

    def with_scores(self):
        return self.annotate(average_score=Avg("scores__score"))


class FellowshipApplication(models.Model):
    """One person's application to one fellowship (personal data: reviewers only)."""

    fellowship = models.ForeignKey(
        FellowshipPage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    fellowship_title = models.CharField(
        max_length=255, help_text="The fellowship's title when the application was made."
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fellowship_applications",
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    country = models.ForeignKey("casestudies.Country", on_delete=models.PROTECT, related_name="+")
    institution = models.CharField(max_length=255)
    role = models.CharField(max_length=200)
    reform = models.CharField("reform you lead", max_length=500)
    motivation = models.TextField(max_length=MOTIVATION_MAX)
    consent_to_share = models.BooleanField(
        "I agree that my application is shared with the host institution", default=False
    )
    status = models.CharField(
        max_length=20,
        choices=ApplicationStatus,
        default=ApplicationStatus.RECEIVED,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FellowshipApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                F("fellowship"), Lower("email"), name="unique_application_per_email"
            ),
            models.CheckConstraint(
                condition=Q(consent_to_share=True), name="application_requires_consent"
            ),
        ]

    def __str__(self):
        return f"{self.name} — {self.fellowship_title}"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        if self.fellowship is not None and not self.fellowship_title:
            self.fellowship_title = self.fellowship.title
        super().save(*args, **kwargs)

    def score_link(self):
        return format_html(
            '<a href="{}">Score</a>', reverse("fellowship_application_score", args=[self.pk])
        )

    score_link.short_description = "Review"


class ApplicationScore(models.Model):
    """A reviewer's score for one application against one of the fellowship's criteria."""

    application = models.ForeignKey(
        FellowshipApplication, on_delete=models.CASCADE, related_name="scores"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    criterion = models.CharField(max_length=120)
    score = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="score_between_1_and_5"
            ),
            models.UniqueConstraint(
                fields=["application", "reviewer", "criterion"], name="unique_score_per_criterion"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"

"""Peer introductions: a reformer asks the Support Unit to put them in touch with the
reformers of a peer country on a reform, and later says whether it helped.

A request is personal data brokered by people, so it is a plain model, not a page:
the requester's consent is enforced by the database, every status change and note is
kept as an event (who, when, what), and the requester follows the request through a
private link (its `access_token`) whether or not they have an account.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from learning.introductions.choices import OPEN_STATUSES, IntroductionStatus

LEARN_MAX = 2000
RATING_COMMENT_MAX = 1000


# What the requester reads next to each status (the admin shows the short label).
STATUS_EXPLANATIONS = {
    IntroductionStatus.NEW: "We received your request. The Support Unit reads every request.",
    IntroductionStatus.CONTACTED: (
        "We contacted reformers in the peer country and are waiting for their answer."
    ),
    IntroductionStatus.INTRODUCED: (
        "We introduced you by email. Tell us below whether the introduction was useful."
    ),
    IntroductionStatus.CLOSED: "This request is closed.",
}


def new_access_token() -> str:
    return secrets.token_urlsafe(24)


class IntroductionRequestQuerySet(models.QuerySet):
    def for_user(self, user):
        """A signed-in person's requests: made while signed in, or with their (verified) email."""
        return self.filter(Q(requester=user) | Q(email__iexact=user.email))

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class IntroductionRequest(models.Model):
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introduction_requests",
    )
    name = models.CharField("your name", max_length=200)
    email = models.EmailField("your email")
    country = models.ForeignKey(
        "casestudies.Country",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="your country",
    )
    organisation = models.CharField("organisation and role", max_length=255)
    peer_country = models.ForeignKey(
        "casestudies.Country", on_delete=models.PROTECT, related_name="introduction_requests"
    )
    theme = models.ForeignKey(
        "casestudies.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introduction_requests",
        help_text="The reform's policy area; ratings are reported per peer country and theme.",
    )
    goal = models.CharField("the reform", max_length=300)
    what_to_learn = models.TextField("what you want to learn", max_length=LEARN_MAX)
    consent = models.BooleanField(
        "I agree that the Support Unit shares my name, email and request with the peer "
        "country's reformers",
        default=False,
    )
    status = models.CharField(
        max_length=20,
        choices=IntroductionStatus,
        default=IntroductionStatus.NEW,
        db_index=True,
    )
    access_token = models.CharField(max_length=64, unique=True, default=new_access_token)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    introduced_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How useful the peer was, 1 (not at all) to 5 (very)."
    )
    rating_comment = models.TextField(blank=True, max_length=RATING_COMMENT_MAX)
    rated_at = models.DateTimeField(null=True, blank=True)

    objects = IntroductionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("view_introduction_ratings", "Can see peer introduction ratings per country and theme")
        ]
        constraints = [
            models.CheckConstraint(condition=Q(consent=True), name="introduction_requires_consent"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="introduction_rating_between_1_and_5",
            ),
            # One open request per email, peer country and theme. NULLs are distinct in a
            # unique index (and SQLite has no NULLS NOT DISTINCT), so "no theme" gets its own.
            models.UniqueConstraint(
                Lower("email"),
                "peer_country",
                "theme",
                condition=Q(status__in=OPEN_STATUSES, theme__isnull=False),
                name="one_open_introduction_per_theme",
                violation_error_message="This person already has an open request "
                "for this peer country and theme.",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "peer_country",
                condition=Q(status__in=OPEN_STATUSES, theme__isnull=True),
                name="one_open_introduction_without_theme",
                violation_error_message="This person already has an open request "
                "for this peer country without a theme.",
            ),
        ]

    def __str__(self):
        return f"{self.name} → {self.peer_country} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The requester's private status page."""
        return reverse("learning:introduction_status", args=[self.access_token])

    @property
    def status_explanation(self) -> str:
        return STATUS_EXPLANATIONS[self.status]

    @property
    def can_be_rated(self) -> bool:
        """Once introduced, the requester may rate (and change their rating)."""
        return self.introduced_at is not None

    def move_to(self, status: str, *, by=None, note: str = "") -> IntroductionEvent | None:
        """Change the status (recording who did it); returns the event, None if unchanged."""
        if status == self.status and not note:
            return None
        previous = self.status
        self.status = status
        if status == IntroductionStatus.INTRODUCED and self.introduced_at is None:
            self.introduced_at = timezone.now()
        self.save()
        return IntroductionEvent.objects.create(
            request=self,
            author=by,
            from_status=previous,
            to_status=status,
            note=note.strip(),
        )

    def rate(self, rating: int, comment: str = "") -> None:
        self.rating = rating
        self.rating_comment = comment.strip()
        self.rated_at = timezone.now()
        self.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])


class IntroductionEvent(models.Model):
    """One step in a request's history: a status change, a note, or both."""

    request = models.ForeignKey(
        IntroductionRequest, on_delete=models.CASCADE, related_name="events"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=IntroductionStatus)
    to_status = models.CharField(max_length=20, choices=IntroductionStatus)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"

    @property
    def changed_status(self) -> bool:
        return self.from_status != self.to_status

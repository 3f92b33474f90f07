"""IRM-rated action-plan commitments (imported from the OGP commitments CSV).

Every rating is nullable: a null means the IRM did not assess it ("ND"/"NR" in
the data), which pages show as "not assessed" — never as a zero or a "no".
"""

import re

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index


class Specificity(models.TextChoices):
    NONE = "none", _("None")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class PotentialImpact(models.TextChoices):
    NONE = "none", _("None")
    MINOR = "minor", _("Minor")
    MODERATE = "moderate", _("Moderate")
    TRANSFORMATIVE = "transformative", _("Transformative")


class Completion(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    LIMITED = "limited", _("Limited")
    SUBSTANTIAL = "substantial", _("Substantial")
    COMPLETE = "complete", _("Complete")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    UNCLEAR = "unclear", _("Unclear")


class OpenedGovernment(models.TextChoices):
    WORSENED = "worsened", _("Worsened")
    DID_NOT_CHANGE = "did_not_change", _("Did not change")
    MARGINAL = "marginal", _("Marginal")
    MAJOR = "major", _("Major")
    OUTSTANDING = "outstanding", _("Outstanding")
    NO_RESULTS_YET = "no_results_yet", _("No early results yet")


# OGP's full text may be shown only as a short excerpt beside a link to OGP's page.
FULL_TEXT_EXCERPT_LENGTH = 240
# Word's symbol-font bullets arrive as private-use characters: boxes on most phones.
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")

# OGP's four values, labelled in the reader's language where a page lists them.
OGP_VALUE_FIELDS = [
    ("value_access_to_information", _("Access to information")),
    ("value_civic_participation", _("Civic participation")),
    ("value_public_accountability", _("Public accountability")),
    ("value_technology_innovation", _("Technology and innovation")),
]


def excerpt(text: str, length: int) -> str:
    """The start of `text` as one paragraph of at most `length` characters plus "…".

    Cut between words (a single word longer than `length` is cut inside it), without
    a dangling comma or dash before the ellipsis.
    """
    plain = " ".join(PRIVATE_USE.sub(" ", text or "").replace("\xad", "").split())
    if len(plain) <= length:
        return plain
    head = plain[: length + 1]
    head = head.rsplit(" ", 1)[0] if " " in head else plain[:length]
    return head.rstrip(" ,;:.-–—(/") + "…"


def is_starred(*, specificity, relevant, potential_impact, completion) -> bool:
    """The IRM's star: specific, relevant, transformative, and substantially done.

    Medium or high specificity, relevant to at least one OGP value, transformative
    potential impact, and substantial or complete implementation. Anything not
    assessed cannot earn a star.
    """
    return (
        specificity in (Specificity.MEDIUM, Specificity.HIGH)
        and bool(relevant)
        and potential_impact == PotentialImpact.TRANSFORMATIVE
        and completion in (Completion.SUBSTANTIAL, Completion.COMPLETE)
    )


# An assessed commitment: the IRM rated both its ambition (potential impact) and its
# completion (at the end of term or, before that, midterm). The one definition, for
# filters and aggregates (`Commitment.objects.assessed()`, the home page's figures);
# `Commitment.is_assessed` says the same of one commitment.
ASSESSED = Q(potential_impact__isnull=False) & (
    Q(completion_end_of_term__isnull=False) | Q(completion_midterm__isnull=False)
)


class CommitmentQuerySet(models.QuerySet):
    def assessed(self):
        """Commitments with both ambition and completion rated by the IRM."""
        return self.filter(ASSESSED)

    def for_listing(self):
        return self.select_related("country").prefetch_related("themes")


class Commitment(index.Indexed, models.Model):
    identifier = models.CharField(
        max_length=20, unique=True, help_text="OGP's commitment unique identifier, e.g. KE0012."
    )
    country = models.ForeignKey(
        "casestudies.Country", on_delete=models.PROTECT, related_name="commitments"
    )
    member_name = models.CharField(
        "OGP member", max_length=120, help_text="As OGP names it, e.g. 'Kaduna State, Nigeria'."
    )
    jurisdiction = models.CharField(
        max_length=120, blank=True, help_text="Sub-national member, blank for national plans."
    )
    ogp_region = models.CharField("OGP region", max_length=60, blank=True)
    action_plan_id = models.CharField(max_length=20, db_index=True)
    action_plan_number = models.PositiveSmallIntegerField()
    plan_start_year = models.PositiveSmallIntegerField("action plan submitted")
    plan_end_year = models.PositiveSmallIntegerField("action plan ends", null=True, blank=True)
    commitment_number = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=1000)
    lead_institution = models.CharField(max_length=1000, blank=True)
    supporting_institutions = models.TextField(blank=True)
    # OGP's "Full Text" (description, ambition, milestones as the action plan states them):
    # indexed for search and matching; pages show only a short excerpt and link the source.
    full_text = models.TextField(blank=True)
    themes = models.ManyToManyField("casestudies.Theme", related_name="commitments", blank=True)

    value_access_to_information = models.BooleanField(null=True, blank=True)
    value_civic_participation = models.BooleanField(null=True, blank=True)
    value_public_accountability = models.BooleanField(null=True, blank=True)
    value_technology_innovation = models.BooleanField(null=True, blank=True)

    specificity = models.CharField(max_length=20, choices=Specificity, null=True, blank=True)
    potential_impact = models.CharField(
        max_length=20, choices=PotentialImpact, null=True, blank=True, db_index=True
    )
    completion_midterm = models.CharField(
        "completion (progress report)", max_length=20, choices=Completion, null=True, blank=True
    )
    completion_end_of_term = models.CharField(
        "completion (end of term)", max_length=20, choices=Completion, null=True, blank=True
    )
    opened_government = models.CharField(
        "did it open government?", max_length=20, choices=OpenedGovernment, null=True, blank=True
    )
    starred = models.BooleanField(default=False, editable=False, db_index=True)
    source_url = models.URLField("OGP page", max_length=300, blank=True)

    objects = CommitmentQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("identifier"),
                FieldPanel("title"),
                FieldPanel("country"),
                FieldPanel("member_name"),
                FieldPanel("jurisdiction"),
                FieldPanel("themes"),
            ],
            heading="Commitment",
        ),
        MultiFieldPanel(
            [
                FieldPanel("action_plan_id"),
                FieldPanel("action_plan_number"),
                FieldPanel("plan_start_year"),
                FieldPanel("plan_end_year"),
                FieldPanel("commitment_number"),
                FieldPanel("lead_institution"),
                FieldPanel("supporting_institutions"),
            ],
            heading="Action plan",
        ),
        MultiFieldPanel(
            [FieldPanel(field) for field, _ in OGP_VALUE_FIELDS]
            + [
                FieldPanel("specificity"),
                FieldPanel("potential_impact"),
                FieldPanel("completion_midterm"),
                FieldPanel("completion_end_of_term"),
                FieldPanel("opened_government"),
            ],
            heading="IRM assessment (leave empty when not assessed)",
        ),
        FieldPanel("source_url"),
    ]
    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("lead_institution"),
        index.AutocompleteField("title"),
        index.FilterField("identifier"),
        index.FilterField("country"),
        index.FilterField("starred"),
        index.FilterField("potential_impact"),
        index.FilterField("plan_start_year"),
        index.RelatedFields("country", [index.SearchField("name")]),
    ]

    class Meta:
        ordering = ["country__sort_name", "plan_start_year", "identifier"]

    def __str__(self):
        return f"{self.identifier}: {self.title}"

    def save(self, *args, **kwargs):
        self.starred = self.compute_starred()
        super().save(*args, **kwargs)

    @property
    def relevant(self) -> bool | None:
        values = [getattr(self, field) for field, _ in OGP_VALUE_FIELDS]
        if all(value is None for value in values):
            return None
        return any(values)

    @property
    def completion(self) -> str | None:
        """The latest completion the IRM recorded: end of term, else the progress report."""
        return self.completion_end_of_term or self.completion_midterm

    def get_completion_display(self) -> str:
        return Completion(self.completion).label if self.completion else ""

    @property
    def is_assessed(self) -> bool:
        return self.potential_impact is not None and self.completion is not None

    def compute_starred(self) -> bool:
        return is_starred(
            specificity=self.specificity,
            relevant=self.relevant,
            potential_impact=self.potential_impact,
            completion=self.completion,
        )

    @property
    def action_plan_label(self) -> str:
        if self.plan_end_year and self.plan_end_year != self.plan_start_year:
            return f"{self.plan_start_year}–{self.plan_end_year}"
        return str(self.plan_start_year)

    @property
    def ogp_values(self) -> list[str]:
        return [label for field, label in OGP_VALUE_FIELDS if getattr(self, field)]

    @property
    def full_text_excerpt(self) -> str:
        """What pages may show of OGP's full text: its first ~240 characters, never all of it."""
        return excerpt(self.full_text, FULL_TEXT_EXCERPT_LENGTH)

    @property
    def source_page_url(self) -> str:
        """OGP's page for the commitment, else the OGP page its country's membership cites.

        Every imported commitment has its own page; the fallback (which loads the
        country) serves only commitments entered without one.
        """
        return self.source_url or self.country.ogp_source_url

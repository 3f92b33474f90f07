"""Case study pages and their listing."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from casestudies.admin_widgets import CommitmentsPanel, GroupedThemesWidget
from casestudies.blocks import CaseStudyBodyBlock, KeyFigureBlock, SourceBlock
from casestudies.models.commitments import OGP_VALUE_FIELDS
from casestudies.models.reference import Theme
from casestudies.periods import period_label
from exchange.core.listing import ListingPage
from exchange.core.visibility import live_public


class CaseStudyStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in-progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    STALLED = "stalled", _("Stalled")


# What a case study card shows (templates/includes/case_study_card.html) and what Wagtail
# needs for its URL; the body and other StreamFields, the bulk of a page, stay unread.
CARD_FIELDS = (
    "title",
    "url_path",
    "country__name",
    # The country's name in French and Spanish is looked up by its code
    # (site/core/reference_names.py).
    "country__iso3",
    "jurisdiction",
    "period_start",
    "period_end",
    "status",
    "summary",
    "is_sample",
    # Whether a visitor may see the card (exchange.core.visibility.Visibility.shows).
    "live",
    "locale",
    "path",
    # Its translation's title and summary in French and Spanish lists (`in_reader_language`).
    "translation_key",
)


def as_cards(case_studies):
    """Case studies read for their cards: card fields, country and themes in two queries."""
    return (
        case_studies.select_related("country")
        .only(*CARD_FIELDS)
        .prefetch_related(models.Prefetch("themes", queryset=Theme.objects.only("name", "slug")))
    )


class CaseStudyIndexPage(ListingPage):
    """`/case-studies/`: every published case study, filterable from the URL."""

    subpage_types = ["casestudies.CaseStudyPage"]
    filterset_class = "casestudies.filters.CaseStudyFilter"
    items_name = "case_studies"

    class Meta:
        verbose_name = "case study index"

    def route(self, request, path_components):
        """Find a case study and its country in one query instead of Wagtail's three.

        Wagtail's default routing loads the child as a plain page, then again as its
        specific type, and the template then loads its country: this keeps the case
        study page within its query budget (DESIGN §6). Anything else (a child of
        another type, an unknown slug) falls back to Wagtail's routing.
        """
        if len(path_components) == 1:
            case_study = (
                CaseStudyPage.objects.child_of(self)
                .select_related("country")
                .filter(slug=path_components[0])
                .first()
            )
            if case_study is not None:
                case_study._cached_parent_obj = self  # the breadcrumb needs no query either
                return case_study.route(request, [])
        return super().route(request, path_components)

    def listing_queryset(self, now, visibility=None):
        return as_cards(live_public(CaseStudyPage.objects.child_of(self), visibility)).order_by(
            "-period_start", "title"
        )


class CaseStudyPage(Page):
    """A reform told as a structured story, linked to the real IRM evidence."""

    country = models.ForeignKey(
        "casestudies.Country", on_delete=models.PROTECT, related_name="case_studies"
    )
    jurisdiction = models.CharField(
        max_length=120, blank=True, help_text="Sub-national jurisdiction, for local reforms."
    )
    themes = ParentalManyToManyField("casestudies.Theme", related_name="case_studies")
    value_access_to_information = models.BooleanField("Access to information", default=False)
    value_civic_participation = models.BooleanField("Civic participation", default=False)
    value_public_accountability = models.BooleanField("Public accountability", default=False)
    value_technology_innovation = models.BooleanField("Technology and innovation", default=False)
    commitments = ParentalManyToManyField(
        "casestudies.Commitment",
        related_name="case_studies",
        blank=True,
        help_text="IRM-rated commitments this reform delivered or built on.",
    )
    period_start = models.PositiveSmallIntegerField("from (year)")
    period_end = models.PositiveSmallIntegerField(
        "to (year)", null=True, blank=True, help_text="Leave empty while the reform is ongoing."
    )
    status = models.CharField(max_length=20, choices=CaseStudyStatus, db_index=True)
    summary = models.TextField(max_length=400, help_text="One or two plain sentences.")
    key_figures = StreamField([("figure", KeyFigureBlock())], blank=True)
    body = StreamField(CaseStudyBodyBlock(), blank=True)
    sources = StreamField([("source", SourceBlock())], blank=True)
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
                FieldRowPanel([FieldPanel("country"), FieldPanel("jurisdiction")]),
                FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
                FieldPanel("status"),
                FieldPanel("themes", widget=GroupedThemesWidget),
                MultiFieldPanel(
                    [FieldPanel(field) for field, _ in OGP_VALUE_FIELDS], heading="OGP values"
                ),
            ],
            heading="Reform",
        ),
        FieldPanel("key_figures"),
        FieldPanel("body"),
        CommitmentsPanel("commitments"),
        FieldPanel("sources"),
        FieldPanel("is_sample"),
    ]

    parent_page_types = ["casestudies.CaseStudyIndexPage"]
    subpage_types = []

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("jurisdiction"),
        index.RelatedFields("country", [index.SearchField("name")]),
        index.RelatedFields("themes", [index.SearchField("name"), index.SearchField("synonyms")]),
        index.FilterField("status"),
        index.FilterField("country"),
    ]

    class Meta:
        verbose_name = "case study"
        verbose_name_plural = "case studies"

    @property
    def period_label(self) -> str:
        """The reform's years in the reader's language, ongoing ones said so."""
        return period_label(self.period_start, self.period_end, self.status)

    @property
    def ogp_values(self) -> list[str]:
        return [label for field, label in OGP_VALUE_FIELDS if getattr(self, field)]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The commitment cards show neither themes nor another country: one query.
        context["commitments"] = self.commitments.order_by("plan_start_year", "identifier")
        context["themes"] = self.themes.all()
        return context

"""Reference data: countries and OGP policy areas (themes).

Both are loaded from real data (World Bank, OGP) by the importers and edited
as snippets; they are not pages because they have no story of their own — the
country and theme hubs are views over them.
"""

from collections.abc import Callable

from django.db import models
from django.urls import reverse
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index

from exchange.core.reference_names import sort_key

# The six Worldwide Governance Indicators, in the World Bank's order.
WGI_DIMENSIONS = [
    ("voice_accountability", "VA", "Voice and accountability"),
    ("political_stability", "PV", "Political stability and absence of violence"),
    ("government_effectiveness", "GE", "Government effectiveness"),
    ("regulatory_quality", "RQ", "Regulatory quality"),
    ("rule_of_law", "RL", "Rule of law"),
    ("control_of_corruption", "CC", "Control of corruption"),
]


class OGPStatus(models.TextChoices):
    """A national government's standing in OGP, as the members file records it."""

    ACTIVE = "active", "Active member"
    INACTIVE = "inactive", "Inactive member"
    WITHDRAWN = "withdrawn", "Withdrawn"
    UNKNOWN = "unknown", "Status not confirmed"


# Statuses that still count as taking part in OGP (the members filter, headline figures).
PARTICIPATING_STATUSES = (OGPStatus.ACTIVE, OGPStatus.INACTIVE, OGPStatus.UNKNOWN)


class CountryQuerySet(models.QuerySet):
    def ogp_members(self):
        return self.filter(ogp_member=True)

    # Bulk writes skip `save()`; the importers use them, so they keep the sort key too.
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for country in objs:
            country.sort_name = sort_key(country.name)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if "name" in fields:
            for country in objs:
                country.sort_name = sort_key(country.name)
            fields = [*fields, "sort_name"]
        return super().bulk_update(objs, fields, *args, **kwargs)


class Country(index.Indexed, models.Model):
    """An economy in the World Bank classification, with its context indicators."""

    iso3 = models.CharField("ISO 3166 alpha-3", max_length=3, unique=True)
    name = models.CharField(max_length=100)
    sort_name = models.CharField(
        max_length=100, editable=False, db_index=True, help_text="The name as lists sort it."
    )
    region = models.CharField("World Bank region", max_length=60, db_index=True)
    # Blank where the World Bank gives none (Ethiopia, Venezuela in FY2026): never guessed.
    income_group = models.CharField(max_length=40, blank=True, db_index=True)
    population = models.BigIntegerField(null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)
    gdp_per_capita = models.FloatField("GDP per capita (current US$)", null=True, blank=True)
    gdp_per_capita_year = models.PositiveSmallIntegerField(null=True, blank=True)
    wgi_year = models.PositiveSmallIntegerField("WGI year", null=True, blank=True)
    voice_accountability = models.FloatField(null=True, blank=True)
    political_stability = models.FloatField(null=True, blank=True)
    government_effectiveness = models.FloatField(null=True, blank=True)
    regulatory_quality = models.FloatField(null=True, blank=True)
    rule_of_law = models.FloatField(null=True, blank=True)
    control_of_corruption = models.FloatField(null=True, blank=True)
    # OGP membership comes from the members file (data/ogp/), never from the commitments.
    ogp_member = models.BooleanField(
        "takes part in OGP",
        default=False,
        db_index=True,
        help_text="Set by import_ogp_members from the status: active, inactive or unconfirmed.",
    )
    ogp_status = models.CharField("OGP status", max_length=20, choices=OGPStatus, blank=True)
    ogp_year_joined = models.PositiveSmallIntegerField("joined OGP in", null=True, blank=True)
    ogp_status_note = models.CharField("OGP status note", max_length=300, blank=True)
    ogp_source_url = models.URLField(
        "OGP membership source", max_length=300, blank=True, help_text="Where the facts were read."
    )
    ogp_region = models.CharField("OGP region", max_length=60, blank=True)
    ogp_first_plan_year = models.PositiveSmallIntegerField(
        "first action plan in the data", null=True, blank=True
    )

    objects = CountryQuerySet.as_manager()

    panels = [
        MultiFieldPanel([FieldPanel("iso3"), FieldPanel("name")], heading="Identity"),
        MultiFieldPanel(
            [
                FieldPanel("region"),
                FieldPanel("income_group"),
                FieldPanel("population"),
                FieldPanel("population_year"),
                FieldPanel("gdp_per_capita"),
                FieldPanel("gdp_per_capita_year"),
            ],
            heading="World Bank context",
        ),
        MultiFieldPanel(
            [FieldPanel("wgi_year")] + [FieldPanel(field) for field, _, _ in WGI_DIMENSIONS],
            heading="Worldwide Governance Indicators (estimate, about −2.5 to 2.5)",
        ),
        MultiFieldPanel(
            [
                FieldPanel("ogp_member"),
                FieldPanel("ogp_status"),
                FieldPanel("ogp_year_joined"),
                FieldPanel("ogp_status_note"),
                FieldPanel("ogp_source_url"),
                FieldPanel("ogp_region"),
                FieldPanel("ogp_first_plan_year"),
            ],
            heading="Open Government Partnership",
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("iso3"),
        index.FilterField("region"),
        index.FilterField("income_group"),
        index.FilterField("ogp_member"),
    ]

    class Meta:
        ordering = ["sort_name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.sort_name = sort_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("casestudies:country_detail", args=[self.iso3])

    @staticmethod
    def url_for_each() -> Callable[[str], str]:
        """Each country's `get_absolute_url` by ISO3, for a list of many: reversed once, in
        the active language, not once per country (about 20 µs each)."""
        pattern = reverse("casestudies:country_detail", args=["ISO3"])
        return lambda iso3: pattern.replace("/ISO3/", f"/{iso3}/")

    @property
    def governance_indicators(self):
        """The six WGI estimates as (label, value) pairs, in the World Bank's order."""
        return [(label, getattr(self, field)) for field, _, label in WGI_DIMENSIONS]


class Theme(index.Indexed, models.Model):
    """An OGP policy area, with the synonyms that feed the search thesaurus."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The broader policy area this one belongs to, if any.",
    )
    description = models.TextField(blank=True)
    synonyms = models.TextField(
        blank=True,
        help_text="Comma-separated words people use for this area (e.g. RTI, FOI). "
        "Used to expand search queries.",
    )
    source_column = models.CharField(
        max_length=100,
        blank=True,
        help_text="The OGP commitments CSV column that tags commitments with this theme.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("description"),
        FieldPanel("synonyms"),
        FieldPanel("source_column", read_only=True),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("synonyms"),
        index.SearchField("description"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("casestudies:theme_detail", args=[self.slug])

    @property
    def synonym_list(self) -> list[str]:
        return [word.strip() for word in self.synonyms.split(",") if word.strip()]

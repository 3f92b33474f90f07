"""Reform records: evidence from organisations that track one reform worldwide.

The IRM rates what a government promised in an OGP action plan. Other
organisations record what countries actually did on one reform: the Open
Contracting Partnership (who publishes contracting data in OCDS, since when),
Open Ownership (who committed to, or runs, a beneficial-ownership register).
Each such fact is one `ReformRecord`, whatever its source, so a third source
(right-to-information laws, say) is a new importer, not a new model or app.

Records count as evidence in peer matching with the `strength` their importer
gives them (0..1), which by design stays below an IRM-verified completed
commitment: these are facts from a tracker, not an independent assessment of
results (docs/matching.md).
"""

from django.db import models
from django.urls import reverse
from wagtail.search import index


class ReformSource(models.TextChoices):
    OPEN_CONTRACTING = "open-contracting-partnership", "Open Contracting Partnership"
    OPEN_OWNERSHIP = "open-ownership", "Open Ownership"


class ReformRecordQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("country", "theme").order_by("theme__name", "-since", "title")


class ReformRecord(index.Indexed, models.Model):
    source = models.CharField(max_length=40, choices=ReformSource, db_index=True)
    # What kind of fact this is, e.g. "ocds-publisher" or "bo-register": the evidence `type`
    # in the match API, and what the reason sentence is built from.
    kind = models.SlugField(max_length=40)
    # Identity within the source (for example the publisher's name), so that re-importing a
    # newer file updates records instead of duplicating them.
    key = models.CharField(max_length=300)
    country = models.ForeignKey(
        "casestudies.Country", on_delete=models.CASCADE, related_name="reform_records"
    )
    theme = models.ForeignKey(
        "casestudies.Theme", on_delete=models.PROTECT, related_name="reform_records"
    )
    title = models.CharField(
        max_length=500, help_text="A short factual statement, e.g. the publisher or register."
    )
    since = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year the country first did it, where known."
    )
    as_of = models.DateField(null=True, blank=True, help_text="When the source last checked.")
    url = models.URLField(max_length=500, blank=True, help_text="The evidence itself.")
    source_url = models.URLField(
        max_length=500, help_text="The page or dataset the record was read from."
    )
    strength = models.FloatField(
        default=0.0, help_text="How far the reform went, 0..1, as the importer rates it."
    )
    details = models.JSONField(default=dict, blank=True)

    objects = ReformRecordQuerySet.as_manager()

    search_fields = [
        index.SearchField("title"),
        index.FilterField("source"),
        index.FilterField("kind"),
        index.FilterField("country"),
        index.RelatedFields("country", [index.SearchField("name")]),
    ]

    class Meta:
        ordering = ["country__sort_name", "theme__name", "title"]
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "key"], name="unique_reform_record"),
            models.CheckConstraint(
                condition=models.Q(strength__gte=0) & models.Q(strength__lte=1),
                name="reform_record_strength_0_1",
            ),
        ]

    def __str__(self):
        return f"{self.country}: {self.title}"

    def get_absolute_url(self):
        country_url = reverse("casestudies:country_detail", args=[self.country.iso3])
        return f"{country_url}#reform-{self.pk}"

"""The home page and site-wide settings."""

from django.db import models
from django.db.models import Count, Q
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page

from casestudies.models import CaseStudyIndexPage, CaseStudyPage, Commitment, Country, Theme


def headline_figures() -> dict:
    """Figures for the home page from the real data, in two queries.

    All but one come from the IRM commitments; `members` counts the national
    governments taking part in OGP according to the members file, never the
    countries that happen to have commitments in the IRM export.
    """
    totals = Commitment.objects.aggregate(
        commitments=Count("pk"),
        assessed=Count(
            "pk",
            filter=Q(potential_impact__isnull=False)
            & (Q(completion_end_of_term__isnull=False) | Q(completion_midterm__isnull=False)),
        ),
        starred=Count("pk", filter=Q(starred=True)),
        transformative=Count("pk", filter=Q(potential_impact="transformative")),
        rated_impact=Count("pk", filter=Q(potential_impact__isnull=False)),
        plans=Count("action_plan_id", distinct=True),
    )
    members = Country.objects.ogp_members().count()

    def share(part, whole):
        return round(100 * part / whole) if whole else None

    return {
        **totals,
        "members": members,
        "starred_share": share(totals["starred"], totals["assessed"]),
        "transformative_share": share(totals["transformative"], totals["rated_impact"]),
    }


class HomePage(Page):
    intro = models.TextField(
        blank=True, help_text="The welcome sentence under the site name (plain text)."
    )
    featured = StreamField(
        [("case_study", blocks.PageChooserBlock(page_type="casestudies.CaseStudyPage"))],
        blank=True,
        max_num=6,
        help_text="Case studies to feature; the newest are shown when empty.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("featured")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "casestudies.CaseStudyIndexPage",
        "learning.CourseIndexPage",
        "learning.FellowshipIndexPage",
    ]
    max_count = 1

    def featured_case_studies(self):
        ids = [block.value.pk for block in self.featured if block.value]
        # Cards show each page's country and themes: fetch both with the pages, not per card.
        pages = (
            CaseStudyPage.objects.live()
            .public()
            .select_related("country")
            .prefetch_related("themes")
        )
        if ids:
            by_id = {page.pk: page for page in pages.filter(pk__in=ids)}
            return [by_id[pk] for pk in ids if pk in by_id]
        # Without a choice, the newest from three different countries: a first visit
        # should show the breadth of peers, not three reforms of one country.
        featured, countries = [], set()
        for page in pages.order_by("-first_published_at")[:12]:
            if page.country_id not in countries:
                featured.append(page)
                countries.add(page.country_id)
            if len(featured) == 3:
                break
        return featured

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured_case_studies"] = self.featured_case_studies()
        context["figures"] = headline_figures()
        context["top_themes"] = (
            Theme.objects.filter(parent__isnull=True)
            .annotate(commitment_count=Count("commitments", distinct=True))
            .order_by("-commitment_count", "name")
        )
        context["case_study_index"] = CaseStudyIndexPage.objects.live().first()
        context["countries"] = Country.objects.order_by("name").only("iso3", "name")
        return context


@register_setting(icon="list-ul")
class SiteSettings(BaseGenericSetting):
    """Footer and notices shown on every page, editable without a deploy."""

    footer_text = models.TextField(
        blank=True,
        default="Reform Exchange helps open-government reformers learn from peers.",
    )
    contact_email = models.EmailField(blank=True)

    panels = [FieldPanel("footer_text"), FieldPanel("contact_email")]

    class Meta:
        verbose_name = "site settings"

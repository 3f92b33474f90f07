"""The home page and site-wide settings."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils.translation import gettext, gettext_noop
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page

from casestudies.models import CaseStudyIndexPage, CaseStudyPage, Commitment, Country, Theme
from casestudies.models.commitments import ASSESSED
from casestudies.models.pages import as_cards
from exchange.core.page_cache import content_cached
from exchange.core.reference_names import theme_name
from exchange.core.visibility import live_public, visibility_of
from search import peer_menus


def headline_figures() -> dict:
    """Figures for the home page from the real data, in two queries (cached: `HomePage`).

    All but one come from the IRM commitments; `members` counts the national
    governments taking part in OGP according to the members file, never the
    countries that happen to have commitments in the IRM export.
    """
    totals = Commitment.objects.aggregate(
        commitments=Count("pk"),
        assessed=Count("pk", filter=ASSESSED),
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

    def featured_case_studies(self, request, newest: list[int]) -> list[CaseStudyPage]:
        """The case studies editors chose, in their order, else the `newest` (ids)."""
        # The chosen pages' ids, read from the stream without loading the pages twice.
        ids = [item["value"] for item in self.featured.raw_data if item["value"]] or newest
        pages = as_cards(
            live_public(CaseStudyPage.objects, visibility_of(request)).filter(pk__in=ids)
        )
        by_id = {page.pk: page for page in pages}
        featured = [by_id[pk] for pk in ids if pk in by_id]
        if featured:
            # The site roots behind the cards' URLs, those the request was served with
            # (exchange.site_frame), not looked up again for each card: the attribute
            # is where Wagtail keeps them on a page (Page._get_site_root_paths).
            root_paths = self._get_site_root_paths(request)
            for page in featured:
                page._wagtail_cached_site_root_paths = root_paths
        return featured

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        cached = content_cached(
            {
                "figures": headline_figures,
                "top_themes": top_themes,
                "peer_form": peer_form,
                "case_study_index_url": case_study_index_url,
                "newest_case_studies": newest_case_studies,
            }
        )
        newest = cached.pop("newest_case_studies")
        context.update(cached, featured_case_studies=self.featured_case_studies(request, newest))
        return context


def newest_case_studies() -> list[int]:
    """The newest case studies from three different countries (ids): with no choice of
    the editors, a first visit should show the breadth of peers, not three reforms of one
    country."""
    newest, countries = [], set()
    recent = live_public(CaseStudyPage.objects).order_by("-first_published_at")
    for pk, country in recent.values_list("pk", "country_id")[:12]:
        if country not in countries:
            newest.append(pk)
            countries.add(country)
        if len(newest) == 3:
            break
    return newest


def top_themes() -> list[dict]:
    """Top-level themes, the busiest first, with their commitment counts.

    A theme no commitment is tagged with would only say "0 commitments": it is left out.
    """
    themes = (
        Theme.objects.filter(parent__isnull=True)
        .annotate(commitment_count=Count("commitments", distinct=True))
        .filter(commitment_count__gt=0)
        .order_by("-commitment_count", "name")
        .only("name", "slug")
    )
    return [
        {
            "name": theme_name(theme.slug, theme.name),
            "url": theme.get_absolute_url(),
            "count": theme.commitment_count,
        }
        for theme in themes
    ]


def peer_form() -> str:
    """The "find my peers" form as the home page shows it: a menu of every country, none
    chosen. Rendering its ~220 options is the costliest part of the page, so it is kept
    rendered."""
    # In the reader's language and alphabet order ("Égypte" among the E's).
    return render_to_string("includes/peer_form.html", {"peer_countries": peer_menus.countries()})


def case_study_index_url() -> str | None:
    index = CaseStudyIndexPage.objects.live().only("url_path").first()
    return index.url if index is not None else None


# The footer as shipped; read in French and Spanish from the interface's translations.
DEFAULT_FOOTER_TEXT = gettext_noop(
    "Reform Exchange helps open-government reformers learn from peers."
)


@register_setting(icon="list-ul")
class SiteSettings(BaseGenericSetting):
    """Footer and notices shown on every page, editable without a deploy."""

    footer_text = models.TextField(blank=True, default=DEFAULT_FOOTER_TEXT)
    footer_text_fr = models.TextField(
        "footer text in French",
        blank=True,
        help_text="Shown on French pages. Left empty, they show the English footer text "
        "(translated when it is the one the site came with).",
    )
    footer_text_es = models.TextField(
        "footer text in Spanish",
        blank=True,
        help_text="Shown on Spanish pages. Left empty, they show the English footer text "
        "(translated when it is the one the site came with).",
    )
    contact_email = models.EmailField(blank=True)

    panels = [
        FieldPanel("footer_text"),
        FieldPanel("footer_text_fr"),
        FieldPanel("footer_text_es"),
        FieldPanel("contact_email"),
    ]

    def footer_in(self, language: str) -> tuple[str, str]:
        """The footer text for readers of `language`, and the language it is written in:
        theirs where the editors wrote one or it is the shipped text, else the English."""
        own = getattr(self, f"footer_text_{language}", "").strip()
        if own:
            return own, language
        if self.footer_text.strip() == DEFAULT_FOOTER_TEXT:
            return gettext(DEFAULT_FOOTER_TEXT), language
        return self.footer_text, settings.LANGUAGE_CODE

    class Meta:
        verbose_name = "site settings"

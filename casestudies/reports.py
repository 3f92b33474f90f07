"""Reports → Needs attention: what editors should look at, and why (DESIGN §1).

One row per problem found: a case study without sources, a link that cannot work
(checked without the network: internal paths to pages, countries or themes that no
longer exist, malformed addresses), sample content, a page nobody has edited for a year.

Left out: "commitments no case study links to on the most-searched themes". The site
keeps no log of search terms (`search/` stores documents, not queries), so there is no
"most searched" to rank themes by; the report says so on its page.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import django_filters
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page, Site, get_page_models
from wagtail.permission_policies.pages import PagePermissionPolicy

from casestudies.models import CaseStudyPage, Country, Theme

STALE_AFTER = timedelta(days=365)
# [text](url) and <url> in Markdown; the address stops at a space or the closing bracket.
MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|<((?:https?|mailto):[^>\s]+)>")
WEB_ADDRESS = URLValidator(schemes=["http", "https"])


class Problem(models.TextChoices):
    NO_SOURCES = "no-sources", _("No sources")
    BROKEN_LINK = "broken-link", _("Broken link")
    SAMPLE = "sample", _("Sample content")
    STALE = "stale", _("Not edited for a year")


@dataclass(frozen=True)
class Finding:
    problem: Problem
    page: Page
    detail: str
    last_edited: datetime | None

    @property
    def title(self) -> str:
        return self.page.title

    @property
    def problem_label(self) -> str:
        return self.problem.label

    @property
    def page_type(self) -> str:
        return capfirst(self.page.specific_class._meta.verbose_name)

    @property
    def last_edited_on(self):
        return self.last_edited.date() if self.last_edited else None

    @property
    def edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.page.pk])


def last_edited(page: Page) -> datetime | None:
    return page.latest_revision_created_at or page.last_published_at


# Links ------------------------------------------------------------------------------


def _strings(value):
    """Every string inside a StreamField's stored JSON (blocks nest lists and dicts)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def markdown_links(text: str) -> list[str]:
    return [first or second for first, second in MARKDOWN_LINK.findall(text)]


class LinkChecker:
    """Judges links without fetching anything: the site's own paths against the database,
    other addresses by their form. Reads the existing pages, countries and themes once."""

    def __init__(self):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        self.root_path = site.root_page.url_path if site else "/"
        self.page_paths = set(Page.objects.values_list("url_path", flat=True))
        self.countries = {iso3.upper() for iso3 in Country.objects.values_list("iso3", flat=True)}
        self.themes = set(Theme.objects.values_list("slug", flat=True))

    def problem(self, url: str) -> str | None:
        """Why `url` cannot work, or None when it can (or cannot be told offline)."""
        if url.startswith("#") or url.startswith("mailto:"):
            return None
        if url.startswith("/"):
            return self.internal_problem(urlsplit(url).path)
        try:
            WEB_ADDRESS(url)
        except ValidationError:
            return gettext("%(url)s is not a web address") % {"url": url}
        return None

    def internal_problem(self, path: str) -> str | None:
        missing = gettext("%(path)s leads nowhere: %(what)s no longer exists")
        try:
            match = resolve(path)
        except Resolver404:
            return gettext("%(path)s is not a page of this site") % {"path": path}
        if match.url_name == "country_detail":
            if match.kwargs["iso3"].upper() not in self.countries:
                return missing % {"path": path, "what": gettext("the country")}
        elif match.url_name == "theme_detail":
            if match.kwargs["slug"] not in self.themes:
                return missing % {"path": path, "what": gettext("the theme")}
        elif match.url_name == "wagtail_serve":
            page_path = self.root_path + path.lstrip("/")
            if not page_path.endswith("/"):
                page_path += "/"
            if page_path not in self.page_paths:
                return missing % {"path": path, "what": gettext("the page")}
        return None


# The findings -----------------------------------------------------------------------


def case_study_findings(checker: LinkChecker) -> list[Finding]:
    findings = []
    # StreamFields are read as stored JSON (`raw_data`): no block objects for a whole table.
    pages = CaseStudyPage.objects.only(
        "title", "latest_revision_created_at", "last_published_at", "body", "sources"
    )
    for page in pages:
        body, sources = page.body.raw_data, page.sources.raw_data
        if not sources:
            findings.append(
                Finding(
                    Problem.NO_SOURCES,
                    page,
                    gettext("Readers cannot check the story."),
                    last_edited(page),
                )
            )
        links = [
            source["value"].get("url") or ""
            for source in sources
            if isinstance(source.get("value"), dict)
        ]
        links += [link for text in _strings(list(body)) for link in markdown_links(text)]
        for link in links:
            reason = checker.problem(link) if link else None
            if reason:
                findings.append(Finding(Problem.BROKEN_LINK, page, reason, last_edited(page)))
    return findings


def sample_findings() -> list[Finding]:
    findings = []
    for model in get_page_models():
        if not any(field.name == "is_sample" for field in model._meta.get_fields()):
            continue
        for page in model.objects.filter(is_sample=True).defer_streamfields():
            findings.append(
                Finding(
                    Problem.SAMPLE,
                    page,
                    gettext("Written as a sample: replace it or check it against its sources."),
                    last_edited(page),
                )
            )
    return findings


def stale_findings(now: datetime) -> list[Finding]:
    cutoff = now - STALE_AFTER
    pages = (
        Page.objects.live()
        .filter(depth__gt=1)
        .filter(
            models.Q(latest_revision_created_at__lt=cutoff)
            | models.Q(latest_revision_created_at__isnull=True, last_published_at__lt=cutoff)
        )
        .select_related("content_type")
    )
    return [
        Finding(
            Problem.STALE,
            page,
            gettext("Last edited %(date)s.") % {"date": last_edited(page).date().isoformat()},
            last_edited(page),
        )
        for page in pages
    ]


def needs_attention(now: datetime | None = None) -> list[Finding]:
    """Every finding, grouped by problem (in the order of `Problem`), then by title."""
    findings = [
        *case_study_findings(LinkChecker()),
        *sample_findings(),
        *stale_findings(now or timezone.now()),
    ]
    order = list(Problem)
    return sorted(findings, key=lambda f: (order.index(f.problem), f.title.casefold()))


# The admin view ---------------------------------------------------------------------


class NeedsAttentionFilterSet(django_filters.FilterSet):
    """Filters the list of findings, which is no queryset: django-filter draws the form."""

    problem = django_filters.ChoiceFilter(label=_("Problem"), choices=Problem.choices)

    def __init__(self, data=None, *, request=None):
        super().__init__(data, queryset=Page.objects.none(), request=request)

    def filter_queryset(self, findings):
        problem = self.form.cleaned_data.get("problem")
        return (
            [finding for finding in findings if finding.problem == problem] if problem else findings
        )


class NeedsAttentionReportView(ReportView):
    page_title = _("Needs attention")
    header_icon = "warning"
    index_url_name = "casestudies_needs_attention"
    index_results_url_name = "casestudies_needs_attention_results"
    template_name = "casestudies/admin/needs_attention.html"
    results_template_name = "casestudies/admin/needs_attention_results.html"
    filterset_class = NeedsAttentionFilterSet
    permission_policy = PagePermissionPolicy()
    any_permission_required = ["add", "change", "publish"]
    verbose_name_plural = _("problems")
    paginate_by = 50
    columns = [
        TitleColumn(
            "title",
            label=_("Page"),
            get_url=lambda finding: finding.edit_url,
        ),
        Column("page_type", label=_("Type")),
        Column("problem_label", label=_("Problem")),
        Column("detail", label=_("Detail")),
        DateColumn("last_edited", label=_("Last edited")),
    ]
    list_export = ["title", "page_type", "problem_label", "detail", "last_edited_on", "edit_url"]
    export_headings = {
        "title": _("Page"),
        "page_type": _("Type"),
        "problem_label": _("Problem"),
        "detail": _("Detail"),
        "last_edited_on": _("Last edited"),
        "edit_url": _("Edit in the admin"),
    }

    def get_filename(self):
        return "needs-attention"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "stale_days": STALE_AFTER.days}

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["edit_url"] = self.request.build_absolute_uri(row["edit_url"])  # opened elsewhere
        return row

    def get_queryset(self):
        return needs_attention()  # filtered by the view, with `NeedsAttentionFilterSet`


# The admin's home page --------------------------------------------------------------


def may_edit_pages(user) -> bool:
    """Whoever may write or publish pages: editors and moderators."""
    return PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])


@dataclass(frozen=True)
class ProblemCount:
    problem: Problem
    pages: int
    url: str


class NeedsAttentionPanel(Component):
    """On the admin's home page, for editors and moderators: how many pages each problem of
    the report concerns, each a link to its part of the report, so that the Support Unit
    sees what to mend when it logs in rather than when it thinks of opening Reports."""

    name = "needs_attention"
    template_name = "casestudies/admin/needs_attention_panel.html"
    # After Wagtail's pages awaiting moderation (200) and the user's own pages in a
    # workflow (210), before their recent edits (250).
    order = 220

    def get_context_data(self, parent_context):
        report_url = reverse("casestudies_needs_attention")
        pages = {problem: set() for problem in Problem}
        for finding in needs_attention():
            pages[finding.problem].add(finding.page.pk)
        return {
            "counts": [
                ProblemCount(problem, len(found), f"{report_url}?problem={problem.value}")
                for problem, found in pages.items()
                if found
            ],
            "report_url": report_url,
            "stale_days": STALE_AFTER.days,
        }

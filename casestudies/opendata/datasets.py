"""The open-data files: what each holds (columns), which rows (filters) and its licences.

Each `Dataset` reads its rows with `iterator(chunk_size=...)`, so a file is written as it
is read and neither the server nor the database holds the whole of it at once; related
rows (a commitment's themes) are prefetched per chunk.

Filters use the names the site's pages and search already use (`country`, `theme`,
`region`, `income_group`, `outcome`), so a page's query string can be passed on to a
download as it is. A name may repeat (`country=KEN&country=GHA`): any of the values
matches, except outcomes, which must all hold (as on /search/); different names must all
match.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from casestudies.models import (
    WGI_DIMENSIONS,
    CaseStudyPage,
    Commitment,
    Country,
    ReformRecord,
    Theme,
)
from casestudies.models.commitments import OGP_VALUE_FIELDS
from casestudies.models.reforms import ReformSource
from casestudies.opendata import licences
from exchange.core.visibility import live_public

CHUNK_SIZE = 500
MAX_FILTER_VALUES = 50

# The IRM outcomes a commitment download can be narrowed to: the same values, and the same
# rules, as the "IRM outcome" filter of /search/ (search/documents.py).
COMMITMENT_OUTCOMES = {
    "starred": Q(starred=True),
    "complete": Q(completion_end_of_term="complete")
    | Q(completion_end_of_term__isnull=True, completion_midterm="complete"),
    "opened_government": Q(opened_government__in=("major", "outstanding")),
}


class InvalidFilter(ValueError):
    """A filter value the files cannot use; `param` names the query parameter."""

    def __init__(self, param: str, message: str):
        self.param = param
        super().__init__(message)


def _values(params, name) -> list[str]:
    values = list(dict.fromkeys(value.strip() for value in params.getlist(name) if value.strip()))
    if len(values) > MAX_FILTER_VALUES:
        raise InvalidFilter(name, f"At most {MAX_FILTER_VALUES} values for '{name}'.")
    return values


def _known(name, values, allowed) -> list[str]:
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise InvalidFilter(name, f"Unknown {name}: {', '.join(unknown)[:200]}.")
    return values


def _existing(params, name, queryset, column, *, upper=False) -> list[str]:
    """The values given for `name`, each checked to exist in `column` (one query)."""
    values = _values(params, name)
    if upper:
        values = [value.upper() for value in values]
    if values:
        found = queryset.filter(**{f"{column}__in": values}).values_list(column, flat=True)
        _known(name, values, set(found))
    return values


def read_country(params) -> list[str]:
    return _existing(params, "country", Country.objects, "iso3", upper=True)


def read_theme(params) -> list[str]:
    return _existing(params, "theme", Theme.objects, "slug")


def read_country_column(params, name) -> list[str]:
    """`region` or `income_group`: values some country has."""
    return _existing(params, name, Country.objects, name)


@dataclass(frozen=True)
class Column:
    name: str
    description: str


class Dataset:
    """One downloadable file. Subclasses name their columns, rows and filters."""

    slug: str
    title: str
    description: str
    columns: tuple[Column, ...]
    licences: tuple[licences.Licence, ...]
    # The query parameters this file can be filtered by, each described for the docs.
    filters: dict[str, str] = {}
    # The same records' `type` in /search/, whose filters a download link passes on.
    search_type: str = ""

    def read_filters(self, params) -> dict[str, list[str]]:
        """The filters given in `params`, validated; raises InvalidFilter naming the bad one."""
        return {}

    def can_apply(self, params) -> bool:
        """Whether the filters a page already checked can narrow this file too (no query:
        a page's own validation has already asked the database about its values)."""
        return True

    def queryset(self, filters):
        raise NotImplementedError

    def row(self, obj, context) -> tuple:
        raise NotImplementedError

    def rows(self, filters, request=None) -> Iterator[tuple]:
        context = self.row_context(request)
        for obj in self.queryset(filters).iterator(chunk_size=CHUNK_SIZE):
            yield self.row(obj, context)

    def row_context(self, request) -> dict:
        """What every row needs and is read once per file (the site's root URLs)."""
        return {}

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def all_licences(self) -> tuple[licences.Licence, ...]:
        return licences.with_notices(self.licences)


def _listed(values) -> list:
    """Several values: a list in JSON, one cell joined with "; " in CSV (formats.py)."""
    return list(values)


class Commitments(Dataset):
    search_type = "commitment"
    slug = "commitments"
    title = _("Commitments and their IRM ratings")
    description = _(
        "Every OGP action-plan commitment in our data with the Independent Reporting "
        "Mechanism's ratings. An empty rating means the IRM did not assess it (never a zero). "
        "OGP's full text is not included: follow source_url to read it on OGP's site."
    )
    columns = (
        Column("identifier", _("OGP's commitment identifier, e.g. KE0012")),
        Column("country_iso3", _("ISO 3166 alpha-3 code of the country")),
        Column("country_name", _("Country name")),
        Column(
            "member_name",
            _("The OGP member as OGP names it (a local member names its jurisdiction)"),
        ),
        Column("jurisdiction", _("Sub-national jurisdiction; empty for national action plans")),
        Column("action_plan_id", _("OGP's action plan identifier")),
        Column("action_plan", _("Action plan years, e.g. 2016–2018")),
        Column("plan_start_year", _("Year the action plan was submitted")),
        Column("plan_end_year", _("Year the action plan ends")),
        Column("title", _("Commitment title, as the action plan gives it")),
        Column("lead_institution", _("Lead institution")),
        Column("themes", _("Policy areas (theme slugs; see /themes/), separated by “; ” in CSV")),
        *(
            Column(
                field.removeprefix("value_"),
                _("Relevant to the OGP value: true, false or empty (not assessed)"),
            )
            for field, _label in OGP_VALUE_FIELDS
        ),
        Column("specificity", _("none, low, medium or high")),
        Column("potential_impact", _("none, minor, moderate or transformative")),
        Column("completion_midterm", _("Completion at the progress report")),
        Column("completion_end_of_term", _("Completion at the end of term")),
        Column(
            "completion", _("The latest completion recorded: end of term, else progress report")
        ),
        Column(
            "did_it_open_government",
            _("worsened, did_not_change, marginal, major, outstanding or no_results_yet"),
        ),
        Column("starred", _("The IRM's star; empty when ambition or completion was not assessed")),
        Column("source_url", _("The commitment's page on OGP's site")),
    )
    licences = (licences.OGP_IRM,)
    filters = {
        "country": _("ISO3 code, e.g. country=KEN (repeat for several)"),
        "theme": _("theme slug, e.g. theme=open-contracting (repeat for several)"),
        "region": _("World Bank region of the country"),
        "income_group": _("World Bank income group of the country"),
        "outcome": _(
            "starred, complete or opened_government (major or outstanding); "
            "repeated, every outcome given must hold, as in /search/"
        ),
    }

    def read_filters(self, params):
        return {
            "country": read_country(params),
            "theme": read_theme(params),
            "region": read_country_column(params, "region"),
            "income_group": read_country_column(params, "income_group"),
            "outcome": _known("outcome", _values(params, "outcome"), COMMITMENT_OUTCOMES),
        }

    def can_apply(self, params):
        given = {value.strip() for value in params.getlist("outcome") if value.strip()}
        return given <= set(COMMITMENT_OUTCOMES)

    def queryset(self, filters):
        commitments = Commitment.objects.select_related("country").prefetch_related(
            Prefetch("themes", queryset=Theme.objects.only("slug").order_by("slug"))
        )
        if filters.get("country"):
            commitments = commitments.filter(country__iso3__in=filters["country"])
        if filters.get("theme"):
            # Any of the themes; a subquery, so that a commitment with two of them is one row.
            commitments = commitments.filter(
                pk__in=Commitment.themes.through.objects.filter(
                    theme__slug__in=filters["theme"]
                ).values("commitment_id")
            )
        if filters.get("region"):
            commitments = commitments.filter(country__region__in=filters["region"])
        if filters.get("income_group"):
            commitments = commitments.filter(country__income_group__in=filters["income_group"])
        for outcome in filters.get("outcome", ()):
            commitments = commitments.filter(COMMITMENT_OUTCOMES[outcome])
        return commitments.order_by("country__iso3", "plan_start_year", "identifier")

    def row(self, commitment, context):
        return (
            commitment.identifier,
            commitment.country.iso3,
            commitment.country.name,
            commitment.member_name,
            commitment.jurisdiction,
            commitment.action_plan_id,
            commitment.action_plan_label,
            commitment.plan_start_year,
            commitment.plan_end_year,
            commitment.title,
            commitment.lead_institution,
            _listed(theme.slug for theme in commitment.themes.all()),
            *(getattr(commitment, field) for field, _label in OGP_VALUE_FIELDS),
            commitment.specificity,
            commitment.potential_impact,
            commitment.completion_midterm,
            commitment.completion_end_of_term,
            commitment.completion,
            commitment.opened_government,
            # Stored as False when unrated; a star nobody assessed is unknown, not "no".
            commitment.starred if commitment.is_assessed else None,
            commitment.source_url,
        )


class Countries(Dataset):
    slug = "countries"
    title = _("Countries and their context")
    description = _(
        "Every economy in the World Bank classification with its region, income group, "
        "population, GDP per capita, governance indicators and OGP membership. "
        "Empty means the source gives no value (never a guess)."
    )
    columns = (
        Column("iso3", _("ISO 3166 alpha-3 code")),
        Column("name", _("Name")),
        Column("region", _("World Bank region")),
        Column(
            "income_group",
            _("World Bank income group (FY2026); empty where the World Bank gives none"),
        ),
        Column("population", _("Population, total (SP.POP.TOTL)")),
        Column("population_year", _("Year of the population figure")),
        Column("gdp_per_capita_usd", _("GDP per capita, current US$ (NY.GDP.PCAP.CD)")),
        Column("gdp_per_capita_year", _("Year of the GDP figure")),
        Column("wgi_year", _("Year of the governance indicators")),
        *(
            Column(f"wgi_{field}", _("Worldwide Governance Indicator estimate (about −2.5 to 2.5)"))
            for field, _code, _label in WGI_DIMENSIONS
        ),
        Column("ogp_member", _("Takes part in OGP (active, inactive or status not confirmed)")),
        Column("ogp_status", _("active, inactive, withdrawn or unknown; empty if never a member")),
        Column("ogp_year_joined", _("Year the country joined OGP")),
        Column("ogp_source_url", _("The public page the membership facts were read from")),
    )
    licences = (licences.WORLD_BANK, licences.OGP_MEMBERS)
    filters = {
        "region": _("World Bank region"),
        "income_group": _("World Bank income group"),
        "members": _("members=1: OGP members only"),
    }

    def read_filters(self, params):
        members = params.get("members", "").strip()
        if members not in ("", "0", "1"):
            raise InvalidFilter("members", "'members' must be 1 (OGP members only) or 0.")
        return {
            "region": read_country_column(params, "region"),
            "income_group": read_country_column(params, "income_group"),
            "members": ["1"] if members == "1" else [],
        }

    def queryset(self, filters):
        countries = Country.objects.all()
        if filters.get("region"):
            countries = countries.filter(region__in=filters["region"])
        if filters.get("income_group"):
            countries = countries.filter(income_group__in=filters["income_group"])
        if filters.get("members"):
            countries = countries.ogp_members()
        return countries.order_by("iso3")

    def row(self, country, context):
        return (
            country.iso3,
            country.name,
            country.region,
            country.income_group,
            country.population,
            country.population_year,
            country.gdp_per_capita,
            country.gdp_per_capita_year,
            country.wgi_year,
            *(getattr(country, field) for field, _code, _label in WGI_DIMENSIONS),
            country.ogp_member,
            country.ogp_status,
            country.ogp_year_joined,
            country.ogp_source_url,
        )


class CaseStudies(Dataset):
    search_type = "casestudy"
    slug = "case-studies"
    title = _("Case studies (metadata)")
    description = _(
        "Every published case study: title, country, policy areas, status, dates and "
        "address, and whether it is sample content written by the Reform Exchange team. "
        "No body text: read the stories on the site."
    )
    columns = (
        Column("title", _("Title")),
        Column("url", _("Address of the case study on this site")),
        Column("country_iso3", _("ISO 3166 alpha-3 code of the country")),
        Column("country_name", _("Country name")),
        Column("jurisdiction", _("Sub-national jurisdiction, for local reforms")),
        Column("themes", _("Policy areas (theme slugs), separated by “; ” in CSV")),
        Column("status", _("planned, in-progress, implemented or stalled")),
        Column("period_start", _("Year the reform started")),
        Column("period_end", _("Year it ended; empty while ongoing")),
        Column("first_published_at", _("When it was first published here (ISO 8601)")),
        Column("last_published_at", _("When it was last published here (ISO 8601)")),
        Column(
            "sample",
            _("true: sample content written by the Reform Exchange team from public sources"),
        ),
    )
    licences = (licences.REFORM_EXCHANGE,)
    filters = {
        "country": _("ISO3 code (repeat for several)"),
        "theme": _("theme slug (repeat for several)"),
    }

    def read_filters(self, params):
        return {"country": read_country(params), "theme": read_theme(params)}

    def queryset(self, filters):
        pages = (
            live_public(CaseStudyPage.objects)
            .select_related("country")
            .prefetch_related(
                Prefetch("themes", queryset=Theme.objects.only("slug").order_by("slug"))
            )
        )
        if filters.get("country"):
            pages = pages.filter(country__iso3__in=filters["country"])
        if filters.get("theme"):
            pages = pages.filter(
                pk__in=CaseStudyPage.themes.through.objects.filter(
                    theme__slug__in=filters["theme"]
                ).values("casestudypage_id")
            )
        return pages.order_by("title", "pk")

    def row_context(self, request):
        return {"root_paths": Site.get_site_root_paths(), "request": request}

    def row(self, page, context):
        # Wagtail reads the site roots per page otherwise: once per file is enough.
        page._wagtail_cached_site_root_paths = context["root_paths"]
        return (
            page.title,
            # The address as the visitor reached the site (host and scheme), like the APIs.
            context["request"].build_absolute_uri(page.get_url(context["request"])),
            page.country.iso3,
            page.country.name,
            page.jurisdiction,
            _listed(theme.slug for theme in page.themes.all()),
            page.status,
            page.period_start,
            page.period_end,
            page.first_published_at,
            page.last_published_at,
            page.is_sample,
        )


class ReformRecords(Dataset):
    search_type = "reform"
    slug = "reform-records"
    title = _("Reform records from other trackers")
    description = _(
        "What the organisations that track one reform worldwide record for each country: "
        "open contracting data publishers (Open Contracting Partnership) and beneficial-"
        "ownership commitments and registers (Open Ownership). Facts from a tracker, not "
        "IRM assessments. Each row names its source."
    )
    columns = (
        Column("source", _("open-contracting-partnership or open-ownership")),
        Column("source_name", _("The organisation the fact comes from")),
        Column("kind", _("What kind of fact, e.g. ocds-publisher or bo-register")),
        Column("country_iso3", _("ISO 3166 alpha-3 code of the country")),
        Column("country_name", _("Country name")),
        Column("theme", _("Policy area (theme slug)")),
        Column("title", _("The fact in a few words")),
        Column("since", _("The year the country first did it, where known")),
        Column("as_of", _("When the source last checked (ISO 8601 date)")),
        Column("url", _("The evidence itself")),
        Column("source_url", _("The page or dataset the record was read from")),
    )
    licences = (licences.OPEN_CONTRACTING, licences.OPEN_OWNERSHIP)
    filters = {
        "country": _("ISO3 code (repeat for several)"),
        "theme": _("theme slug (repeat for several)"),
        "source": _("open-contracting-partnership or open-ownership"),
    }

    def read_filters(self, params):
        return {
            "country": read_country(params),
            "theme": read_theme(params),
            "source": _known("source", _values(params, "source"), ReformSource.values),
        }

    def queryset(self, filters):
        records = ReformRecord.objects.select_related("country", "theme")
        if filters.get("country"):
            records = records.filter(country__iso3__in=filters["country"])
        if filters.get("theme"):
            records = records.filter(theme__slug__in=filters["theme"])
        if filters.get("source"):
            records = records.filter(source__in=filters["source"])
        return records.order_by("country__iso3", "theme__slug", "source", "kind", "title", "pk")

    def row(self, record, context):
        return (
            record.source,
            record.get_source_display(),
            record.kind,
            record.country.iso3,
            record.country.name,
            record.theme.slug,
            record.title,
            record.since,
            record.as_of,
            record.url,
            record.source_url,
        )


DATASETS: dict[str, Dataset] = {
    dataset.slug: dataset
    for dataset in (Commitments(), Countries(), CaseStudies(), ReformRecords())
}

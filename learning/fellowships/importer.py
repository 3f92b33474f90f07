"""Import fellowships from YAML: a list of fellowships under `fellowships:`.

The input is one YAML file, or a folder whose `.yaml`/`.yml` files are read
together (slugs must be unique across them). Every entry is validated first and
each problem is reported as `file:line: reason`; if any entry is bad, nothing is
written. Fellowships are matched on
their slug under the fellowship index, so importing again updates them (a new
revision only where something changed) instead of duplicating them.

Deadlines are fixed moments with a UTC offset (`2027-03-31T23:59:00+00:00`), never
relative to the import: the same file gives the same open/closed states to everyone.
`deadline_time_zone` (optional, default UTC) is the host's IANA time zone, in which
pages show the deadline.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.text import slugify

from casestudies.models import Country, Theme
from exchange.core.importing.base import ImportFailed, ImportResult, Problem, read_text
from exchange.core.importing.yaml_lines import Mapping as _Mapping
from exchange.core.importing.yaml_lines import Sequence as _Sequence
from exchange.core.importing.yaml_lines import load as load_yaml
from exchange.core.importing.yaml_lines import problem as yaml_problem

# The one import of the top layer from an app: importing fellowships into an empty database
# creates the page tree they hang from (docs/architecture.md, Layers). No cycle: page_tree
# imports learning.models, not this module.
from exchange.page_tree import ensure_page_tree
from learning.fellowships.models import FellowshipIndexPage, FellowshipPage

REQUIRED = {
    "slug",
    "title",
    "summary",
    "host_country",
    "host_institution",
    "themes",
    "duration_weeks",
    "start_date",
    "end_date",
    "application_deadline",
    "eligibility",
    "what_you_will_do",
    "criteria",
}
KEYS = REQUIRED | {"sample", "deadline_time_zone"}
MAX_FILE_BYTES = 500_000
TEXT_MAX = {
    "title": 255,
    "summary": 500,
    "host_institution": 255,
    "slug": 255,
}


@dataclass
class FellowshipDraft:
    slug: str
    fields: dict
    theme_ids: list[int]


def _as_date(value):
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _as_aware_datetime(value):
    if not isinstance(value, dt.datetime):
        try:
            value = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return None
    return value if value.tzinfo is not None else None


def validate(
    path: Path, seen: dict[str, tuple[str, int]] | None = None
) -> tuple[list[FellowshipDraft], list[Problem]]:
    """The valid entries of one file, and its problems.

    `seen` maps the slugs of files read before to where they are, so a slug is
    unique across a folder; it is updated with this file's slugs.
    """
    source = path.name
    problems: list[Problem] = []
    seen = {} if seen is None else seen

    def problem(line, reason):
        problems.append(Problem(source, line, reason))

    if path.stat().st_size > MAX_FILE_BYTES:
        problem(1, f"file is larger than {MAX_FILE_BYTES // 1000} kB")
        return [], problems
    try:
        data = load_yaml(read_text(path), what="fellowship files")
    except ImportFailed as failure:
        return [], failure.problems
    except yaml.YAMLError as error:
        return [], [yaml_problem(error, source)]
    if not isinstance(data, _Mapping) or not isinstance(data.get("fellowships"), _Sequence):
        problem(1, "expected a mapping with a `fellowships:` list")
        return [], problems

    countries = dict(Country.objects.values_list("iso3", "pk"))
    themes = dict(Theme.objects.values_list("slug", "pk"))
    drafts = []
    for position, entry in enumerate(data["fellowships"]):
        line = data["fellowships"].line_at(position)
        if not isinstance(entry, _Mapping):
            problem(line, "each fellowship must be a mapping of keys to values")
            continue
        before = len(problems)
        for key, key_line in entry.duplicates:
            problem(key_line, f"`{key}` is given twice")
        for key in sorted(set(entry) - KEYS, key=str):
            problem(entry.line_of(key), f"unknown key `{key}` (expected one of {sorted(KEYS)})")
        for key in sorted(REQUIRED - set(entry)):
            problem(entry.line, f"missing `{key}`")
        if len(problems) > before:
            continue
        at = entry.line_of
        for key, limit in TEXT_MAX.items():
            if not isinstance(entry[key], str) or not entry[key].strip():
                problem(at(key), f"`{key}` must be non-empty text")
            elif len(entry[key]) > limit:
                problem(at(key), f"`{key}` is longer than {limit} characters")
        slug = str(entry["slug"])
        if slugify(slug) != slug:
            problem(at("slug"), f"`slug` must be lowercase words joined by hyphens, not {slug!r}")
        if slug in seen:
            other, other_line = seen[slug]
            where = f"line {other_line}" if other == source else f"{other}:{other_line}"
            problem(at("slug"), f"slug `{slug}` is also used on {where}")
        seen.setdefault(slug, (source, at("slug")))
        host = entry["host_country"]
        country_pk = countries.get(host.strip().upper()) if isinstance(host, str) else None
        if country_pk is None:
            problem(at("host_country"), f"unknown country code `{host}`")
        theme_ids = []
        listed = entry["themes"]
        if not isinstance(listed, list) or not listed:
            problem(at("themes"), "`themes` must be a non-empty list of theme slugs")
        else:
            for position, theme in enumerate(listed):
                line_of_theme = listed.line_at(position)
                if not isinstance(theme, str):
                    problem(line_of_theme, f"a theme must be a theme slug, not {theme!r}")
                elif theme not in themes:
                    problem(line_of_theme, f"unknown theme `{theme}`")
                else:
                    theme_ids.append(themes[theme])
        weeks = entry["duration_weeks"]
        if not isinstance(weeks, int) or isinstance(weeks, bool) or not 1 <= weeks <= 104:
            problem(at("duration_weeks"), "`duration_weeks` must be a whole number from 1 to 104")
        start, end = _as_date(entry["start_date"]), _as_date(entry["end_date"])
        for key, value in (("start_date", start), ("end_date", end)):
            if value is None:
                problem(at(key), f"`{key}` must be a date like 2027-09-01")
        if start and end and end < start:
            problem(at("end_date"), "`end_date` is before `start_date`")
        deadline = _as_aware_datetime(entry["application_deadline"])
        if deadline is None:
            problem(
                at("application_deadline"),
                "`application_deadline` must be a date and time with a time zone, "
                "like 2027-03-31T23:59:00+00:00",
            )
        elif start and deadline.date() > start:
            problem(at("application_deadline"), "the deadline is after the fellowship starts")
        time_zone = entry.get("deadline_time_zone", "UTC")
        if not isinstance(time_zone, str) or time_zone not in zoneinfo.available_timezones():
            problem(
                at("deadline_time_zone"),
                f"unknown time zone `{time_zone}` (use a name like Europe/Bratislava)",
            )
        for key in ("eligibility", "what_you_will_do"):
            if not isinstance(entry[key], str) or not entry[key].strip():
                problem(at(key), f"`{key}` must be non-empty Markdown text")
        criteria = entry["criteria"]
        if (
            not isinstance(criteria, list)
            or not criteria
            or not all(isinstance(c, str) and c.strip() and len(c) <= 120 for c in criteria)
        ):
            problem(at("criteria"), "`criteria` must be a list of short names (120 characters)")
        if not isinstance(entry.get("sample", False), bool):
            problem(at("sample"), "`sample` must be true or false")
        if len(problems) > before:
            continue
        drafts.append(
            FellowshipDraft(
                slug=slug,
                theme_ids=sorted(theme_ids),
                fields={
                    "title": entry["title"].strip(),
                    "summary": entry["summary"].strip(),
                    "host_country_id": country_pk,
                    "host_institution": entry["host_institution"].strip(),
                    "duration_weeks": weeks,
                    "start_date": start,
                    "end_date": end,
                    "application_deadline": deadline,
                    "deadline_time_zone": time_zone,
                    "eligibility": entry["eligibility"].strip(),
                    "what_you_will_do": entry["what_you_will_do"].strip(),
                    "criteria": [c.strip() for c in criteria],
                    "is_sample": entry.get("sample", False),
                },
            )
        )
    return drafts, problems


def _criteria_stream(names):
    return [("criterion", name) for name in names]


def _differs(page: FellowshipPage, draft: FellowshipDraft) -> bool:
    for name, value in draft.fields.items():
        current = page.criterion_names if name == "criteria" else getattr(page, name)
        if current != value:
            return True
    return sorted(page.themes.values_list("pk", flat=True)) != draft.theme_ids


def yaml_files(path: Path) -> list[Path]:
    """The file itself, or the YAML files of a folder; ImportFailed when there are none."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise ImportFailed([Problem(str(path), 0, "no such file or folder")])
    files = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
    if not files:
        raise ImportFailed([Problem(str(path), 0, "no .yaml files in this folder")])
    return files


def import_fellowships(path: Path, *, publish: bool = False) -> ImportResult:
    """Import a YAML file, or every YAML file of a folder, all or nothing."""
    drafts, problems, seen = [], [], {}
    for file in yaml_files(Path(path)):
        file_drafts, file_problems = validate(file, seen)
        drafts += file_drafts
        problems += file_problems
    if problems:
        raise ImportFailed(problems)
    result = ImportResult()
    with transaction.atomic():
        index = FellowshipIndexPage.objects.first()
        if index is None:
            ensure_page_tree()
            index = FellowshipIndexPage.objects.get()
        for draft in drafts:
            page = FellowshipPage.objects.child_of(index).filter(slug=draft.slug).first()
            if page is not None and not _differs(page, draft):
                result.unchanged += 1
                continue
            fields = {**draft.fields, "criteria": _criteria_stream(draft.fields["criteria"])}
            if page is None:
                page = FellowshipPage(slug=draft.slug, **fields)
                page.themes.set(Theme.objects.filter(pk__in=draft.theme_ids))
                index.add_child(instance=page)
                result.created += 1
            else:
                for name, value in fields.items():
                    setattr(page, name, value)
                page.themes.set(Theme.objects.filter(pk__in=draft.theme_ids))
                result.updated += 1
            revision = page.save_revision()
            if publish:
                revision.publish()
    return result

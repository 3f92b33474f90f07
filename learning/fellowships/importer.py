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
from functools import partial
from pathlib import Path

import yaml
from django.db import transaction

from casestudies.models import Country, Theme
from exchange.core.importing.base import ImportFailed, ImportResult, Problem, read_text
from exchange.core.importing.checks import LineChecker
from exchange.core.importing.yaml_lines import Mapping, Sequence
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
# Texts, each with its field's length where it has one; eligibility and the programme are
# Markdown.
TEXT_MAX = {"title": 255, "summary": 500, "host_institution": 255}
TEXTS = (*TEXT_MAX, "eligibility", "what_you_will_do")


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
    check = LineChecker(source)
    seen = {} if seen is None else seen
    if path.stat().st_size > MAX_FILE_BYTES:
        check.fail(1, f"file is larger than {MAX_FILE_BYTES // 1000} kB")
        return [], check.problems
    try:
        data = load_yaml(read_text(path), what="fellowship files")
    except ImportFailed as failure:
        return [], failure.problems
    except yaml.YAMLError as error:
        return [], [yaml_problem(error, source)]
    if not isinstance(data, Mapping) or not isinstance(data.get("fellowships"), Sequence):
        check.fail(1, "expected a set of 'key: value' lines with a 'fellowships:' list")
        return [], check.problems

    countries = dict(Country.objects.values_list("iso3", "pk"))
    themes = dict(Theme.objects.values_list("slug", "pk"))
    drafts = []
    for _line, entry in check.items(data, "fellowships", of=Mapping):
        before = len(check.problems)
        title = entry.get("title")
        what = (
            f"fellowship '{title}'" if isinstance(title, str) and title.strip() else "a fellowship"
        )
        check.keys(entry, KEYS, what, required=sorted(REQUIRED))
        if len(check.problems) > before:
            continue
        at = partial(check.line, entry)
        texts = {key: check.text(entry, key, max_length=TEXT_MAX.get(key)) for key in TEXTS}
        slug = check.slug(entry, "")
        if slug in seen:
            other, other_line = seen[slug]
            where = f"line {other_line}" if other == source else f"{other}:{other_line}"
            check.fail(at("slug"), f"slug {slug!r} is also used on {where}")
        seen.setdefault(slug, (source, at("slug")))
        host = entry["host_country"]
        country_pk = countries.get(host.strip().upper()) if isinstance(host, str) else None
        if country_pk is None:
            check.fail(at("host_country"), f"unknown country code {host!r}")
        theme_ids = []
        for theme_line, theme in check.items(entry, "themes"):
            if not isinstance(theme, str):
                check.fail(theme_line, f"a theme must be a theme slug, not {theme!r}")
            elif theme not in themes:
                check.fail(theme_line, f"unknown theme {theme!r}")
            else:
                theme_ids.append(themes[theme])
        weeks = check.integer(entry, "duration_weeks", low=1, high=104)
        start, end = _as_date(entry["start_date"]), _as_date(entry["end_date"])
        for key, value in (("start_date", start), ("end_date", end)):
            if value is None:
                check.fail(at(key), f"'{key}' must be a date like 2027-09-01")
        if start and end and end < start:
            check.fail(at("end_date"), "'end_date' is before 'start_date'")
        deadline = _as_aware_datetime(entry["application_deadline"])
        if deadline is None:
            check.fail(
                at("application_deadline"),
                "'application_deadline' must be a date and time with a time zone, "
                "like 2027-03-31T23:59:00+00:00",
            )
        elif start and deadline.date() > start:
            check.fail(at("application_deadline"), "the deadline is after the fellowship starts")
        time_zone = entry.get("deadline_time_zone", "UTC")
        if not isinstance(time_zone, str) or time_zone not in zoneinfo.available_timezones():
            check.fail(
                at("deadline_time_zone"),
                f"unknown time zone {time_zone!r} (use a name like Europe/Bratislava)",
            )
        criteria = [criterion for _line, criterion in check.items(entry, "criteria")]
        if not all(isinstance(c, str) and c.strip() and len(c) <= 120 for c in criteria):
            check.fail(at("criteria"), "'criteria' must be a list of short names (120 characters)")
        sample = check.boolean(entry, "sample")
        if len(check.problems) > before:
            continue
        drafts.append(
            FellowshipDraft(
                slug=slug,
                theme_ids=sorted(theme_ids),
                fields={
                    **texts,
                    "host_country_id": country_pk,
                    "duration_weeks": weeks,
                    "start_date": start,
                    "end_date": end,
                    "application_deadline": deadline,
                    "deadline_time_zone": time_zone,
                    "criteria": [c.strip() for c in criteria],
                    "is_sample": sample,
                },
            )
        )
    return drafts, check.problems


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

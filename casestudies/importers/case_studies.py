"""Import case studies written as Markdown files with a YAML front matter.

The format is documented in docs/case-study-format.md. Every file in the
folder is validated first and each problem is reported as `file:line: reason`;
if any file is bad, no page is created or changed. Pages are matched on their
slug, so re-importing a folder updates the pages (as a new revision) instead of
duplicating them. New pages are drafts unless `publish=True`.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from casestudies.blocks import KeyFigureBlock, SectionKind, SourceBlock
from casestudies.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    CaseStudyStatus,
    Commitment,
    Country,
    Theme,
)
from exchange.core.importing import yaml_lines
from exchange.core.importing.base import ImportFailed, ImportResult, Problem, read_text
from exchange.core.importing.checks import LineChecker, parse_files

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)
PERIOD = re.compile(r"^([0-9]{4})(?:\s*[-–]\s*([0-9]{4})?)?$")
OGP_VALUES = {
    "access-to-information": "value_access_to_information",
    "civic-participation": "value_civic_participation",
    "public-accountability": "value_public_accountability",
    "technology-and-innovation": "value_technology_innovation",
}
REQUIRED = ["title", "country", "themes", "status", "period", "summary"]
KNOWN_KEYS = {
    *REQUIRED,
    "slug",
    "jurisdiction",
    "ogp_values",
    "commitments",
    "key_figures",
    "sources",
    "sample",
}
MAX_FILE_BYTES = 200_000
# The limits docs/case-study-format.md promises to writers; the importer holds files to them.
SUMMARY_MAX = 300
THEMES_COUNT = (1, 4)
SOURCES_COUNT = (2, 5)
KEY_FIGURES_MAX = 4
# Sample files must say they are samples in their own text too, where they are read
# outside the site (the page shows its own "Sample content" banner instead of this line).
SAMPLE_NOTICE = (
    "*Sample content written by the Reform Exchange team from public sources; "
    "check the sources before citing.*"
)
JURISDICTION_MAX = CaseStudyPage._meta.get_field("jurisdiction").max_length
TITLE_MAX = CaseStudyPage._meta.get_field("title").max_length


@dataclass
class CaseStudyDraft:
    """A validated file, ready to become a page."""

    path: Path
    slug: str
    fields: dict
    themes: list
    commitments: list
    body: list[tuple[str, object]] = field(default_factory=list)
    slug_line: int = 1


class CaseStudyFileParser(LineChecker):
    """One case study file: `parse()` gives its draft, or None with the reasons in `problems`.

    The front matter's lines are counted from the file's line 2, after the opening `---`.
    """

    def __init__(self, path: Path, lookups):
        super().__init__(path.name, first_line=2)
        self.path = path
        self.countries, self.themes, self.commitments = lookups
        self.meta = yaml_lines.Mapping()

    def line_of_key(self, key) -> int:
        """The file's line of a front matter key (line 2 for a missing one)."""
        return self.line(self.meta, key)

    def parse(self) -> CaseStudyDraft | None:
        if self.path.stat().st_size > MAX_FILE_BYTES:
            self.fail(1, f"file is larger than {MAX_FILE_BYTES // 1000} kB")
            return None
        try:
            # UTF-8 only, a byte-order mark allowed (editors on Windows may save one).
            text = read_text(self.path)
        except ImportFailed as failure:
            self.problems.extend(failure.problems)
            return None
        match = FRONT_MATTER.match(text)
        if not match:
            self.fail(1, "missing front matter: the file must start with a '---' block")
            return None
        try:
            meta = yaml_lines.load(match.group(1), what="case study files")
        except yaml.YAMLError as error:
            # The front matter starts on line 2, after the opening '---'.
            self.problems.append(
                yaml_lines.problem(
                    error, self.source, first_line=2, invalid="front matter is not valid YAML"
                )
            )
            return None
        if not isinstance(meta, yaml_lines.Mapping):
            self.fail(2, "front matter must be a set of 'key: value' lines")
            return None
        self.meta = meta
        body_start = match.group(0).count("\n") + 1
        return self.build(meta, text[match.end() :], body_start)

    def build(self, meta: dict, body: str, body_start: int) -> CaseStudyDraft | None:
        self.keys(meta, KNOWN_KEYS, "the front matter", required=REQUIRED)
        title = self.text(meta, "title", max_length=TITLE_MAX)
        # The file name is the stable identity: fixing a title must not create a new page.
        slug = self.slug(meta, self.path.stem)

        country = None
        if meta.get("country"):
            code = self.text(meta, "country").upper()
            country = self.countries.get(code)
            if country is None:
                self.fail(self.line_of_key("country"), f"unknown country {meta['country']!r}")

        themes = []
        for line, slug_value in self.items(meta, "themes"):
            theme = self.themes.get(str(slug_value))
            if theme is None:
                self.fail(line, f"unknown theme {slug_value!r}")
            else:
                themes.append(theme)

        commitments = []
        for line, identifier in self.items(meta, "commitments"):
            commitment = self.commitments.get(str(identifier))
            if commitment is None:
                self.fail(line, f"unknown commitment {identifier!r}")
            else:
                commitments.append(commitment)

        status = self.text(meta, "status")
        if status and status not in CaseStudyStatus.values:
            self.fail(
                self.line_of_key("status"),
                f"status must be one of {', '.join(CaseStudyStatus.values)}",
            )

        period_start = period_end = None
        if meta.get("period"):
            period = PERIOD.match(self.text(meta, "period"))
            if not period:
                self.fail(
                    self.line_of_key("period"),
                    "period must look like 2016, 2016-2018 or 2016- (ongoing)",
                )
            else:
                period_start = int(period.group(1))
                has_dash = "-" in str(meta["period"]) or "–" in str(meta["period"])
                period_end = (
                    int(period.group(2))
                    if period.group(2)
                    else (None if has_dash else period_start)
                )
                if period_end and period_end < period_start:
                    self.fail(self.line_of_key("period"), "period ends before it starts")

        values = {}
        for line, value in self.items(meta, "ogp_values"):
            if not isinstance(value, str) or value not in OGP_VALUES:
                self.fail(line, f"unknown OGP value {value!r}")
            else:
                values[OGP_VALUES[value]] = True

        summary = self.text(meta, "summary", max_length=SUMMARY_MAX)
        jurisdiction = self.text(meta, "jurisdiction", max_length=JURISDICTION_MAX)
        if meta.get("themes"):
            self.check_count(meta, "themes", THEMES_COUNT)

        key_figures = self.structured(
            meta, "key_figures", required=("value", "label"), limits=KeyFigureBlock
        )
        if len(key_figures) > KEY_FIGURES_MAX:
            self.fail(
                self.line_of_key("key_figures"),
                f"'key_figures' has {len(key_figures)} entries; at most {KEY_FIGURES_MAX} "
                "are allowed",
            )
        sources = self.structured(meta, "sources", required=("title",), limits=SourceBlock)
        self.check_count(meta, "sources", SOURCES_COUNT)
        for source in sources:
            url = str(source.get("url") or "")
            if url and not url.startswith(("https://", "http://")):
                self.fail(self.line_of_key("sources"), f"source url {url!r} is not a web address")

        sample = self.boolean(meta, "sample")
        blocks = self.body_blocks(body, body_start, sample)
        if self.problems:
            return None
        return CaseStudyDraft(
            path=self.path,
            slug=slug,
            fields={
                "title": title,
                "country": country,
                "jurisdiction": jurisdiction,
                "status": status,
                "period_start": period_start,
                "period_end": period_end,
                "summary": summary,
                "is_sample": sample,
                "key_figures": [
                    ("figure", {"value": str(f["value"]), "label": str(f["label"])})
                    for f in key_figures
                ],
                "sources": [
                    (
                        "source",
                        {
                            "title": str(s["title"]),
                            "publisher": str(s.get("publisher") or ""),
                            "year": s.get("year"),
                            "url": str(s.get("url") or ""),
                        },
                    )
                    for s in sources
                ],
                "body": blocks,
                **{name: values.get(name, False) for name in OGP_VALUES.values()},
            },
            themes=themes,
            commitments=commitments,
            slug_line=self.line_of_key("slug") if "slug" in meta else 1,
        )

    def check_count(self, meta, key: str, bounds: tuple[int, int]):
        """The number of entries the format allows (a value that is no list is told elsewhere)."""
        value = meta.get(key) or []
        count = len(value) if isinstance(value, list) else 1
        low, high = bounds
        if not low <= count <= high:
            entries = "entry" if count == 1 else "entries"
            self.fail(
                self.line_of_key(key) if key in meta else 2,
                f"'{key}' has {count} {entries}; give {low} to {high}",
            )

    def structured(self, meta, key, required, limits) -> list[dict]:
        """Entries of a list of mappings, checked against the limits of their block.

        A value longer than the block allows would import, but the page could then
        not be saved in the admin until an editor shortened it. Each problem is reported
        at its entry's line.
        """
        valid = []
        for line, item in self.items(meta, key):
            if not isinstance(item, dict) or any(not item.get(name) for name in required):
                self.fail(line, f"each entry of '{key}' needs {' and '.join(required)}")
                continue
            nested = sorted(
                str(name) for name, value in item.items() if isinstance(value, dict | list)
            )
            if nested:
                self.fail(
                    line,
                    f"an entry of '{key}' has a list or mapping as {', '.join(nested)}: "
                    "give plain text",
                )
                continue
            too_long = [
                f"{name} ({len(str(item[name]))} > {child.field.max_length})"
                for name, child in limits.base_blocks.items()
                if item.get(name) is not None
                and getattr(child.field, "max_length", None)
                and len(str(item[name])) > child.field.max_length
            ]
            if too_long:
                self.fail(
                    line,
                    f"an entry of '{key}' is too long: {', '.join(too_long)} characters",
                )
                continue
            year = item.get("year")
            if year is not None and not (isinstance(year, int) and 1900 <= year <= 2100):
                self.fail(line, f"year {year!r} in '{key}' is not a year")
                continue
            valid.append(item)
        return valid

    def body_blocks(self, body: str, body_start: int, is_sample: bool) -> list[tuple[str, object]]:
        """Split the body on `## ` headings; known headings become structured sections."""
        blocks, heading, heading_line, lines = [], None, body_start, []
        seen = []
        order = [kind for kind, _ in SectionKind.CHOICES]

        def flush():
            text = "\n".join(lines).strip()
            if heading is None and is_sample and not text.startswith(SAMPLE_NOTICE):
                self.fail(
                    body_start,
                    f"a sample case study must open with the line {SAMPLE_NOTICE}",
                )
            if heading is None:
                # The italic sample notice opening each sample file is shown by the
                # page's own "Sample content" banner, so it is not repeated in the body.
                if text and not (is_sample and text.startswith("*Sample content")):
                    blocks.append(("markdown", text))
                return
            kind = SectionKind.BY_HEADING.get(heading.lower())
            if kind is None:
                blocks.append(("markdown", f"## {heading}\n\n{text}"))
            elif kind in seen:
                self.fail(heading_line, f"section '{heading}' appears twice")
            else:
                later = [k for k in seen if order.index(k) > order.index(kind)]
                if later:
                    self.fail(
                        heading_line,
                        f"section '{heading}' must come before '{SectionKind.HEADINGS[later[0]]}'",
                    )
                seen.append(kind)
                if not text:
                    self.fail(heading_line, f"section '{heading}' is empty")
                blocks.append(("section", {"kind": kind, "text": text}))

        for number, line in enumerate(body.splitlines(), start=body_start):
            if line.startswith("## "):
                flush()
                heading, heading_line, lines = line[3:].strip(), number, []
            else:
                lines.append(line)
        flush()
        if not seen:
            self.fail(
                body_start,
                "the body has none of the case study sections "
                "(## Context, ## What was done, ## Results, …)",
            )
        else:
            for kind in order:
                if kind not in seen:
                    self.fail(body_start, f"missing section '## {SectionKind.HEADINGS[kind]}'")
        return blocks


def parse_folder(folder: Path) -> list[CaseStudyDraft]:
    if not folder.is_dir():
        raise ImportFailed([Problem(str(folder), 0, "not a folder")])
    paths = sorted(folder.glob("*.md"))
    if not paths:
        raise ImportFailed([Problem(str(folder), 0, "no .md files in this folder")])
    lookups = (
        {country.iso3: country for country in Country.objects.all()},
        {theme.slug: theme for theme in Theme.objects.all()},
        {c.identifier: c for c in Commitment.objects.only("pk", "identifier")},
    )
    drafts, problems = parse_files(paths, lambda path: CaseStudyFileParser(path, lookups), "slug")
    if problems:
        raise ImportFailed(problems)
    return drafts


def import_case_studies(folder: Path, *, publish=False, user=None, progress=None) -> ImportResult:
    drafts = parse_folder(folder)
    index = CaseStudyIndexPage.objects.first()
    if index is None:
        raise ImportFailed([Problem(str(folder), 0, "no case study index page exists yet")])
    result = ImportResult()
    with transaction.atomic():
        existing = {page.slug: page for page in CaseStudyPage.objects.child_of(index).specific()}
        for draft in progress(drafts) if progress else drafts:
            page = existing.get(draft.slug)
            created = page is None
            if created:
                page = CaseStudyPage(slug=draft.slug, live=False)
            elif not _differs(page, draft) and (
                not publish or (page.live and not page.has_unpublished_changes)
            ):
                # With --publish, a page whose latest revision matches the file but
                # is still a draft (imported earlier without --publish) is published.
                result.unchanged += 1
                continue
            for key, value in draft.fields.items():
                setattr(page, key, value)
            page.themes.set(draft.themes)
            page.commitments.set(draft.commitments)
            if created:
                index.add_child(instance=page)
                result.created += 1
            else:
                result.updated += 1
            revision = page.save_revision(user=user, log_action=True)
            if publish:
                revision.publish(user=user)
    return result


def _differs(page: CaseStudyPage, draft: CaseStudyDraft) -> bool:
    """Whether importing the draft would change the page (so re-runs stay quiet)."""
    latest = page.get_latest_revision_as_object()
    for key, value in draft.fields.items():
        current = getattr(latest, key)
        if key in {"body", "key_figures", "sources"}:
            current = [
                (block.block_type, block.block.get_prep_value(block.value)) for block in current
            ]
            value = [(kind, v) for kind, v in value]
        elif key == "country":
            current, value = latest.country_id, value.pk
        if current != value:
            return True
    return {t.pk for t in latest.themes.all()} != {t.pk for t in draft.themes} or {
        c.pk for c in latest.commitments.all()
    } != {c.pk for c in draft.commitments}

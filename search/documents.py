"""One place that turns content into the document both search backends index.

Each `from_*` builder is listed in search/registry.py with the queryset it reads and
the related models whose edits reindex it. Also the index name, which carries an
environment prefix so that several environments can share one Elasticsearch cluster.
The elasticsearch-dsl mapping of these documents is `ExchangeDocument` in
search/backends/elasticsearch.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.conf import settings
from django.utils.html import strip_tags

from search.backends.base import IndexDocument

# Outcome scores, 0..1, used for ranking evidence and peers (docs/matching.md).
COMPLETION_SCORE = {
    "complete": 1.0,
    "substantial": 0.75,
    "limited": 0.3,
    "not_started": 0.0,
    "withdrawn": 0.0,
    "unclear": 0.2,
}
OPENED_GOVERNMENT_SCORE = {
    "outstanding": 1.0,
    "major": 0.8,
    "marginal": 0.4,
    "did_not_change": 0.1,
    "worsened": 0.0,
}
IMPACT_SCORE = {"transformative": 1.0, "moderate": 0.6, "minor": 0.3, "none": 0.0}
STATUS_SCORE = {"implemented": 1.0, "in-progress": 0.6, "planned": 0.3, "stalled": 0.15}
UNKNOWN_SCORE = 0.25  # an outcome the IRM did not assess: neither good nor bad evidence

MARKDOWN_NOISE = re.compile(r"[#*_>`\[\]]+|\(https?://[^)]*\)")


def index_name() -> str:
    """The alias searches go through; concrete indexes are `<alias>-<version>`."""
    return f"{settings.SEARCH_INDEX_PREFIX}-documents"


def commitment_outcome_strength(commitment) -> float:
    completion = COMPLETION_SCORE.get(commitment.completion, UNKNOWN_SCORE)
    opened = OPENED_GOVERNMENT_SCORE.get(commitment.opened_government, UNKNOWN_SCORE)
    impact = IMPACT_SCORE.get(commitment.potential_impact, UNKNOWN_SCORE)
    strength = 0.45 * completion + 0.30 * opened + 0.10 * impact + 0.15 * commitment.starred
    return round(strength, 4)


def case_study_outcome_strength(page) -> float:
    return STATUS_SCORE.get(page.status, UNKNOWN_SCORE)


def _plain(text: str) -> str:
    return " ".join(MARKDOWN_NOISE.sub(" ", strip_tags(text or "")).split())


def _stream_text(stream) -> str:
    parts = []
    for block in stream:
        value = block.value
        if block.block_type == "section":
            parts.append(value["text"])
        elif block.block_type == "quote":
            parts.append(value["quote"])
        elif hasattr(value, "source"):  # RichText
            parts.append(value.source)
        else:
            parts.append(str(value))
    return _plain(" ".join(parts))


def _country_fields(country) -> dict:
    return {
        "country": country.iso3,
        "country_name": country.name,
        "region": country.region,
        "income_group": country.income_group,
    }


def from_commitment(commitment) -> IndexDocument:
    """`commitment` needs `country` and `themes` loaded (see `commitment_documents`).

    The body carries OGP's full text, so search and matching find a commitment by what
    it does, not only by its title. A snippet cut from it is a short quote; the hit
    links to the commitment on its country page, which quotes it beside a link to
    OGP's page, and `details["source_url"]` carries that page for whoever shows a hit.
    """
    institutions = f"{commitment.lead_institution} {commitment.supporting_institutions}"
    return IndexDocument(
        doc_id=f"commitment-{commitment.identifier}",
        type="commitment",
        title=commitment.title,
        url=commitment.country.get_absolute_url() + f"#{commitment.identifier}",
        body=_plain(f"{institutions} {commitment.full_text}"),
        summary=f"{commitment.member_name}, action plan {commitment.action_plan_label}",
        themes=tuple(theme.slug for theme in commitment.themes.all()),
        year=commitment.plan_start_year,
        starred=commitment.starred,
        complete=commitment.completion == "complete",
        opened_government=commitment.opened_government in ("major", "outstanding"),
        outcome_strength=commitment_outcome_strength(commitment),
        details={
            "identifier": commitment.identifier,
            "action_plan": commitment.action_plan_label,
            "source_url": commitment.source_url,
            "irm": {
                "specificity": commitment.specificity,
                "potential_impact": commitment.potential_impact,
                "completion": commitment.completion,
                "did_it_open_government": commitment.opened_government,
                "starred": commitment.starred if commitment.is_assessed else None,
            },
        },
        **_country_fields(commitment.country),
    )


def from_case_study(page) -> IndexDocument:
    """`page` is a live CaseStudyPage with `country` and `themes` loaded."""
    return IndexDocument(
        doc_id=f"casestudy-{page.pk}",
        type="casestudy",
        title=page.title,
        url=page.url or "",
        body=_stream_text(page.body),
        summary=page.summary,
        themes=tuple(theme.slug for theme in page.themes.all()),
        year=page.period_start,
        implemented=page.status == "implemented",
        outcome_strength=case_study_outcome_strength(page),
        # The years, not their words: each page says them in its reader's language.
        details={
            "status": page.status,
            "period_start": page.period_start,
            "period_end": page.period_end,
            "sample": page.is_sample,
        },
        **_country_fields(page.country),
    )


def from_course(page) -> IndexDocument:
    """`page` is a live CoursePage with `themes` loaded. Courses belong to no country."""
    return IndexDocument(
        doc_id=f"course-{page.pk}",
        type="course",
        title=page.title,
        url=page.url or "",
        body=_plain(page.outcomes),
        summary=page.summary,
        themes=tuple(theme.slug for theme in page.themes.all()),
        details={"level": page.level, "duration_hours": page.duration_hours},
    )


def from_fellowship(page) -> IndexDocument:
    """`page` is a live FellowshipPage with `host_country` and `themes` loaded.

    The document is placed in its host country, so the country, region and income
    facets find it. Whether it is open is not indexed: the deadline passes without
    the page changing, so pages and the API work the status out from
    `details["application_deadline"]` when they show the hit.
    """

    return IndexDocument(
        doc_id=f"fellowship-{page.pk}",
        type="fellowship",
        title=page.title,
        url=page.url or "",
        body=_plain(f"{page.host_institution} {page.what_you_will_do} {page.eligibility}"),
        summary=page.summary,
        themes=tuple(theme.slug for theme in page.themes.all()),
        year=page.start_date.year if page.start_date else None,
        details={
            "host_institution": page.host_institution,
            "application_deadline": page.application_deadline.isoformat(),
            "deadline_time_zone": page.deadline_time_zone,
            "start_date": page.start_date.isoformat() if page.start_date else None,
            "end_date": page.end_date.isoformat() if page.end_date else None,
            "sample": page.is_sample,
        },
        **_country_fields(page.host_country),
    )


def from_reform_record(record) -> IndexDocument:
    """`record` is a ReformRecord with `country` and `theme` loaded.

    A tracker's fact (an OCDS publisher, a beneficial-ownership register), not an IRM
    rating: it sets no IRM outcome flag, and its outcome strength is the one its
    importer gave it, below a completed commitment's by design.
    """
    source = record.get_source_display()
    registers = [register["name"] for register in record.details.get("registers", [])]
    return IndexDocument(
        doc_id=f"reform-{record.pk}",
        type="reform",
        title=record.title,
        url=record.get_absolute_url(),
        body=_plain(" ".join([source, *registers])),
        summary=f"{source}, {record.since}" if record.since else source,
        themes=(record.theme.slug,),
        year=record.since,
        outcome_strength=record.strength,
        details={
            "kind": record.kind,
            "source": source,
            "source_url": record.source_url,
            "as_of": record.as_of.isoformat() if record.as_of else None,
            "evidence_url": record.url,
        },
        **_country_fields(record.country),
    )


def all_documents() -> Iterator[IndexDocument]:
    """Everything searchable, straight from the database (the source of truth)."""
    # Imported here: cycle, search.registry imports this module for its builders.
    from search import registry

    return registry.all_documents()


def count_documents() -> int:
    """How many documents `all_documents()` gives, counted in the database."""
    # Imported here: cycle, search.registry imports this module for its builders.
    from search import registry

    return registry.count_documents()


def commitment_documents() -> Iterator[IndexDocument]:
    # Imported here: cycle, search.registry imports this module for its builders.
    from search import registry

    return registry.get("commitment").documents()

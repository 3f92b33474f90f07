"""Where each open-data file comes from and the terms it travels under.

Worded from `data/README.md`, which records every source and its licence; a file
is only as open as its most restrictive source, so each dataset names all of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class Licence:
    """One source's terms: `notice` is text that must travel with copies of the data."""

    source: str
    terms: str
    attribution: str
    url: str = ""  # the licence's own text, where it has one
    source_url: str = ""  # where the data was taken from
    notice: str = ""

    def as_json(self) -> dict:
        data = {
            "source": self.source,
            "terms": self.terms,
            "attribution": self.attribution,
            "licence_url": self.url or None,
            "source_url": self.source_url or None,
        }
        if self.notice:
            data["notice"] = self.notice
        return data


def _ocp_notice() -> str:
    """The BSD-3-Clause notice shipped with the open-contracting data (it must stay with it)."""
    path = Path(settings.BASE_DIR) / "data" / "open_contracting" / "LICENSE"
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:  # a deployment without the data folder still names the licence
        return (
            "Copyright (c) 2016, Development Seed, with support from the Open Contracting "
            "Partnership. BSD-3-Clause."
        )


OGP_IRM = Licence(
    source="Open Government Partnership, Independent Reporting Mechanism (IRM)",
    terms="Public data of the Open Government Partnership / IRM",
    attribution="Open Government Partnership, IRM data",
    source_url="https://github.com/g0v/ogp-commitments",
)
OGP_MEMBERS = Licence(
    source="Open Government Partnership member pages",
    terms="Facts, each cited per row (column ogp_source_url)",
    attribution="Source: OGP",
)
WORLD_BANK = Licence(
    source="World Bank: World Development Indicators, Worldwide Governance Indicators, "
    "country classification FY2026",
    terms="CC BY 4.0",
    attribution="World Bank (WDI, WGI; CC BY 4.0)",
    url="https://creativecommons.org/licenses/by/4.0/",
)
OPEN_CONTRACTING = Licence(
    source="Open Contracting Partnership, ocp-data (oc-status)",
    terms="BSD-3-Clause",
    attribution="Open Contracting Partnership",
    url="https://opensource.org/license/bsd-3-clause",
    source_url="https://github.com/open-contracting-partnership/ocp-data",
)
OPEN_OWNERSHIP = Licence(
    source="Open Ownership, beneficial-ownership map data",
    terms="Facts only (the source repository's website code is AGPL-3.0; no code is included)",
    attribution="Open Ownership",
    source_url="https://github.com/openownership/openownership.beta",
)
# data/README.md and docs/ declare no licence for the case studies the team writes: say
# so rather than invent one. The file holds metadata (facts and links), never the stories.
REFORM_EXCHANGE = Licence(
    source="Reform Exchange team",
    terms="No licence declared yet for case study text; this file holds metadata and links only",
    attribution="Reform Exchange",
)


def with_notices(licences) -> tuple[Licence, ...]:
    """The licences with the notices that are read from files filled in (at request time)."""
    return tuple(
        Licence(**{**licence.__dict__, "notice": _ocp_notice()})
        if licence is OPEN_CONTRACTING
        else licence
        for licence in licences
    )

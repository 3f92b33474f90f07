"""IRM records as shares with their n: one country against its peers and all OGP members.

Every share counts only the commitments the IRM rated on that question: a commitment
"not assessed" (a null rating, ND/NR in the data) is left out of both the numerator and
the denominator, never counted as a "no". Each share therefore carries its own n, and
pages say how many commitments were left out.

Pure functions over `Tally`s (counts); `casestudies.insights.data` builds the tallies from
the database in one query.
"""

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.utils.translation import gettext_lazy as _

from casestudies.models.commitments import Completion, OpenedGovernment, PotentialImpact
from casestudies.models.reference import WGI_DIMENSIONS

DONE = (Completion.SUBSTANTIAL, Completion.COMPLETE)
OPENED = (OpenedGovernment.MAJOR, OpenedGovernment.OUTSTANDING)


@dataclass(frozen=True)
class Tally:
    """Counts over a set of commitments: for each question, how many were rated and how
    many of those answered it well."""

    commitments: int = 0
    impact_rated: int = 0
    transformative: int = 0
    completion_rated: int = 0
    done: int = 0
    star_rated: int = 0
    starred: int = 0
    opened_rated: int = 0
    opened: int = 0
    # Of the transformative commitments with a completion rating, how many were done.
    transformative_completion_rated: int = 0
    transformative_done: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @classmethod
    def total(cls, tallies: Iterable["Tally"]) -> "Tally":
        return sum(tallies, cls())

    @classmethod
    def of(
        cls, *, potential_impact, completion, opened_government, specificity, relevant, starred
    ) -> "Tally":
        """The tally of one commitment, from its IRM ratings (None: not assessed)."""
        transformative = potential_impact == PotentialImpact.TRANSFORMATIVE
        done = completion in DONE
        # "No early results yet" is the IRM saying it cannot tell: not assessed, like a null.
        opened_rated = opened_government not in (None, OpenedGovernment.NO_RESULTS_YET)
        # A star needs all four inputs rated; with any missing, the IRM could not award one.
        star_rated = None not in (specificity, relevant, potential_impact, completion)
        return cls(
            commitments=1,
            impact_rated=int(potential_impact is not None),
            transformative=int(transformative),
            completion_rated=int(completion is not None),
            done=int(done),
            star_rated=int(star_rated),
            starred=int(bool(starred) and star_rated),
            opened_rated=int(opened_rated),
            opened=int(opened_government in OPENED),
            transformative_completion_rated=int(transformative and completion is not None),
            transformative_done=int(transformative and done),
        )


@dataclass(frozen=True)
class Share:
    count: int
    n: int

    @property
    def fraction(self) -> float | None:
        """count / n, or None when nothing was rated (no share to show)."""
        return self.count / self.n if self.n else None

    @property
    def percent(self) -> int | None:
        """Whole percent, or None when nothing was rated."""
        return round(100 * self.fraction) if self.n else None


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    rated: str  # Tally field: how many were rated
    good: str  # Tally field: how many of those answered well

    def share(self, tally: Tally) -> Share:
        return Share(getattr(tally, self.good), getattr(tally, self.rated))


METRICS = [
    Metric(
        "transformative", _("Transformative potential impact"), "impact_rated", "transformative"
    ),
    Metric("done", _("Substantially or fully complete"), "completion_rated", "done"),
    Metric("starred", _("Starred by the IRM"), "star_rated", "starred"),
    Metric(
        "opened",
        _("Opened government: major or outstanding"),
        "opened_rated",
        "opened",
    ),
]
AMBITION = METRICS[0]
IMPLEMENTATION = METRICS[1]
AMBITION_DONE = Metric(
    "transformative_done",
    _("Of the transformative ones, substantially or fully complete"),
    "transformative_completion_rated",
    "transformative_done",
)


@dataclass(frozen=True)
class Comparison:
    """One metric for the country, its context peers and all members, with the n of each
    and how many of the country's commitments were left out as not assessed."""

    metric: Metric
    country: Share
    peers: Share
    members: Share
    not_assessed: int
    country_name: str

    @property
    def series(self) -> list[tuple[str, Share]]:
        """The three shares with their labels, the country first, as the chart draws them."""
        return [
            (self.country_name, self.country),
            (_("Context peers"), self.peers),
            (_("All OGP members"), self.members),
        ]


@dataclass(frozen=True)
class Benchmark:
    commitments: int
    peer_count: int
    member_count: int
    rows: list[Comparison]


def context_peers(country, countries) -> list:
    """OGP members other than `country` in its World Bank region and income group.

    None without an income group (Ethiopia, Venezuela): a peer group is never guessed.
    """
    if not country.income_group:
        return []
    return [
        other
        for other in countries
        if other.ogp_member
        and other.pk != country.pk
        and (other.region, other.income_group) == (country.region, country.income_group)
    ]


def benchmark(country, countries, tallies: dict[str, Tally]) -> Benchmark:
    """`country`'s IRM record next to its context peers' and all OGP members' records.

    `countries` is every country (with region, income group, membership); `tallies` holds
    the commitments' counts by ISO3 code.
    """
    own = tallies.get(country.iso3, Tally())
    peers = context_peers(country, countries)
    members = [other for other in countries if other.ogp_member]
    peer_tally = Tally.total(tallies.get(other.iso3, Tally()) for other in peers)
    member_tally = Tally.total(tallies.get(other.iso3, Tally()) for other in members)
    return Benchmark(
        commitments=own.commitments,
        peer_count=len(peers),
        member_count=len(members),
        rows=[
            Comparison(
                metric=metric,
                country=metric.share(own),
                peers=metric.share(peer_tally),
                members=metric.share(member_tally),
                not_assessed=own.commitments - getattr(own, metric.rated),
                country_name=country.name,
            )
            for metric in METRICS
        ],
    )


@dataclass(frozen=True)
class GovernanceRow:
    label: str
    value: float | None
    median: float | None
    n: int  # economies in the region with an estimate

    @property
    def difference(self) -> float | None:
        if self.value is None or self.median is None:
            return None
        return self.value - self.median


def governance_against_region(country, countries) -> list[GovernanceRow]:
    """Each WGI estimate of `country` next to the median of all economies in its region."""
    neighbours = [other for other in countries if other.region == country.region]
    rows = []
    for field, _code, label in WGI_DIMENSIONS:
        values = [getattr(other, field) for other in neighbours]
        values = [value for value in values if value is not None]
        rows.append(
            GovernanceRow(
                label=label,
                value=getattr(country, field),
                median=statistics.median(values) if values else None,
                n=len(values),
            )
        )
    return rows

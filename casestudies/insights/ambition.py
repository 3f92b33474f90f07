"""Ambition against implementation, by group (region, policy area), in plain words.

Ambition is the share of commitments the IRM rated as having transformative potential
impact; implementation the share it found substantially or fully complete; each over the
commitments rated on that question only. A group with fewer than `MIN_RATED` rated
commitments on either question is shown with its n but left out of the comparisons: at
n = 20 one commitment moves a share by 5 points, and below that a difference between two
groups says more about chance than about the groups.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casestudies.insights.benchmarks import AMBITION, AMBITION_DONE, IMPLEMENTATION, Share, Tally

MIN_RATED = 20


@dataclass(frozen=True)
class GroupRow:
    name: str
    url: str
    tally: Tally

    @property
    def ambition(self) -> Share:
        return AMBITION.share(self.tally)

    @property
    def implementation(self) -> Share:
        return IMPLEMENTATION.share(self.tally)

    @property
    def ambition_done(self) -> Share:
        return AMBITION_DONE.share(self.tally)

    @property
    def enough(self) -> bool:
        return min(self.ambition.n, self.implementation.n) >= MIN_RATED


def group_rows(groups: list[tuple[str, str, Tally]]) -> list[GroupRow]:
    """(name, url, tally) as rows, the groups with most commitments first."""
    rows = [GroupRow(name, url, tally) for name, url, tally in groups if tally.commitments]
    return sorted(rows, key=lambda row: (-row.tally.commitments, row.name))


def _share_text(row: GroupRow, share: Share) -> str:
    return _("%(name)s (%(percent)s%% of %(n)s)") % {
        "name": row.name,
        "percent": share.percent,
        "n": share.n,
    }


def findings(rows: list[GroupRow]) -> list[str]:
    """What the rows show, as sentences: extremes among groups with enough data, how many
    groups complete more than they aim high, and which groups are too thin to tell."""
    sentences = []
    enough = [row for row in rows if row.enough]
    if len(enough) >= 2:
        for attribute, text in (
            ("ambition", _("Ambition was highest in %(high)s and lowest in %(low)s.")),
            (
                "implementation",
                _("Implementation was highest in %(high)s and lowest in %(low)s."),
            ),
        ):

            def key(row, attribute=attribute):
                return getattr(row, attribute).fraction

            high, low = max(enough, key=key), min(enough, key=key)
            sentences.append(
                text
                % {
                    "high": _share_text(high, getattr(high, attribute)),
                    "low": _share_text(low, getattr(low, attribute)),
                }
            )
        more_done = sum(1 for row in enough if row.implementation.fraction > row.ambition.fraction)
        sentences.append(
            ngettext(
                "In %(count)s of the %(total)s group with enough data, a larger share of "
                "commitments was substantially or fully complete than had transformative "
                "potential.",
                "In %(count)s of the %(total)s groups with enough data, a larger share of "
                "commitments was substantially or fully complete than had transformative "
                "potential.",
                len(enough),
            )
            % {"count": more_done, "total": len(enough)}
        )
    elif enough:
        only = _("Only one group has enough rated commitments to compare: %(name)s.")
        sentences.append(only % {"name": enough[0].name})
    thin = [row for row in rows if not row.enough]
    if thin:
        names = ", ".join(
            f"{row.name} ({min(row.ambition.n, row.implementation.n)})" for row in thin
        )
        sentences.append(
            _(
                "Too few rated commitments to tell (fewer than %(min)s rated on either "
                "question; the smaller n in brackets): %(names)s."
            )
            % {"min": MIN_RATED, "names": names}
        )
    return sentences


def overall(tally: Tally) -> str:
    """One sentence on all commitments together."""
    ambition, implementation, done = (
        AMBITION.share(tally),
        IMPLEMENTATION.share(tally),
        AMBITION_DONE.share(tally),
    )
    if not (ambition.n and implementation.n):
        return _("No commitment in the data has both ratings yet.")
    text = _(
        "Of the %(ambition_n)s commitments the IRM rated for potential impact, "
        "%(ambition)s%% had transformative potential; of the %(done_n)s rated for completion, "
        "%(done)s%% were substantially or fully complete."
    ) % {
        "ambition_n": ambition.n,
        "ambition": ambition.percent,
        "done_n": implementation.n,
        "done": implementation.percent,
    }
    if done.n:
        text += " " + _(
            "Of the %(n)s transformative commitments with a completion rating, "
            "%(percent)s%% were substantially or fully complete."
        ) % {"n": done.n, "percent": done.percent}
    return text

"""Run the peer-matching evaluation cases through the real matcher (docs/matching.md)."""

import json
from contextlib import ExitStack, contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from casestudies.models import CaseStudyPage, Commitment
from exchange.core.visibility import live_public
from search import evaluation
from search.backends import reset_backends
from search.backends.embedded import EmbeddedBackend
from search.bench.elastic import temporary_elasticsearch
from search.peers import country_profiles, find_peers
from search.service import InvalidSearch


class Command(BaseCommand):
    help = (
        "Evaluate peer matching on the cases in search/data/evaluation_cases.yaml: "
        "precision@5 and how often the top peers share the reformer's region or income group. "
        "Needs the real data loaded (`manage.py load_demo`)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend",
            choices=["embedded", "elasticsearch"],
            default="embedded",
            help="elasticsearch: ELASTICSEARCH_URL if set (its index as it is), otherwise a "
            "temporary in-memory osmem server indexed from the database",
        )
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument("--cases", default=str(evaluation.CASES_PATH), help="cases YAML")
        parser.add_argument(
            "--check",
            action="store_true",
            help="also recompute every case's expected peers from the database by the "
            "documented rule and fail on any difference",
        )

    def handle(self, *args, backend, json, cases, check, **options):
        try:
            loaded = evaluation.load_cases(cases)
        except (OSError, ValueError) as error:
            raise CommandError(f"--cases: {error}") from error
        profiles = country_profiles()
        if not profiles:
            raise CommandError("No countries in the database: run `manage.py load_demo` first.")
        unknown = sorted({case.country for case in loaded} - set(profiles))
        if unknown:
            raise CommandError(f"Unknown reformer countries in the cases: {', '.join(unknown)}")
        if check:
            self.check_expected(loaded)

        with self.backend(backend) as name:
            results = [self.run_case(case, profiles) for case in loaded]
        summary = evaluation.summarise(results, profiles)

        if json:
            self.stdout.write(_dumps(as_json(name, summary)))
        else:
            self.print_table(name, summary, profiles)

    @contextmanager
    def backend(self, choice):
        if choice == "embedded":
            if not EmbeddedBackend().count():
                raise CommandError(
                    "The embedded search index is empty: run `manage.py search_index rebuild`."
                )
            with override_settings(ELASTICSEARCH_URL=""):
                reset_backends()
                try:
                    yield "embedded"
                finally:
                    reset_backends()
        elif settings.ELASTICSEARCH_URL:
            reset_backends()
            yield f"elasticsearch ({settings.ELASTICSEARCH_URL})"
        else:
            with ExitStack() as stack:
                try:
                    stack.enter_context(temporary_elasticsearch(index_from_database=True))
                except (RuntimeError, OSError) as error:  # osmem missing or not starting
                    raise CommandError(f"--backend elasticsearch: {error}") from error
                yield "elasticsearch (temporary osmem server, indexed from the database)"

    def run_case(self, case, profiles):
        try:
            result = find_peers(country=case.country, goal=case.goal, limit=evaluation.K)
        except InvalidSearch as error:
            raise CommandError(f"case {case.id}: {error}") from error
        if result.notice:
            # The configured search server did not answer: these are not its results.
            raise CommandError(f"case {case.id}: {result.notice}")
        peers = [peer.country for peer in result.peers]
        return evaluation.evaluate_case(case, profiles[case.country], peers)

    def check_expected(self, cases):
        commitments = [
            (c.country.iso3, [t.slug for t in c.themes.all()], c.completion)
            for c in Commitment.objects.select_related("country").prefetch_related("themes")
        ]
        studies = [
            (p.country.iso3, [t.slug for t in p.themes.all()])
            for p in live_public(CaseStudyPage.objects)
            .select_related("country")
            .prefetch_related("themes")
        ]
        problems = []
        for case in cases:
            derived = evaluation.expected_peers(case.country, case.themes, commitments, studies)
            if derived != case.expected:
                missing = ", ".join(sorted(derived - case.expected)) or "none"
                extra = ", ".join(sorted(case.expected - derived)) or "none"
                problems.append(f"{case.id}: rule adds {missing}; rule drops {extra}")
        if problems:
            raise CommandError("Expected peers differ from the rule:\n  " + "\n  ".join(problems))
        self.stderr.write(f"Expected peers of all {len(cases)} cases follow the rule.")

    def print_table(self, name, summary, profiles):
        k = evaluation.K
        write = self.stdout.write
        write(f"Peer matching evaluation — backend: {name}; {summary.cases} cases, k={k}")
        write("  P@k: expected peers among the top k / k   max: best P@k possible")
        write("  ctx: top-k peers in the reformer's region or income group   * = expected peer")
        write("")
        header = f"{'case':<22} {'from':<4} {'P@k':>4} {'max':>4} {'ctx':>4}  top {k}"
        write(header)
        write("-" * 78)
        for result in summary.per_case:
            case = result.case
            top = " ".join(
                f"{iso3}{'*' if iso3 in case.expected else ' '}" for iso3 in result.peers[:k]
            )
            ctx = "-" if result.context_share is None else f"{result.context_share:.2f}"
            write(
                f"{case.id:<22} {case.country:<4} {result.precision:>4.2f} "
                f"{result.attainable:>4.2f} {ctx:>4}  {top}"
            )
        write("-" * 78)
        write(f"mean precision@{k}:          {summary.precision:.3f}")
        write(f"mean attainable precision@{k}: {summary.attainable:.3f}")
        write(
            f"mean context share:          {summary.context_share:.3f}  "
            f"(among expected peers: {summary.expected_context_share:.3f})"
        )
        if summary.without_peers:
            write(f"cases without any peer:      {summary.without_peers}")


def as_json(name, summary) -> dict:
    return {
        "backend": name,
        "summary": summary.as_json(),
        "cases": [
            {
                "id": r.case.id,
                "country": r.case.country,
                "goal": r.case.goal,
                "themes": list(r.case.themes),
                "expected": sorted(r.case.expected),
                "peers": list(r.peers),
                "hits": list(r.hits),
                "precision_at_k": round(r.precision, 3),
                "attainable_precision_at_k": round(r.attainable, 3),
                "context_share": None if r.context_share is None else round(r.context_share, 3),
            }
            for r in summary.per_case
        ],
    }


def _dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)

import json

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from casestudies.models import Theme
from search.peers import find_peers
from search.presenters import fellowship_json
from search.service import InvalidSearch


class Command(BaseCommand):
    help = "Rank peer countries for a reformer's country and reform goal (same as /api/v1/match/)."

    def add_arguments(self, parser):
        parser.add_argument("--country", required=True, help="ISO 3166 alpha-3 code, e.g. ZMB")
        parser.add_argument("--goal", default="", help='the reform, e.g. "beneficial ownership"')
        parser.add_argument("--theme", action="append", default=[], help="theme slug (repeatable)")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="print the API's JSON")

    def handle(self, *args, country, goal, theme, limit, **options):
        unknown = set(theme) - set(
            Theme.objects.filter(slug__in=theme).values_list("slug", flat=True)
        )
        if unknown:
            raise CommandError(f"--theme: unknown theme {', '.join(sorted(unknown))}")
        try:
            result = find_peers(country=country, goal=goal, themes=theme, limit=limit)
        except InvalidSearch as error:
            flag = {"q": "--goal"}.get(error.param, f"--{error.param}")
            raise CommandError(f"{flag}: {error}") from error
        if options["json"]:
            self.stdout.write(
                _json_dumps(
                    {
                        "country": result.reformer.as_json(),
                        "goal": result.goal,
                        "understood_as": [area.as_json() for area in result.understood_as],
                        "peers": [_absolute(peer.as_json()) for peer in result.peers],
                        "fellowships": [
                            fellowship_json(page, page.get_full_url())
                            for page in result.fellowships
                        ],
                    }
                )
            )
            return
        if result.notice:
            self.stderr.write(result.notice)
        self.stdout.write(f"Peers for {result.reformer.name} — {result.goal or ', '.join(theme)}")
        if result.understood_as:
            verb = "Chosen policy areas" if result.themes else "Read as"
            areas = " · ".join(
                f"{area.name} ({area.confidence:.0%})" for area in result.understood_as
            )
            self.stdout.write(f"{verb}: {areas}")
        else:
            self.stdout.write("No policy area recognised: matched on the words alone.")
        if not result.peers:
            self.stdout.write("No other country has matching case studies or commitments.")
        for rank, peer in enumerate(result.peers, start=1):
            self.stdout.write(
                f"{rank:>2}. {peer.country.name} ({peer.country.iso3})  score {peer.score:.1f}"
            )
            for reason in peer.reasons:
                self.stdout.write(f"      - {reason}")
        if result.fellowships:
            self.stdout.write("")
            self.stdout.write("Open fellowships hosted by these peers")
            for page in result.fellowships:
                sample = " [sample]" if page.is_sample else ""
                self.stdout.write(
                    f"  - {page.title}{sample}\n"
                    f"    {page.host_institution}, {page.host_country.name}; "
                    f"apply by {page.deadline_display}\n"
                    f"    {page.get_full_url()}"
                )


def _absolute(peer: dict) -> dict:
    """Evidence links as full URLs on the default site, as the API gives them."""
    site = Site.objects.filter(is_default_site=True).first()
    root = site.root_url if site else ""
    for evidence in peer["evidence"]:
        if evidence["url"].startswith("/"):
            evidence["url"] = root + evidence["url"]
    return peer


def _json_dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)

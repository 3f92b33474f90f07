"""Search pages and the JSON search API."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from casestudies.models import Theme
from exchange.core import reference_names
from search import params, peer_menus
from search.backends.base import OUTCOMES
from search.brief import peer_brief_response
from search.peers import find_peers
from search.presenters import Labels, expansion, facets_json, fellowship_json, hit_json
from search.service import InvalidSearch, search

PAGE_SIZE = 20


def json_error(error: InvalidSearch, status=400) -> JsonResponse:
    return JsonResponse({"error": str(error), "param": error.param}, status=status)


class ResultsPage:
    """Page links for results the backend returns one page at a time.

    Offers the attributes of Django's Page that includes/pagination.html uses.
    """

    def __init__(self, number: int, total: int, page_size: int):
        self.number = number
        self.num_pages = max(1, -(-total // page_size))
        self.paginator = self

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.num_pages

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1


# The English words of the search backends' type and outcome facets (search/backends/base.py),
# marked here so the catalogues have them; the search page says them in the reader's language
# (the API keeps English).
FACET_WORDS = (
    gettext_noop("Case study"),
    gettext_noop("Commitment"),
    gettext_noop("Course"),
    gettext_noop("Fellowship"),
    gettext_noop("Reform record"),
    gettext_noop("Starred by the IRM"),
    gettext_noop("Completed"),
    gettext_noop("Opened government: major or outstanding"),
    gettext_noop("Implemented (case study)"),
)


def _page_label(facet: str, value: str, label: str) -> str:
    """A facet value's label on the search page, in the reader's language."""
    if facet == "theme":
        return reference_names.theme_name(value, label)
    if facet == "country":
        return reference_names.country_name(value, label)
    if facet == "region":
        return reference_names.region_name(label)
    if facet == "income_group":
        return reference_names.income_group_name(label)
    return _(label) if label else label


@require_GET
def search_page(request):
    try:
        filters = params.search_filters(request.GET)
    except InvalidSearch as error:
        context = {"error": error, "q": request.GET.get("q", "")}
        return render(request, "search/search.html", context, status=400)
    outcome = search(page_size=PAGE_SIZE, **filters)
    results = outcome.results
    labels = Labels()
    page_obj = ResultsPage(filters["page"], results.total, PAGE_SIZE)
    active = {
        "type": filters["types"],
        "theme": filters["themes"],
        "country": filters["countries"],
        "region": filters["regions"],
        "income_group": filters["income_groups"],
        "outcome": filters["outcomes"],
    }
    facet_groups = [
        {
            "name": name,
            "label": label,
            "values": [
                {
                    "value": f.value,
                    "label": _page_label(name, f.value, labels.of(name, f.value)),
                    "count": f.count,
                    "selected": f.value in active[name],
                }
                for f in results.facets.get(name, [])[:limit]
            ],
        }
        for name, label, limit in (
            ("type", _("Type"), 10),
            ("outcome", _("IRM outcome"), 10),
            ("theme", _("Theme"), 15),
            ("region", _("Region"), 10),
            ("income_group", _("Income group"), 10),
            ("country", _("Country"), 15),
        )
    ]
    suggestions = []
    if not results.total:
        suggestions = list(Theme.objects.filter(parent__isnull=True).order_by("name")[:8])
    return render(
        request,
        "search/search.html",
        {
            "q": filters["text"],
            "outcome": outcome,
            "results": results,
            "hits": results.hits,
            "labels": labels,
            "facet_groups": facet_groups,
            "active_filters": any(active.values()),
            "page_obj": page_obj,
            "expanded": expansion(
                outcome.parsed.groups,
                filters["text"],
                (get_language(), *outcome.parsed.languages),
            ),
            "suggestions": suggestions,
            "outcome_labels": OUTCOMES,
        },
    )


@require_GET
def search_api(request):
    try:
        filters = params.search_filters(request.GET)
        page_size = params.integer(request.GET, "page_size", PAGE_SIZE, 1, 100)
    except InvalidSearch as error:
        return json_error(error)
    outcome = search(page_size=page_size, **filters)
    results = outcome.results
    payload = {
        "total": results.total,
        "page": filters["page"],
        "page_size": page_size,
        "results": [hit_json(hit, request) for hit in results.hits],
        "facets": facets_json(results, Labels()),
        "expanded_terms": [list(group) for group in outcome.parsed.groups],
    }
    if results.notice:
        payload["notice"] = results.notice
    return JsonResponse(payload)


def course_json(course, request) -> dict:
    return {
        "title": course.title,
        "url": request.build_absolute_uri(course.url),
        "level": course.level,
        "duration_hours": course.duration_hours,
        "summary": course.summary,
    }


def absolute_evidence_urls(peer: dict, request) -> dict:
    """Evidence links as full URLs, like the search API's results."""
    for evidence in peer["evidence"]:
        evidence["url"] = request.build_absolute_uri(evidence["url"])
    return peer


@require_GET
def match_api(request):
    try:
        themes = params.themes(request.GET)
        result = find_peers(
            country=request.GET.get("country", ""),
            goal=params.text(request.GET),
            themes=themes,
            limit=params.integer(request.GET, "limit", 10, 1, 50),
        )
    except InvalidSearch as error:
        return json_error(error)
    payload = {
        "country": result.reformer.as_json(),
        "goal": result.goal,
        "themes": list(result.themes),
        "understood_as": [area.as_json() for area in result.understood_as],
        "peers": [absolute_evidence_urls(peer.as_json(), request) for peer in result.peers],
        "fellowships": [
            fellowship_json(page, request.build_absolute_uri(page.url))
            for page in result.fellowships
        ],
        "courses": [course_json(course, request) for course in result.courses],
        "method": "/peers/#how-it-works",
    }
    if result.notice:
        payload["notice"] = result.notice
    return JsonResponse(payload)


# The peers page speaks to a reformer, not to an API client: what to do, not the parameter.
PEER_FORM_MESSAGES = {
    "country": gettext_lazy("Choose your country from the list to see its peers."),
    "q": gettext_lazy("Describe the reform you want in a few words, or choose a policy area."),
    "theme": gettext_lazy("We do not know that policy area: choose one from the list."),
}


def peer_form_message(error: InvalidSearch) -> str:
    if error.param == "q":  # too long, or no word to search for: say which, in words
        return str(error).replace("'q'", "Your description").replace(" ('q')", "")
    return PEER_FORM_MESSAGES.get(error.param, str(error))


@require_GET
def peers_page(request):
    peer_countries, themes = peer_menus.both()
    context = {
        "peer_countries": peer_countries,
        "themes": themes,
        "country": request.GET.get("country", "").strip().upper(),
        "q": request.GET.get("q", "").strip(),
        "theme": request.GET.get("theme", "").strip(),
    }
    if not any(context[name] for name in ("country", "q", "theme")):
        return render(request, "search/peers.html", context)
    if not context["country"] or not (context["q"] or context["theme"]):
        # Half a question (a lesson's "Find peers" link has no country): ask for the rest.
        missing = "country" if not context["country"] else "q"
        context["prompt"] = PEER_FORM_MESSAGES[missing]
        return render(request, "search/peers.html", context)
    try:
        result = find_peers_for(request)
    except InvalidSearch as error:
        context["error"] = error
        context["error_message"] = peer_form_message(error)
        return render(request, "search/peers.html", context, status=400)
    context["result"] = result
    return render(request, "search/peers.html", context)


def find_peers_for(request):
    """The peers the /peers/ page shows for this query string; its PDF brief lays out the
    very same result. Raises InvalidSearch naming a bad parameter."""
    return find_peers(
        country=request.GET.get("country", "").strip().upper(),
        goal=params.text(request.GET),
        themes=params.themes(request.GET),
        limit=10,
    )


@require_GET
def peer_brief(request):
    """`/peers/brief.pdf?country=&q=&theme=`: the /peers/ answer as a PDF. A question the
    page would not answer goes back to the page, which says what is missing."""
    try:
        result = find_peers_for(request)
    except InvalidSearch:
        return redirect(f"{reverse('search:peers')}?{request.GET.urlencode()}")
    return peer_brief_response(result, request)

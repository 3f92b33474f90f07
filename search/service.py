"""The search service: what views, the API and matching call.

It parses the reformer's text with the theme thesaurus, validates filters,
and asks whichever backend settings configured.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.translation import gettext

from search import thesaurus
from search.backends import get_search_backend
from search.backends.base import MAX_PAGE_SIZE, MAX_QUERY_LENGTH, SearchQuery, SearchResults


class InvalidSearch(ValueError):
    """A parameter a user sent cannot be used; `param` names it."""

    def __init__(self, param: str, message: str):
        self.param = param
        super().__init__(message)


@dataclass(frozen=True)
class SearchOutcome:
    query: SearchQuery
    parsed: thesaurus.ParsedQuery
    results: SearchResults


def build_query(text: str = "", **filters) -> tuple[SearchQuery, thesaurus.ParsedQuery]:
    text = (text or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidSearch(
            "q", f"The search text is too long (at most {MAX_QUERY_LENGTH} characters)."
        )
    page = filters.pop("page", 1)
    page_size = filters.pop("page_size", 20)
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidSearch("page_size", f"page_size must be between 1 and {MAX_PAGE_SIZE}.")
    if page < 1 or page > 1000:
        raise InvalidSearch("page", "page must be between 1 and 1000.")
    query = SearchQuery(
        text=text,
        page=page,
        page_size=page_size,
        **{key: tuple(value) for key, value in filters.items() if key != "facets"},
        **({"facets": filters["facets"]} if "facets" in filters else {}),
    )
    return parse(query)


def parse(query: SearchQuery) -> tuple[SearchQuery, thesaurus.ParsedQuery]:
    """The query with its text understood: words, synonym groups, languages.

    The only place text becomes query parts: backends search the parts and never read
    the text (see `SearchQuery`), so they cannot understand it differently.
    """
    parsed = thesaurus.parse(query.text)
    return (
        replace(
            query,
            text=searchable(query.text, parsed),
            words=parsed.words,
            groups=parsed.groups,
            languages=parsed.languages,
        ),
        parsed,
    )


def searchable(text: str, parsed: thesaurus.ParsedQuery) -> str:
    """The text the backend is sent: none when it has no words worth searching ("how do I").

    Text of function words only finds nothing (`only_function_words`) and is not sent at
    all.
    """
    return "" if parsed.is_empty else text


def only_function_words(text: str, parsed: thesaurus.ParsedQuery) -> bool:
    """Words were typed, but only words every document has ("the", "a", "de", "AND")."""
    return parsed.is_empty and bool(thesaurus.words(text))


def nothing_found(notice: str = "") -> SearchResults:
    return SearchResults(
        total=0, hits=[], facets={}, backend=get_search_backend().name, notice=notice
    )


def search(text: str = "", **filters) -> SearchOutcome:
    query, parsed = build_query(text, **filters)
    if only_function_words(text, parsed):
        # Browsing would list every document as if each matched; nothing does.
        notice = gettext(
            "Your search has only common words (such as “the”, “de” or “la”), which "
            "every document contains. Add a word that says what you are looking for."
        )
        return SearchOutcome(query, parsed, nothing_found(notice))
    return SearchOutcome(query, parsed, get_search_backend().search(query))


def search_query(query: SearchQuery) -> SearchResults:
    """Run a prepared query; its text is parsed here unless the caller parsed it already."""
    if not query.words and not query.groups and query.text:
        text = query.text
        query, parsed = parse(query)
        if only_function_words(text, parsed):
            return nothing_found()
    return get_search_backend().search(query)

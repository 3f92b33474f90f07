"""Wagtail's read-only page API for published content (`/api/v2/`), with its input checked.

Wagtail hands `search`, `offset` and `fields` to the database as given, and some values
made it fail with a 500: an unbalanced quote breaks SQLite's full-text syntax, a blank
search has no query to build, an offset beyond 64 bits overflows, 200 words nest too
deep for PostgreSQL's query builder, and so do deeply nested `fields`. Here each is
checked first and refused with a 400 naming the parameter, in Wagtail's error format
(`message`) plus the `error` and `param` keys the rest of the site's API uses.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from rest_framework import status
from rest_framework.response import Response
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

SEARCH_MAX_CHARACTERS = 200
SEARCH_MAX_WORDS = 32
# Besides letters, digits and spaces: punctuation people type in a query; `"` pairs
# mark a phrase.
SEARCH_PUNCTUATION = frozenset("-'’.,_/&:;!?()\"")
SEARCH_OPERATORS = ("and", "or")
OFFSET_MAX = 10_000
FIELDS_MAX_CHARACTERS = 1000
FIELDS_MAX_DEPTH = 4
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


class InvalidParameter(BadRequestError):
    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param


def _search_character_allowed(character: str) -> bool:
    return (
        character == " "
        or character in SEARCH_PUNCTUATION
        or unicodedata.category(character)[0] in "LNM"  # letters, digits, accents
    )


def check_search(query: str) -> None:
    text = query.strip()
    if not text:
        raise InvalidParameter("search", "'search' needs at least one word.")
    if len(text) > SEARCH_MAX_CHARACTERS:
        raise InvalidParameter(
            "search", f"'search' is too long (at most {SEARCH_MAX_CHARACTERS} characters)."
        )
    if len(text.split()) > SEARCH_MAX_WORDS:
        raise InvalidParameter(
            "search", f"'search' has too many words (at most {SEARCH_MAX_WORDS})."
        )
    if not all(_search_character_allowed(character) for character in text):
        raise InvalidParameter(
            "search",
            "'search' may contain letters, digits, spaces and - ' . , _ / & : ; ! ? ( ) \"",
        )
    if text.count('"') % 2:
        raise InvalidParameter("search", "'search' has an unclosed quote (\").")


def check_whole_number(params, name: str, highest: int) -> None:
    raw = params.get(name)
    if raw is None:
        return
    if not WHOLE_NUMBER.fullmatch(raw) or int(raw) > highest:
        raise InvalidParameter(name, f"'{name}' must be a whole number from 0 to {highest}.")


def check_fields(fields: str) -> None:
    if len(fields) > FIELDS_MAX_CHARACTERS:
        raise InvalidParameter(
            "fields", f"'fields' is too long (at most {FIELDS_MAX_CHARACTERS} characters)."
        )
    depth = 0
    for character in fields:
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth > FIELDS_MAX_DEPTH:
            raise InvalidParameter(
                "fields", f"'fields' nests too deep (at most {FIELDS_MAX_DEPTH} levels)."
            )


def check_parameters(params) -> None:
    """Raise InvalidParameter for the first parameter the API must not pass on."""
    if "search" in params:
        check_search(params["search"])
    operator = params.get("search_operator")
    if operator is not None and operator not in SEARCH_OPERATORS:
        raise InvalidParameter("search_operator", "'search_operator' must be 'and' or 'or'.")
    check_whole_number(params, "offset", OFFSET_MAX)
    check_whole_number(params, "limit", settings.WAGTAILAPI_LIMIT_MAX)
    if "fields" in params:
        check_fields(params["fields"])


class CheckedPagesAPIViewSet(PagesAPIViewSet):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_parameters(request.GET)

    def handle_exception(self, exc):
        if isinstance(exc, InvalidParameter):
            message = str(exc)
            return Response(
                {"message": message, "error": message, "param": exc.param},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return super().handle_exception(exc)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", CheckedPagesAPIViewSet)

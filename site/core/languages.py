"""The site's languages in URLs: English at the root, the others under their prefix.

Every public URL exists in every language with the same path after the prefix (pages keep
their slug when translated), so the same page in another language is found by swapping the
prefix, without a query: the language switcher and the `hreflang` alternates rely on it.
"""

from django.conf import settings
from django.utils import translation


def default_language() -> str:
    return settings.LANGUAGE_CODE


def language_of_path(path: str) -> str:
    """The language a path is served in: its prefix, or the default language."""
    return translation.get_language_from_path(path) or default_language()


def unprefixed(path: str) -> str:
    """`path` without its language prefix (`/fr/search/` → `/search/`)."""
    first, _, rest = path.lstrip("/").partition("/")
    if first in {code for code, _ in settings.LANGUAGES} and first != default_language():
        return "/" + rest
    return path


def path_in_language(path: str, language: str) -> str:
    """The same page's path in `language` (`/search/` in "fr" → `/fr/search/`)."""
    bare = unprefixed(path)
    if language == default_language():
        return bare
    return f"/{language}{bare}"


def localized_url(url: str) -> str:
    """A site-relative URL (a page's English `url`, say) in the active language."""
    if not url or not url.startswith("/") or url.startswith("//"):
        return url
    return path_in_language(url, translation.get_language() or default_language())

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


def in_reader_language(pages) -> list:
    """Listed pages with the title and summary of their translation into the language being
    read, where there is one, in one query. The pages stay the English ones (their links go
    through `localized_pageurl`, which reaches the translation). Each page's
    `content_language` says in which language its title and summary now are (see the
    `lang_attribute` filter). The card tags call this themselves: every list of cards is in
    the reader's language wherever it is drawn."""
    pages = list(pages)
    language = translation.get_language()
    if not pages or language == settings.LANGUAGE_CODE:
        return pages
    model = type(pages[0])
    fields = ["title", *(["summary"] if hasattr(pages[0], "summary") else [])]
    # Cards that did not load their translation keys have them read here, in one query.
    if any("translation_key" in page.get_deferred_fields() for page in pages):
        keys = dict(
            model.objects.filter(pk__in=[page.pk for page in pages]).values_list(
                "pk", "translation_key"
            )
        )
    else:
        keys = {page.pk: page.translation_key for page in pages}
    translated = {
        row.pop("translation_key"): row
        for row in model.objects.filter(
            translation_key__in=keys.values(),
            locale__language_code=language,
            live=True,
            alias_of__isnull=True,
        ).values("translation_key", *fields)
    }
    for page in pages:
        translation_fields = translated.get(keys.get(page.pk))
        for field, value in (translation_fields or {}).items():
            setattr(page, field, value)
        page.content_language = language if translation_fields else settings.LANGUAGE_CODE
    return pages

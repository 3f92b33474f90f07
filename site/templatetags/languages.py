"""The language switcher, `hreflang` alternates, and URLs, names and dates in the reader's
language."""

from django import template
from django.conf import settings
from django.utils import dateformat, translation
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime

from exchange.core import reference_names
from exchange.core.languages import (
    in_reader_language,
    localized_url,
    path_in_language,
    unprefixed,
)
from exchange.core.markup import format_markup
from exchange.models import SiteSettings

register = template.Library()


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[dict]:
    """This page in each of the site's languages: code, name (in that language), URL and
    whether it is the one being read. No query: the address differs only by its prefix."""
    request = context["request"]
    current = translation.get_language()
    query = request.META.get("QUERY_STRING", "")
    versions = []
    for code, name in settings.LANGUAGES:
        path = path_in_language(request.path, code)
        versions.append(
            {
                "code": code,
                "name": name,
                "url": f"{path}?{query}" if query else path,
                "absolute_url": request.build_absolute_uri(path),
                "current": code == current,
            }
        )
    return versions


@register.filter(name="localized_url")
def localized_url_filter(url: str) -> str:
    """A site URL (a page's English `url`) in the language being read: `/fr/...`."""
    return localized_url(url)


@register.filter(name="unprefixed")
def unprefixed_filter(path: str) -> str:
    """A path without its language prefix, to compare with a section's English path."""
    return unprefixed(path)


@register.simple_tag(takes_context=True)
def localized_pageurl(context, page) -> str:
    """Like Wagtail's `pageurl`, in the language being read: the translation's address
    when there is one, else the English page served there with a notice."""
    return localized_url(page.get_url(request=context.get("request")))


def _field(item, name: str):
    return item.get(name, "") if isinstance(item, dict) else getattr(item, name, "")


@register.filter
def country_name(country) -> str:
    """A country (model or dict with `iso3` and `name`) named in the reader's language."""
    if not country:
        return ""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return _field(country, "name")  # never reads a field the page did not load
    return reference_names.country_name(_field(country, "iso3"), _field(country, "name"))


@register.filter
def theme_name(theme) -> str:
    """A policy area (model or dict with `slug` and `name`) named in the reader's language."""
    if not theme:
        return ""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return _field(theme, "name")
    return reference_names.theme_name(_field(theme, "slug"), _field(theme, "name"))


@register.filter
def region_name(name) -> str:
    """A World Bank region, as stored in English, in the reader's language."""
    return reference_names.region_name(name or "")


@register.filter
def income_group_name(name) -> str:
    """A World Bank income group, as stored in English, in the reader's language."""
    return reference_names.income_group_name(name or "")


@register.filter
def wgi_dimension_name(name) -> str:
    """A Worldwide Governance Indicator, by its English name, in the reader's language."""
    return reference_names.wgi_dimension_name(name or "")


@register.filter
def ogp_status_name(name) -> str:
    """An OGP membership status label, in the reader's language."""
    return reference_names.ogp_status_name(name or "")


@register.filter
def theme_description(theme) -> str:
    """A policy area's description (model or dict with `slug` and `description`) in the
    reader's language."""
    if not theme:
        return ""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return _field(theme, "description")
    return reference_names.theme_description(_field(theme, "slug"), _field(theme, "description"))


# Listed pages with their translation's title and summary (exchange.core.languages).
register.simple_tag(in_reader_language)


def _untranslated(context):
    return getattr(context.get("request"), "untranslated_page", None)


@register.simple_tag(takes_context=True)
def content_lang(context) -> SafeString | str:
    """` lang="en"` on what the editors wrote (title, summary, body) of a page served in
    English under /fr/ or /es/ because it has no translation yet, so that a screen reader
    reads it as English (WCAG 3.1.2); nothing on any other page. Only the page's own text
    is marked: the interface around it is in the reader's language."""
    untranslated = _untranslated(context)
    return format_markup(' lang="{}"', untranslated.language_code) if untranslated else ""


@register.simple_tag(takes_context=True)
def content_text(context, text) -> SafeString:
    """What the editors wrote, inside a sentence of the interface ("Module 1: <title>"): in a
    `<span lang="en">` on a page served untranslated (see `content_lang`), else just escaped.
    Used as `{% content_text module.title as title %}` before a `blocktranslate`."""
    untranslated = _untranslated(context)
    if not untranslated:
        return conditional_escape(text)
    return format_markup('<span lang="{}">{}</span>', untranslated.language_code, text)


@register.simple_tag(takes_context=True)
def reader_lang(context) -> SafeString | str:
    """The reader's language back (` lang="fr"`) on interface inside a region that
    `content_lang` marked as English: a quiz's buttons and feedback in a lesson's body."""
    if not _untranslated(context):
        return ""
    return format_markup(' lang="{}"', translation.get_language())


@register.filter
def lang_attribute(page) -> SafeString | str:
    """` lang="en"` for the title and summary of a listed page that has no translation into
    the language being read (`in_reader_language`), so that a screen reader reads them as
    English in a French list; nothing otherwise."""
    language = getattr(page, "content_language", None)
    if not language or language == translation.get_language():
        return ""
    return format_markup(' lang="{}"', language)


@register.filter
def datetime_with_zone(value) -> str:
    """A moment as the site writes it in the reader's language, with its time zone:
    "31 January 2027, 14:05 UTC", "31 de enero de 2027, 14:05 UTC" (site/formats/)."""
    if not value:
        return ""
    local = template_localtime(value)
    return f"{date_format(local, 'DATETIME_FORMAT')} {dateformat.format(local, 'T')}"


@register.simple_tag(takes_context=True)
def site_footer_text(context) -> SafeString | str:
    """The editors' footer text as a paragraph in the reader's language (`SiteSettings.footer_in`),
    marked ` lang="en"` when there is only the English one; nothing when it is empty."""
    reader = translation.get_language()
    site_settings = SiteSettings.load(request_or_site=context.get("request"))
    text, language = site_settings.footer_in(reader)
    if not text:
        return ""
    marked = format_markup(' lang="{}"', language) if language != reader else ""
    return format_markup("<p{}>{}</p>", marked, text)

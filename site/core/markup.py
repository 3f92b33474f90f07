"""Markup written from Python by the template tags that draw whole lists (the apps'
`templatetags`): translations as the templates write them, and the pieces several lists
share.

The tags say what `{% translate %}` and `{% blocktranslate %}` would: the translation is part
of the markup and never escaped, the values put into it are. Pass the message through
`gettext` or `ngettext` where it is written, `translated(gettext("Open"))`, so that
`makemessages` finds it: a message it does not find would leave the .po files, and the pages
would fall back to English.
"""

from collections.abc import Callable

from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from exchange.core.reference_names import theme_name


def translated(text: str) -> SafeString:
    """A translated message, as `{% translate %}` writes it."""
    return mark_safe(text)


def blocktranslated(text: str, **values) -> SafeString:
    """A translated message with `%(name)s` values, as `{% blocktranslate %}` writes it."""
    return mark_safe(text % {name: conditional_escape(value) for name, value in values.items()})


def tag(kind: str, label: str) -> SafeString:
    """A tag (`.tag--open`, `.tag--closed`, `.tag--sample`): `label` is translated."""
    return format_html('<span class="tag tag--{}">{}</span>', kind, translated(label))


def sample_note() -> SafeString:
    """ " · Sample": what a list adds to an item of sample content, which says it is one."""
    return format_html(" · {}", tag("sample", gettext("Sample")))


def theme_tags(themes, href: Callable[[object], str]) -> SafeString | str:
    """A card's themes (`slug` and `name` each), as linked tags in the reader's language,
    `href(theme)` each link's address; nothing for a card without themes."""
    if not themes:
        return ""
    links = format_html_join(
        "",
        '<li><a class="tag" href="{}">{}</a></li>',
        ((href(theme), theme_name(theme.slug, theme.name)) for theme in themes),
    )
    return format_html(
        '<ul class="tags" aria-label="{}">{}</ul>', translated(gettext("Themes")), links
    )

"""Markup written from Python by the template tags that draw whole lists (the apps'
`templatetags`): translations as the templates write them, and the pieces several lists
share.

The tags say what `{% translate %}` and `{% blocktranslate %}` would: the translation is part
of the markup and never escaped, the values put into it are. Pass the message through
`gettext` or `ngettext` where it is written, `translated(gettext("Open"))`, so that
`makemessages` finds it: a message it does not find would leave the .po files, and the pages
would fall back to English.

The tags format with `format_markup` and `join_markup` below, not Django's `format_html` and
`format_html_join`: they escape the same way, without Django's check of every argument for a
lazy translation (`keep_lazy`), which the lists pay hundreds of times per page (about a
tenth of the search page's time: 195 formats and 535 escapes).
"""

from collections.abc import Callable, Iterable
from html import escape

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from exchange.core.reference_names import theme_name


def _escaped(value) -> str:
    """`value` as markup: markup as it is (anything with `__html__`), anything else turned
    into text and escaped, as Django's `conditional_escape` does (lazy translations
    included: `str()` translates them)."""
    as_html = getattr(value, "__html__", None)
    if as_html is not None:
        return as_html()
    return escape(str(value))


def format_markup(template: str, *args, **kwargs) -> SafeString:
    """`template` with its `{}` fields filled with the values escaped: Django's `format_html`."""
    return SafeString(
        template.format(
            *map(_escaped, args), **{name: _escaped(value) for name, value in kwargs.items()}
        )
    )


def join_markup(template: str, rows: Iterable[tuple]) -> SafeString:
    """`format_markup(template, *row)` for each row, joined: `format_html_join("", ...)`."""
    return SafeString("".join(template.format(*map(_escaped, row)) for row in rows))


def translated(text: str) -> SafeString:
    """A translated message, as `{% translate %}` writes it."""
    return SafeString(text)


def blocktranslated(text: str, **values) -> SafeString:
    """A translated message with `%(name)s` values, as `{% blocktranslate %}` writes it."""
    return SafeString(text % {name: _escaped(value) for name, value in values.items()})


def tag(kind: str, label: str) -> SafeString:
    """A tag (`.tag--open`, `.tag--closed`, `.tag--sample`): `label` is translated."""
    return format_markup('<span class="tag tag--{}">{}</span>', kind, translated(label))


def sample_note() -> SafeString:
    """ " · Sample": what a list adds to an item of sample content, which says it is one."""
    return format_markup(" · {}", tag("sample", gettext("Sample")))


def theme_tags(themes, href: Callable[[object], str]) -> SafeString | str:
    """A card's themes (`slug` and `name` each), as linked tags in the reader's language,
    `href(theme)` each link's address; nothing for a card without themes."""
    if not themes:
        return ""
    links = join_markup(
        '<li><a class="tag" href="{}">{}</a></li>',
        ((href(theme), theme_name(theme.slug, theme.name)) for theme in themes),
    )
    return format_markup(
        '<ul class="tags" aria-label="{}">{}</ul>', translated(gettext("Themes")), links
    )

"""Translations written into markup from Python, as the template tags write them.

Template tags that draw a whole list in Python (exchange's and the apps' `templatetags`)
say what `{% translate %}` and `{% blocktranslate %}` would: the translation is part of the
markup and never escaped, the values put into it are. Pass the message through `gettext`
or `ngettext` where it is written, `translated(gettext("Open"))`, so that `makemessages`
finds it: a message it does not find would leave the .po files, and the pages would fall
back to English.
"""

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def translated(text: str) -> SafeString:
    """A translated message, as `{% translate %}` writes it."""
    return mark_safe(text)


def blocktranslated(text: str, **values) -> SafeString:
    """A translated message with `%(name)s` values, as `{% blocktranslate %}` writes it."""
    return mark_safe(text % {name: conditional_escape(value) for name, value in values.items()})

"""The list tags' formatter (exchange.core.markup) escapes exactly as Django's format_html does:
a title or a country name typed by an editor can never become markup in a list."""

import pytest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, override

from exchange.core.markup import blocktranslated, format_markup, join_markup

HOSTILE = [
    '<script>alert("x")</script>',
    'Tom & Jerry\'s "quotes"',
    mark_safe("<mark>already markup</mark>"),
    42,
    None,
    gettext_lazy("Case study"),
]


@pytest.mark.parametrize("value", HOSTILE)
def test_format_markup_writes_what_format_html_writes(value):
    written = format_markup('<a href="{}">{}</a>', value, value)
    assert written == format_html('<a href="{}">{}</a>', value, value)
    assert isinstance(written, SafeString)


def test_named_fields_and_rows_are_escaped_too():
    assert format_markup("<b>{title}</b>", title="<i>") == "<b>&lt;i&gt;</b>"
    rows = [("<a>", 1), (mark_safe("<em>x</em>"), "&")]
    assert join_markup("<li>{} {}</li>", rows) == format_html_join("", "<li>{} {}</li>", rows)


def test_a_lazy_translation_is_written_in_the_active_language():
    with override("fr"):
        assert format_markup("{}", gettext_lazy("Case study")) == "Étude de cas"


def test_blocktranslated_escapes_its_values_but_not_the_message():
    said = blocktranslated("<em>apply by</em> %(deadline)s", deadline="<b>31 May</b>")
    assert said == "<em>apply by</em> &lt;b&gt;31 May&lt;/b&gt;"

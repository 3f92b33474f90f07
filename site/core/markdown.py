"""Markdown for authored text: render, then sanitise.

Editors and importers write Markdown; the HTML that reaches a page is always
passed through an allow-list sanitiser (nh3), so a `<script>` tag or a
`javascript:` link in content or an imported file can never reach a reader.
"""

from functools import lru_cache

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

EXTENSIONS = ["extra", "sane_lists", "smarty"]


def render_markdown(text: str) -> SafeString:
    """Markdown → sanitised HTML, safe to insert in a template."""
    return _render(text or "")


# Rendering is a pure function of the text and costs about 40% of an uncached case study
# page; the same sections are rendered on every visit, so remember recent results.
@lru_cache(maxsize=2048)
def _render(text: str) -> SafeString:
    html = markdown_lib.markdown(text, extensions=EXTENSIONS, output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # sanitised by nh3 just above

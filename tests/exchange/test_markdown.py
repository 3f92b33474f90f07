"""Markdown is rendered, then sanitised: no script from content or imports reaches a reader."""

import pytest
from bs4 import BeautifulSoup

from casestudies.factories import CaseStudyPageFactory
from exchange.core.markdown import render_markdown

ATTACKS = {
    "script tag": "Before <script>alert('xss')</script> after",
    "script tag split over lines": "<script\n>alert('xss')</script\n>",
    "image with onerror": '<img src="x" onerror="alert(\'xss\')">',
    "event attribute on an allowed tag": "<p onclick=\"alert('xss')\">click</p>",
    "svg onload": "<svg onload=\"alert('xss')\"></svg>",
    "javascript link in markdown": "[read more](javascript:alert('xss'))",
    "javascript link with odd case": "<a href=\"JaVaScRiPt:alert('xss')\">read</a>",
    "javascript link with entity-encoded tab": '<a href="jav&#x09;ascript:alert(1)">read</a>',
    "javascript autolink": "<javascript:alert('xss')>",
    "data url link": "[read](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "iframe with javascript source": "<iframe src=\"javascript:alert('xss')\"></iframe>",
    "style tag": "<style>body { display: none }</style>",
    "object embed": '<object data="https://evil.example/x.swf"></object>',
    "form": '<form action="https://evil.example/"><input name="password"></form>',
}

FORBIDDEN_TAGS = {"script", "iframe", "img", "svg", "style", "object", "embed", "form", "input"}


def assert_harmless(html: str):
    """No executable markup: no dangerous element, no event handler, no script URL."""
    tree = BeautifulSoup(html, "html.parser")
    for tag in tree.find_all(True):
        assert tag.name not in FORBIDDEN_TAGS, tag
        for attribute, value in tag.attrs.items():
            assert not attribute.lower().startswith("on"), tag
            assert "alert(" not in str(value), tag
            if attribute in ("href", "src", "action", "data"):
                scheme = "".join(str(value).split()).lower()
                assert not scheme.startswith(("javascript:", "data:", "vbscript:")), tag


@pytest.mark.parametrize("text", ATTACKS.values(), ids=ATTACKS.keys())
def test_render_markdown_removes_script_injection(text):
    html = render_markdown(text)

    assert_harmless(html)


def test_script_tag_and_its_code_are_dropped_but_the_text_around_it_stays():
    html = render_markdown("Before <script>alert('xss')</script> after")

    assert "<script" not in html
    assert "alert" not in html
    assert "Before" in html
    assert "after" in html


def test_javascript_link_keeps_its_text_without_the_link_target():
    tree = BeautifulSoup(render_markdown("[read more](javascript:alert(1))"), "html.parser")

    assert tree.a.get_text() == "read more"
    assert not tree.a.has_attr("href")


def test_markup_shown_as_code_is_escaped_not_run():
    html = render_markdown("Write `<script>` in a code span.")

    assert "<code>&lt;script&gt;</code>" in html


def test_ordinary_markdown_still_renders():
    html = render_markdown(
        'Reformers in **Kenya** used the [RTI law](https://example.org/rti "The Act") to:\n\n'
        "- ask for budgets\n"
        "- *publish* contracts\n\n"
        "1. first\n"
        "2. second\n\n"
        "> A quotation\n\n"
        "### A subheading\n\n"
        "| Year | Requests |\n| --- | --- |\n| 2017 | 120 |\n"
    )
    tree = BeautifulSoup(html, "html.parser")

    assert tree.strong.get_text() == "Kenya"
    assert tree.em.get_text() == "publish"
    link = tree.a
    assert link["href"] == "https://example.org/rti"
    assert link["title"] == "The Act"
    assert set(link["rel"]) == {"noopener", "noreferrer"}
    assert [li.get_text() for li in tree.ul.find_all("li")] == [
        "ask for budgets",
        "publish contracts",
    ]
    assert [li.get_text() for li in tree.ol.find_all("li")] == ["first", "second"]
    assert tree.blockquote.get_text(strip=True) == "A quotation"
    assert tree.h3.get_text() == "A subheading"
    assert [td.get_text() for td in tree.tbody.find_all("td")] == ["2017", "120"]


def test_mailto_and_relative_links_are_kept():
    tree = BeautifulSoup(
        render_markdown("[write](mailto:team@example.org) or see [Kenya](/countries/KEN/)"),
        "html.parser",
    )

    assert [a["href"] for a in tree.find_all("a")] == [
        "mailto:team@example.org",
        "/countries/KEN/",
    ]


def test_markdown_heading_one_never_adds_a_second_page_heading():
    html = render_markdown("# A title inside the text")

    assert "<h1" not in html
    assert "A title inside the text" in html


def test_empty_markdown_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


# --- In a published page ------------------------------------------------------------------------

ALL_ATTACKS = "\n\n".join(ATTACKS.values())


@pytest.mark.django_db
def test_published_case_study_never_serves_injected_markup(case_study_index, client):
    page = CaseStudyPageFactory(
        parent=case_study_index,
        title="A case study with hostile Markdown",
        live=False,
        body=[
            (
                "markdown",
                "Reformers in **Kenya** used the [RTI law](https://example.org/rti).\n\n"
                + ALL_ATTACKS,
            ),
            ("section", {"kind": "lessons", "text": "- Keep going\n- Publish\n\n" + ALL_ATTACKS}),
            ("quote", {"quote": "<script>alert('quote')</script>", "attribution": "<b>x</b>"}),
        ],
        key_figures=[("figure", {"value": "<script>1</script>", "label": "<img onerror=x>"})],
    )
    page.save_revision().publish()

    response = client.get(page.url)

    assert response.status_code == 200
    main = BeautifulSoup(response.content, "html.parser").select_one("main")
    assert_harmless(str(main))
    # The reader still gets the ordinary Markdown, rendered.
    assert main.select_one(".case-study__body strong").get_text() == "Kenya"
    assert main.select_one(".case-study__body a[href='https://example.org/rti']")
    lessons = main.select_one(".cs-section--lessons")
    assert lessons.h2.get_text() == "Lessons for peers"
    assert [li.get_text() for li in lessons.select("ul li")][:2] == ["Keep going", "Publish"]
    # Plain-text fields are escaped, so the attempt shows as text.
    assert "&lt;script&gt;alert('quote')&lt;/script&gt;" in response.text.replace("&#x27;", "'")

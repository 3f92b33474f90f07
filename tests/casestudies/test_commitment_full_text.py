"""Commitments' full text: imported with the commitments, shown only as a short excerpt.

The real full-text file is loaded with the commitments by `real_data`. Bad input is
tried on small full-text files written here, next to the six-row commitments
fixture, always with a good change in the same run that must not be saved either.
"""

import csv
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casestudies.models import Commitment
from casestudies.models.commitments import FULL_TEXT_EXCERPT_LENGTH, excerpt
from tests.casestudies.test_import_commitments import write_commitments

REAL_FULL_TEXT = (
    Path(settings.DATA_DIR) / "ogp" / "commitments_open_parliament_2024-07_full_text.csv"
)
HEADER = ["Commitment Unique Identifier", "Full Text"]
HEADER_LINE = b"Commitment Unique Identifier,Full Text\r\n"
READ_MORE = "Read the full commitment on OGP's site"
# The last sentence of KE0038's 16,000-character text: never on a page.
KE0038_END = "A report on timely release of information by stakeholders in the electoral cycle"


def run(*args) -> str:
    out = StringIO()
    call_command("import_commitments", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def run_failing(*args) -> list[str]:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_commitments", *args, stdout=StringIO(), stderr=err)
    return err.getvalue().splitlines()


def write_full_texts(path: Path, rows, header=HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\r\n").writerows([header, *rows])
    return path


def real_full_texts() -> dict[str, str]:
    with REAL_FULL_TEXT.open(encoding="utf-8-sig", newline="") as file:
        return {row[HEADER[0]]: row[HEADER[1]] for row in csv.DictReader(file)}


def snapshot():
    return list(
        Commitment.objects.order_by("identifier").values_list("identifier", "title", "full_text")
    )


def query_count(client, url) -> int:
    client.get(url)  # warm Wagtail's site root cache, which a real server keeps
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def read_more_link(article):
    (link,) = [a for a in article.select("a") if READ_MORE in a.get_text()]
    return link


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


# --- Import ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_stores_the_full_text_of_every_commitment(real_data):
    albania = Commitment.objects.get(identifier="AL0002")
    kenya = Commitment.objects.get(identifier="KE0038")

    assert albania.full_text.startswith("e-Acts project aims to support the process")
    assert albania.full_text.endswith("published all the decisions of these sessions.")
    assert kenya.full_text.startswith("Brief Description of the Commitment")
    assert len(kenya.full_text) > 16_000
    assert KE0038_END in kenya.full_text
    assert Commitment.objects.filter(full_text="").count() == 0


@pytest.mark.django_db
def test_full_text_keeps_its_line_breaks_and_tabs(real_data):
    kenya = Commitment.objects.get(identifier="KE0021")

    assert kenya.full_text.startswith("Commitment 4: Public Participation\nWe will work together")
    assert Commitment.objects.filter(full_text__contains="\t").exists()
    assert not Commitment.objects.filter(full_text__contains="\r").exists()


@pytest.mark.django_db
def test_changed_full_text_updates_only_that_commitment(real_data, tmp_path):
    texts = real_full_texts()
    texts["AL0002"] = "e-Acts, as revised:\r\nevery act drafted online."
    path = write_full_texts(tmp_path / "full_text.csv", texts.items())

    out = run("--full-text", str(path))

    assert "Commitments: 0 created, 1 updated, 557 unchanged" in out
    assert Commitment.objects.get(identifier="AL0002").full_text == (
        "e-Acts, as revised:\nevery act drafted online."
    )


@pytest.mark.django_db
def test_commitment_missing_from_the_full_text_file_is_left_without_text(real_data, tmp_path):
    commitments = write_commitments(tmp_path / "commitments.csv")
    path = write_full_texts(tmp_path / "full_text.csv", [["AL0002", "Only this one."]])

    out = run(str(commitments), "--full-text", str(path))

    # The six commitments of the file follow the full-text file; the other 552 keep theirs.
    assert "Commitments: 0 created, 6 updated" in out
    assert Commitment.objects.get(identifier="AL0002").full_text == "Only this one."
    assert Commitment.objects.get(identifier="KE0038").full_text == ""
    assert Commitment.objects.exclude(full_text="").count() == 553


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [["AL0002", "Fine."], ["KE0038", "Three\nlines\nlong."], ["ZZ0001", "Unknown."]],
            "full_text.csv:6: unknown commitment identifier 'ZZ0001' "
            "(not in the commitments file nor imported before)",
            id="unknown-identifier-after-a-row-spanning-lines",
        ),
        pytest.param(
            [["AL0002", "Fine."], ["UA0037", "First."], ["AL0002", "Again."]],
            "full_text.csv:4: duplicate identifier AL0002 (first on line 2)",
            id="duplicate-identifier",
        ),
        pytest.param(
            [["AL0002", "Fine."], ["UA0037", "Broken\x00text."]],
            "full_text.csv:3: Full Text of UA0037: control character U+0000 "
            "(only line breaks and tabs are allowed)",
            id="nul-byte",
        ),
        pytest.param(
            [["AL0002", "Fine."], ["UA0037", "Coloured \x1b[31mtext."]],
            "full_text.csv:3: Full Text of UA0037: control character U+001B "
            "(only line breaks and tabs are allowed)",
            id="escape-character",
        ),
        pytest.param(
            [["AL0002", "Fine."], ["UA0037", "Text", "extra"]],
            "full_text.csv:3: more values than columns",
            id="too-many-values",
        ),
        pytest.param(
            [["AL0002", "Fine."], ["UA0037"]],
            "full_text.csv:3: fewer values than columns",
            id="too-few-values",
        ),
    ],
)
@pytest.mark.django_db
def test_bad_full_text_row_is_reported_with_its_line_and_nothing_is_imported(
    real_data, tmp_path, rows, expected
):
    commitments = write_commitments(
        tmp_path / "commitments.csv", {"KE0038": {"Commitment Title": "Not saved"}}
    )
    path = write_full_texts(tmp_path / "full_text.csv", rows)
    before = snapshot()

    problems = run_failing(str(commitments), "--full-text", str(path))

    assert problems == [expected]
    assert snapshot() == before


@pytest.mark.django_db
def test_full_text_file_that_is_not_utf8_is_a_clear_error(real_data, tmp_path):
    path = tmp_path / "full_text.csv"
    path.write_bytes(
        b"Commitment Unique Identifier,Full Text\r\nAL0002,Fine.\r\nUA0037,Acc\xe8s\r\n"
    )
    before = snapshot()

    assert run_failing("--full-text", str(path)) == [
        "full_text.csv:3: not UTF-8 (byte 0xe8): save the file as UTF-8"
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_value_longer_than_the_csv_field_limit_is_reported_not_raised(real_data, tmp_path):
    limit = csv.field_size_limit()
    path = tmp_path / "full_text.csv"
    path.write_bytes(HEADER_LINE + f'AL0002,Fine.\r\nUA0037,"{"x" * (limit + 1)}"\r\n'.encode())
    before = snapshot()

    assert run_failing("--full-text", str(path)) == [
        f"full_text.csv:3: a value is longer than {limit:,} characters "
        "(is a closing quote missing?)"
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_oversized_value_in_the_commitments_file_is_reported_not_raised(real_data, tmp_path):
    limit = csv.field_size_limit()
    commitments = write_commitments(
        tmp_path / "commitments.csv", {"UA0037": {"Commitment Title": "x" * (limit + 1)}}
    )
    before = snapshot()

    assert run_failing(str(commitments)) == [
        f"commitments.csv:13: a value is longer than {limit:,} characters "
        "(is a closing quote missing?)"
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_full_text_file_without_its_columns_is_reported_on_the_header_line(real_data, tmp_path):
    path = write_full_texts(
        tmp_path / "full_text.csv", [["AL0002", "Fine."]], header=["Identifier", "Full Text"]
    )

    assert run_failing("--full-text", str(path)) == [
        "full_text.csv:1: missing column(s): Commitment Unique Identifier"
    ]


@pytest.mark.django_db
def test_missing_full_text_file_is_reported(real_data, tmp_path):
    assert run_failing("--full-text", str(tmp_path / "nowhere.csv")) == [
        f"nowhere.csv:0: file not found: {tmp_path / 'nowhere.csv'}"
    ]


@pytest.mark.django_db
def test_problems_in_both_files_are_reported_in_one_run(real_data, tmp_path):
    commitments = write_commitments(
        tmp_path / "commitments.csv", {"UA0037": {"Potential Impact": "Huge"}}
    )
    path = write_full_texts(tmp_path / "full_text.csv", [["ZZ0001", "Unknown."]])
    before = snapshot()

    assert run_failing(str(commitments), "--full-text", str(path)) == [
        "commitments.csv:13: Potential Impact: unknown value 'Huge'",
        "full_text.csv:2: unknown commitment identifier 'ZZ0001' "
        "(not in the commitments file nor imported before)",
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_text_of_a_commitment_new_in_the_same_run_is_accepted(real_data, tmp_path):
    commitments = write_commitments(tmp_path / "commitments.csv", copies={"AL9999": "AL0002"})
    path = write_full_texts(tmp_path / "full_text.csv", [["AL9999", "A new commitment."]])

    run(str(commitments), "--full-text", str(path))

    assert Commitment.objects.get(identifier="AL9999").full_text == "A new commitment."


# --- The excerpt -------------------------------------------------------------------------


def test_excerpt_of_a_long_text_is_cut_between_words_with_an_ellipsis():
    text = "Parliament will publish every bill,  draft and\namendment online. " * 10

    short = excerpt(text, FULL_TEXT_EXCERPT_LENGTH)

    assert short.endswith("…")
    assert len(short) <= FULL_TEXT_EXCERPT_LENGTH + 1
    kept = short.removesuffix("…")
    plain = " ".join(text.split())
    assert plain.startswith(kept)
    assert plain[len(kept)] in " ,"  # the cut falls between words
    assert "\n" not in short and "  " not in short


def test_short_text_is_shown_whole_without_symbol_font_bullets():
    assert excerpt("Goals:\n\uf0b7 open data\n\uf0b7 open budgets", 240) == (
        "Goals: open data open budgets"
    )
    assert excerpt("", 240) == ""


def test_a_single_word_longer_than_the_excerpt_is_cut_inside_it():
    assert excerpt("x" * 300, 240) == "x" * 240 + "…"


# --- Pages -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_country_page_quotes_an_excerpt_and_links_to_ogp(real_data, client):
    kenya = Commitment.objects.get(identifier="KE0038")

    html = soup(client.get("/countries/KEN/"))

    article = html.select_one("article#KE0038")
    quote = article.select_one("q")
    assert quote.get_text() == kenya.full_text_excerpt
    assert quote.get_text().startswith("Brief Description of the Commitment The commitment")
    assert len(quote.get_text()) <= FULL_TEXT_EXCERPT_LENGTH + 1
    assert "From the action plan" in article.get_text()
    link = read_more_link(article)
    assert link["href"] == kenya.source_url
    assert kenya.source_url.startswith("https://opengovpartnership.org/members/kenya/")
    assert KE0038_END not in html.get_text()


@pytest.mark.django_db
def test_theme_page_quotes_excerpts_with_links_to_ogp(real_data, client):
    html = soup(client.get("/themes/right-to-information/"))

    articles = html.select("article.commitment")
    assert articles
    for article in articles:
        commitment = Commitment.objects.get(identifier=article["id"])
        assert article.select_one("q").get_text() == commitment.full_text_excerpt
        assert article.select_one(f"a[href='{commitment.source_url}']")


@pytest.mark.django_db
def test_excerpt_is_escaped(real_data, client):
    Commitment.objects.filter(identifier="AL0002").update(
        full_text="<script>alert('x')</script> e-Acts"
    )

    response = client.get("/countries/ALB/")

    assert b"<script>alert" not in response.content
    assert "<script>alert('x')</script> e-Acts" in soup(response).select_one("#AL0002 q").get_text()


@pytest.mark.django_db
def test_commitment_without_its_own_page_links_the_country_ogp_page(real_data, client):
    Commitment.objects.filter(identifier="AL0002").update(source_url="")
    albania = Commitment.objects.get(identifier="AL0002").country
    albania.ogp_source_url = "https://www.opengovpartnership.org/members/albania/"
    albania.save(update_fields=["ogp_source_url"])

    article = soup(client.get("/countries/ALB/")).select_one("article#AL0002")

    assert article.select_one("q")
    link = read_more_link(article)
    assert link["href"] == "https://www.opengovpartnership.org/members/albania/"


@pytest.mark.django_db
def test_without_any_source_link_no_excerpt_is_shown(real_data, client):
    Commitment.objects.filter(identifier="AL0002").update(source_url="")
    albania = Commitment.objects.get(identifier="AL0002").country
    albania.ogp_source_url = ""
    albania.save(update_fields=["ogp_source_url"])

    article = soup(client.get("/countries/ALB/")).select_one("article#AL0002")

    assert article.select_one("q") is None
    assert "e-Acts project" not in article.get_text()


@pytest.mark.django_db
def test_excerpts_add_no_queries_to_country_and_theme_pages(real_data, client):
    urls = ["/countries/KEN/", "/themes/right-to-information/"]
    with_text = [query_count(client, url) for url in urls]
    Commitment.objects.update(full_text="")

    assert [query_count(client, url) for url in urls] == with_text
    assert with_text[0] <= 10

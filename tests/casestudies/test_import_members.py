"""`import_ogp_members`: OGP membership from the national members file, all-or-nothing.

The real file is loaded once per session by `real_data`; bad input is tried on
small files written from its first real rows (Afghanistan, Albania, Argentina,
Armenia, Australia on lines 2 to 6).
"""

import csv
from collections import Counter
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from casestudies.importers.members import MEMBERSHIP_FIELDS, NOT_A_MEMBER, import_members
from casestudies.models import Country
from exchange.core.importing.base import ImportFailed

pytestmark = pytest.mark.django_db

REAL_FILE = Path(settings.DATA_DIR) / "ogp" / "ogp_national_members_2026-12.csv"


def run(*args) -> str:
    out = StringIO()
    call_command("import_ogp_members", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def run_failing(*args) -> list[str]:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_ogp_members", *args, stdout=StringIO(), stderr=err)
    return err.getvalue().splitlines()


def real_rows() -> tuple[list[str], list[list[str]]]:
    with REAL_FILE.open(encoding="utf-8", newline="") as file:
        header, *rows = list(csv.reader(file))
    return header, rows


def write_members(path: Path, edits=None, extra_rows=(), count=5) -> Path:
    """The first `count` real rows, with cells changed ({iso3: {column: value}}) and rows added."""
    header, rows = real_rows()
    rows = [list(row) for row in rows[:count]]
    for row in rows:
        for column, value in (edits or {}).get(row[0], {}).items():
            row[header.index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerows(extra_rows)
    return path


def membership() -> dict[str, tuple]:
    return {row[0]: row[1:] for row in Country.objects.values_list("iso3", *MEMBERSHIP_FIELDS)}


# The real file


def test_real_file_names_84_governments_of_which_75_take_part(real_data):
    named = Country.objects.exclude(ogp_status="")

    assert named.count() == 84
    assert Country.objects.ogp_members().count() == 75
    assert Counter(named.values_list("ogp_status", flat=True)) == {
        "active": 73,
        "unknown": 2,
        "withdrawn": 9,
    }
    assert not named.filter(ogp_status="withdrawn", ogp_member=True).exists()
    assert not named.filter(ogp_year_joined__isnull=True).exists()
    assert not named.filter(ogp_source_url="").exists()


def test_real_file_imports_every_row_into_countries_without_membership(real_data):
    Country.objects.update(**NOT_A_MEMBER)

    assert run() == "Members: 84 created, 0 updated\n"
    assert Country.objects.exclude(ogp_status="").count() == 84


def test_south_africa_is_a_founding_member_since_2011_although_it_has_no_commitments(real_data):
    south_africa = Country.objects.get(iso3="ZAF")

    assert south_africa.ogp_member is True
    assert (south_africa.ogp_status, south_africa.ogp_year_joined) == ("active", 2011)
    assert south_africa.ogp_status_note == "founding member"
    assert south_africa.ogp_source_url.startswith("https://opengovpartnership.org/")
    assert not south_africa.commitments.exists()


def test_kenya_joined_in_2011_not_in_the_year_of_its_first_plan_in_the_irm_data(real_data):
    kenya = Country.objects.get(iso3="KEN")

    assert (kenya.ogp_member, kenya.ogp_year_joined) == (True, 2011)
    assert kenya.ogp_source_url == (
        "http://freedominfo.org/2011/09/five-more-countries-join-ogp-bringing-total-to-22"
    )
    assert kenya.ogp_first_plan_year == 2016  # a fact of the IRM export, not of membership


def test_withdrawn_country_is_not_a_member_but_keeps_its_history(real_data):
    hungary = Country.objects.get(iso3="HUN")

    assert hungary.ogp_member is False
    assert (hungary.ogp_status, hungary.ogp_year_joined) == ("withdrawn", 2012)
    assert hungary.ogp_status_note == "withdrew Dec 2016"
    assert not Country.objects.ogp_members().filter(iso3="HUN").exists()


def test_unconfirmed_status_still_counts_as_taking_part(real_data):
    malta = Country.objects.get(iso3="MLT")

    assert (malta.ogp_member, malta.ogp_status) == (True, "unknown")


def test_country_the_file_does_not_name_is_not_a_member(real_data):
    for iso3 in ("ETH", "IND", "RUS"):
        country = Country.objects.get(iso3=iso3)
        assert (country.ogp_member, country.ogp_status, country.ogp_year_joined) == (
            False,
            "",
            None,
        )


# Re-running


def test_reimport_of_the_same_file_changes_nothing(real_data):
    before = membership()

    assert run() == "Members: 0 created, 0 updated, 84 unchanged\n"
    assert membership() == before


def test_reimport_updates_a_changed_row_and_clears_countries_no_longer_named(real_data, tmp_path):
    path = write_members(tmp_path / "members.csv", {"ALB": {"status": "inactive"}})

    assert run(str(path)) == "Members: 0 created, 80 updated, 4 unchanged\n"

    albania = Country.objects.get(iso3="ALB")
    assert (albania.ogp_member, albania.ogp_status) == (True, "inactive")
    south_africa = Country.objects.get(iso3="ZAF")
    assert (south_africa.ogp_member, south_africa.ogp_status, south_africa.ogp_source_url) == (
        False,
        "",
        "",
    )
    assert Country.objects.ogp_members().count() == 5


def test_importer_takes_the_first_source_url_as_the_source(real_data, tmp_path):
    path = write_members(
        tmp_path / "members.csv",
        {"ARM": {"source_urls": "https://example.org/one  http://example.org/two"}},
    )

    run(str(path))

    assert Country.objects.get(iso3="ARM").ogp_source_url == "https://example.org/one"


# Bad input: every problem reported as file:line, nothing written


def test_bad_rows_are_all_reported_with_their_lines_and_nothing_is_written(real_data, tmp_path):
    path = write_members(
        tmp_path / "members.csv",
        {
            "AFG": {"status": "suspended"},
            "ALB": {"year_joined": "²⁰¹¹"},
            "ARG": {"source_urls": ""},
            "ARM": {"year_joined": "2010", "source_urls": "www.foi.am/ogp"},
        },
        extra_rows=[
            ["XYZ", "Nowhere", "2012", "active", "", "https://example.org/xyz"],
            ["ALB", "Albania again", "2011", "active", "", "https://example.org/alb"],
        ],
    )
    before = membership()

    assert run_failing(str(path)) == [
        "members.csv:2: status: unknown value 'suspended' "
        "(expected one of active, inactive, withdrawn, unknown)",
        "members.csv:3: year_joined: '²⁰¹¹' is not a 4-digit year",
        "members.csv:4: source_urls: missing (every row needs the page its facts were read from)",
        "members.csv:5: source_urls: 'www.foi.am/ogp' is not an http(s) web address",
        f"members.csv:5: year_joined: 2010 is not between 2011 and {date.today().year}",
        "members.csv:7: unknown country XYZ (not among the countries: run import_countries first?)",
        "members.csv:8: duplicate iso3 ALB (first on line 3)",
    ]
    assert membership() == before


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("iso3", "KEN", "duplicate iso3 KEN (first on line 2)"),
        ("iso3", "ken", "iso3: 'ken' is not an ISO 3166 alpha-3 code"),
        (
            "iso3",
            "QQQ",
            "unknown country QQQ (not among the countries: run import_countries first?)",
        ),
        ("year_joined", "²⁰²⁰", "year_joined: '²⁰²⁰' is not a 4-digit year"),
        ("year_joined", "٢٠١٦", "year_joined: '٢٠١٦' is not a 4-digit year"),
        ("year_joined", "16", "year_joined: '16' is not a 4-digit year"),
        ("year_joined", "", "year_joined: '' is not a 4-digit year"),
        ("year_joined", "2099", f"year_joined: 2099 is not between 2011 and {date.today().year}"),
        (
            "status",
            "Active",
            "status: unknown value 'Active' (expected one of active, inactive, withdrawn, unknown)",
        ),
        (
            "source_urls",
            "",
            "source_urls: missing (every row needs the page its facts were read from)",
        ),
        (
            "source_urls",
            "ftp://example.org/x",
            "source_urls: 'ftp://example.org/x' is not an http(s) web address",
        ),
        ("name", " ", "name: missing"),
    ],
)
def test_each_kind_of_bad_value_is_reported_on_its_line(real_data, tmp_path, column, value, reason):
    header, rows = real_rows()
    kenya = next(row for row in rows if row[0] == "KEN")
    spoiled = list(next(row for row in rows if row[0] == "ZAF"))
    spoiled[header.index(column)] = value
    path = tmp_path / "members.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([header, kenya, spoiled])
    before = membership()

    assert run_failing(str(path)) == [f"members.csv:3: {reason}"]
    assert membership() == before


def test_rows_of_the_wrong_length_are_reported(real_data, tmp_path):
    path = write_members(
        tmp_path / "members.csv",
        count=1,
        extra_rows=[["KEN", "Kenya", "2011"], [*real_rows()[1][1], "extra"]],
    )

    assert run_failing(str(path)) == [
        "members.csv:3: fewer values than columns",
        "members.csv:4: more values than columns",
    ]


def test_missing_columns_are_reported_on_the_header_line(real_data, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("iso3,name,year\nKEN,Kenya,2011\n", encoding="utf-8")

    assert run_failing(str(path)) == [
        "members.csv:1: missing column(s): year_joined, status, status_note, source_urls"
    ]


def test_missing_file_is_reported(real_data, tmp_path):
    path = tmp_path / "nowhere.csv"

    assert run_failing(str(path)) == [f"nowhere.csv:0: file not found: {path}"]


def test_a_year_after_the_current_one_is_refused(real_data, tmp_path):
    path = write_members(tmp_path / "members.csv", {"ALB": {"year_joined": "2026"}})

    with pytest.raises(ImportFailed) as failure:
        import_members(path, today=date(2025, 6, 1))

    assert [str(problem) for problem in failure.value.problems] == [
        "members.csv:3: year_joined: 2026 is not between 2011 and 2025"
    ]

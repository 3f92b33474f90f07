"""`import_reform_records`: facts from the organisations that track a reform worldwide.

The real files (data/open_contracting, data/beneficial_ownership) are loaded once per
session by `real_data`. Bad input is tried on copies of real files in a temporary
folder; every test runs in a transaction that rolls back, so the real records return.
"""

import json
import shutil
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from casestudies.models import ReformRecord, ReformSource
from search.documents import commitment_outcome_strength

pytestmark = pytest.mark.django_db

OC_FOLDER = Path(settings.DATA_DIR) / "open_contracting" / "oc-status"
OO_FOLDER = Path(settings.DATA_DIR) / "beneficial_ownership"
OCP = ReformSource.OPEN_CONTRACTING.value
OO = ReformSource.OPEN_OWNERSHIP.value


def run(*args) -> str:
    out = StringIO()
    call_command("import_reform_records", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def run_failing(*args) -> list[str]:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_reform_records", *args, stdout=StringIO(), stderr=err)
    return err.getvalue().splitlines()


def snapshot(source=None):
    records = ReformRecord.objects.order_by("pk")
    if source:
        records = records.filter(source=source)
    return list(records.values_list("pk", "kind", "key", "title", "url", "since"))


def real_json(iso2: str) -> dict:
    return json.loads((OC_FOLDER / f"{iso2}.json").read_text(encoding="utf-8"))


def oc_folder(tmp_path: Path, countries: dict[str, dict | str]) -> Path:
    """An oc-status folder with the given files: {iso2: data or raw text}."""
    folder = tmp_path / "oc-status"
    folder.mkdir()
    for iso2, content in countries.items():
        text = content if isinstance(content, str) else json.dumps(content, indent=2)
        (folder / f"{iso2}.json").write_text(text, encoding="utf-8")
    return folder


def line_of(path: Path, text: str) -> int:
    """The number of the first line of `path` containing `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def oo_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "beneficial_ownership"
    shutil.copytree(OO_FOLDER, folder)
    return folder


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def kenya_with(**publisher_values) -> dict:
    data = real_json("ke")
    data["results"]["publishers"][0].update(publisher_values)
    return data


# --- The real files -----------------------------------------------------------------------


def test_real_files_import_every_ocds_publisher_and_every_committed_country(real_data):
    assert ReformRecord.objects.filter(source=OCP, kind="ocds-publisher").count() == 89
    # 116 rows: Lebanon has not committed and "United Kingdom Overseas Territories" is no
    # country; the other 114 are all World Bank economies.
    assert ReformRecord.objects.filter(source=OO).count() == 114
    assert set(ReformRecord.objects.filter(source=OO).values_list("kind", flat=True)) == {
        "bo-register",
        "bo-commitment",
    }


def test_kenya_publishes_ocds_data_since_2024(real_data):
    (record,) = ReformRecord.objects.filter(country__iso3="KEN", kind="ocds-publisher")

    assert record.title == (
        "Publishes open contracting data (OCDS): "
        "Kenya: Public Procurement Regulatory Authority (PPRA)"
    )
    assert record.since == 2024
    assert record.url == "https://tenders.go.ke/Contracts"
    assert record.theme.slug == "open-contracting"
    assert record.as_of.isoformat() == "2025-04-15"  # meta.date 1744747851003
    assert record.strength == 0.5  # publishes ongoing data
    assert record.details["ongoing_data"] is True
    assert record.details["impact_stories"][0]["url"].startswith(
        "https://www.open-contracting.org/"
    )


def test_ukraine_has_prozorro_as_its_ocds_publisher(real_data):
    (record,) = ReformRecord.objects.filter(country__iso3="UKR", kind="ocds-publisher")

    assert record.title.endswith("Ukraine: ProZorro")
    assert record.url.startswith("https://public-api.prozorro.gov.ua/")


def test_uk_has_a_beneficial_ownership_register_record(real_data):
    (record,) = ReformRecord.objects.filter(country__iso3="GBR", source=OO)

    assert record.kind == "bo-register"
    assert record.theme.slug == "beneficial-ownership"
    assert record.title == (
        "Beneficial-ownership register online; "
        "committed to a central, public register covering all sectors"
    )
    assert record.strength == 0.5
    assert record.since is None  # the file gives no year
    assert record.as_of.isoformat() == "2021-09-08"
    assert record.source_url == "https://www.openownership.org/en/map/"


def test_a_commitment_without_an_online_register_is_a_weaker_bo_commitment(real_data):
    (record,) = ReformRecord.objects.filter(country__iso3="KEN", source=OO)

    assert record.kind == "bo-commitment"
    assert record.strength == 0.25
    assert record.url == ""


def test_registers_are_placed_in_the_country_their_name_begins_with(real_data):
    albania = ReformRecord.objects.get(country__iso3="ALB", source=OO)
    slovakia = ReformRecord.objects.get(country__iso3="SVK", source=OO)  # "Slovak Republic"

    assert albania.url.startswith("https://qkb.gov.al/")
    assert [r["name"] for r in slovakia.details["registers"]] == [
        "Slovakia Public Sector Partners Register",
        "Slovakia Commercial Register",
    ]
    assert slovakia.url == "https://rpo.statistics.sk/rpo/#login"  # the national one first
    # "UK PSC Register" names no country as the countries file or ISO 3166 writes it.
    assert ReformRecord.objects.get(country__iso3="GBR", source=OO).details["registers"] == []


def test_kosovo_xk_is_placed_in_world_bank_xkx(real_data):
    assert ReformRecord.objects.filter(country__iso3="XKX", kind="ocds-publisher").exists()


def test_reform_records_stay_below_a_completed_commitment(real_data):
    completed = SimpleNamespace(
        completion="complete", opened_government=None, potential_impact=None, starred=False
    )

    strongest = max(ReformRecord.objects.values_list("strength", flat=True))

    assert strongest < commitment_outcome_strength(completed)


def test_reimporting_the_real_files_changes_nothing_and_reports_what_was_left_out(real_data):
    before = snapshot()

    output = run()

    assert snapshot() == before
    assert "Open Contracting Partnership: 0 created, 0 updated, 89 unchanged, 1 skipped" in output
    assert "1 record(s) skipped: 1 country not among the World Bank economies" in output
    assert "(TW)" in output
    assert "OnData (Italy): publisher_link '2024-07' is not a link" in output
    assert "Open Ownership: 0 created, 0 updated, 114 unchanged" in output
    assert "UK PSC Register" in output  # named as left out
    assert "Lebanon has not committed" in output


def test_a_known_error_in_the_source_imports_without_a_link(real_data):
    record = ReformRecord.objects.get(country__iso3="ITA", key="IT:OnData (Italy)")

    assert record.url == ""
    assert record.since == 2020


# --- Replacing a source's records ----------------------------------------------------------


def test_a_record_dropped_from_the_file_is_deleted_on_reimport(real_data, tmp_path):
    uk = real_json("gb")
    folder = oc_folder(tmp_path, {"ke": real_json("ke"), "gb": uk})
    kenya = ReformRecord.objects.get(country__iso3="KEN", kind="ocds-publisher")

    output = run("--source", OCP, str(folder))

    assert "0 created, 0 updated, 4 unchanged, 85 deleted" in output
    assert ReformRecord.objects.filter(source=OCP).count() == 4
    dropped = uk["results"]["publishers"].pop()
    (folder / "gb.json").write_text(json.dumps(uk, indent=2), encoding="utf-8")

    output = run("--source", OCP, str(folder))

    assert "0 created, 0 updated, 3 unchanged, 1 deleted" in output
    titles = ReformRecord.objects.filter(country__iso3="GBR", source=OCP)
    assert dropped["publisher"] not in " ".join(titles.values_list("title", flat=True))
    # Records that stay keep their identity, so links to them stay valid.
    assert ReformRecord.objects.get(country__iso3="KEN", kind="ocds-publisher").pk == kenya.pk
    # The other source is untouched.
    assert ReformRecord.objects.filter(source=OO).count() == 114


def test_a_changed_fact_updates_its_record_in_place(real_data, tmp_path):
    kenya = ReformRecord.objects.get(country__iso3="KEN", kind="ocds-publisher")
    folder = oc_folder(tmp_path, {"ke": kenya_with(ocds_ongoing_data=False)})

    output = run("--source", OCP, str(folder))

    assert "0 created, 1 updated" in output
    kenya_now = ReformRecord.objects.get(pk=kenya.pk)
    assert kenya_now.strength == 0.4  # historic data only
    assert kenya_now.details["ongoing_data"] is False


def test_a_path_needs_its_source(real_data, tmp_path):
    with pytest.raises(CommandError, match="--source"):
        call_command("import_reform_records", str(tmp_path), stdout=StringIO())


# --- Bad input: file and line, nothing written ---------------------------------------------


def test_bad_json_is_reported_with_its_line_and_nothing_is_written(real_data, tmp_path):
    text = json.dumps(real_json("ke"), indent=2)
    broken = text.replace('"name": "Kenya",', '"name": "Kenya"', 1)  # line 3 loses its comma
    folder = oc_folder(tmp_path, {"ke": broken, "ua": real_json("ua")})
    before = snapshot()

    problems = run_failing("--source", OCP, str(folder))

    assert problems == ["ke.json:4: not valid JSON: Expecting ',' delimiter"]
    assert snapshot() == before


@pytest.mark.parametrize("year", ["²⁰²⁴", "20x4", "24", "1066", "2024 "])
def test_a_bad_year_is_reported_at_its_line(real_data, tmp_path, year):
    folder = oc_folder(tmp_path, {"ke": kenya_with(year_first_implemented=year)})
    line = line_of(folder / "ke.json", "year_first_implemented")
    before = snapshot()

    problems = run_failing("--source", OCP, str(folder))

    assert len(problems) == 1
    assert problems[0].startswith(f"ke.json:{line}: results.publishers[0].year_first_implemented:")
    assert "year" in problems[0]
    assert snapshot() == before


@pytest.mark.parametrize("link", ["tenders.go.ke/Contracts", "javascript:alert(1)", "ftp://x.ke"])
def test_a_bad_url_is_reported_at_its_line(real_data, tmp_path, link):
    folder = oc_folder(tmp_path, {"ke": kenya_with(publisher_link=link)})
    line = line_of(folder / "ke.json", "publisher_link")
    before = snapshot()

    problems = run_failing("--source", OCP, str(folder))

    assert problems == [
        f"ke.json:{line}: results.publishers[0].publisher_link: "
        f"{link!r} is not a web address (http or https)"
    ]
    assert snapshot() == before


def test_a_bad_boolean_and_a_missing_key_are_each_reported(real_data, tmp_path):
    data = kenya_with(ocds_ongoing_data="yes")
    del data["results"]["publishers"][0]["publisher_link"]
    folder = oc_folder(tmp_path, {"ke": data})
    publisher = line_of(folder / "ke.json", '"publisher":')
    ongoing = line_of(folder / "ke.json", '"ocds_ongoing_data":')

    problems = run_failing("--source", OCP, str(folder))

    assert problems == [
        f"ke.json:{publisher}: results.publishers[0].publisher_link: missing",
        f"ke.json:{ongoing}: results.publishers[0].ocds_ongoing_data: "
        "expected true or false, got 'yes'",
    ]


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(real_data, tmp_path):
    folder = oc_folder(tmp_path, {"ke": real_json("ke")})
    text = (folder / "ke.json").read_text(encoding="utf-8").replace("Kenya", "Kényä")
    (folder / "ke.json").write_bytes(text.encode("latin-1"))

    problems = run_failing("--source", OCP, str(folder))

    assert problems == [
        "ke.json:3: not UTF-8 text: byte 0xe9 at byte position 29 (line 3, column 13); "
        "save the file as UTF-8"
    ]


def test_a_file_named_for_no_country_is_refused(real_data, tmp_path):
    folder = oc_folder(tmp_path, {"zz": real_json("ke") | {"iso": "zz"}})

    publisher = line_of(folder / "zz.json", '"publisher":')

    problems = run_failing("--source", OCP, str(folder))

    assert problems == [f"zz.json:{publisher}: ZZ is not an ISO 3166 country code"]


def test_bad_open_ownership_rows_are_reported_by_file_and_line(real_data, tmp_path):
    folder = oo_folder(tmp_path)
    countries = folder / "openownership_countries_2022-02.csv"
    registers = folder / "openownership_registers_2022-02.csv"
    replace_in(countries, "Albania,AL,True,False", "Albania,AL,Yes,False")
    replace_in(registers, '"https://qkb.gov.al/', '"qkb.gov.al/')
    before = snapshot()

    problems = run_failing("--source", OO, str(folder))

    assert problems == [
        "openownership_countries_2022-02.csv:3: committed: expected True or False, got 'Yes'",
        "openownership_registers_2022-02.csv:3: register_url: 'qkb.gov.al/search/search-in-the-"
        "register-of-beneficial-owners-rbo/search-reporting-subject/' is not a web address "
        "(http or https)",
    ]
    assert snapshot() == before


def test_importing_all_sources_writes_nothing_when_one_has_a_problem(real_data, tmp_path, settings):
    shutil.copytree(OC_FOLDER.parent, tmp_path / "open_contracting")
    shutil.copytree(OO_FOLDER, tmp_path / "beneficial_ownership")
    replace_in(
        tmp_path / "beneficial_ownership" / "openownership_countries_2022-02.csv",
        "2022-01-05 13:50:00",
        "yesterday",
    )
    (tmp_path / "open_contracting" / "oc-status" / "ke.json").unlink()
    before = snapshot()

    settings.DATA_DIR = tmp_path

    problems = run_failing()

    assert problems == [
        "openownership_countries_2022-02.csv:3: last_updated: 'yesterday' is not a date "
        "(YYYY-MM-DD HH:MM:SS)"
    ]
    assert snapshot() == before

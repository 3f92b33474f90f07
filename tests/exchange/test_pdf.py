"""exchange.core.pdf: documents come out with every character a reader needs, with or without a
Unicode font on the machine."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from exchange.core import pdf
from tests.conftest import require_service

NAMES = "Côte d'Ivoire — Türkiye, São Tomé and Príncipe; “Łódź” … Ελλάδα"


def text_of(document) -> str:
    data = document.as_bytes()
    assert data.startswith(b"%PDF-")
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


@pytest.fixture
def no_unicode_font(settings, tmp_path, monkeypatch):
    settings.PDF_FONT_DIR = str(tmp_path)  # an empty folder: no font there
    monkeypatch.setattr(pdf, "FONT_DIRS", ())


def test_without_a_unicode_font_text_is_folded_not_refused(no_unicode_font):
    document = pdf.Document("Fallback")
    assert not document.typeface.unicode
    document.paragraph(NAMES)

    text = text_of(document)

    # Windows-1252 has every country name in our data, dashes and quotes: kept as they are.
    assert "Côte d'Ivoire — Türkiye, São Tomé and Príncipe; “" in text
    assert "Lódz" in text  # no Ł or ź in Helvetica: the nearest letters
    assert "?????" in text  # Greek cannot be shown: marked, never an error


def test_a_unicode_font_keeps_every_script(settings):
    fonts = pdf.pdf_fonts()
    require_service(fonts.unicode, "DejaVu Sans is not installed (fonts-dejavu-core)")
    document = pdf.Document("Unicode")
    document.paragraph(NAMES)
    assert NAMES in text_of(document)


def test_pdf_font_dir_setting_is_read_first(settings):
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    require_service((dejavu / "DejaVuSans.ttf").is_file(), "DejaVu Sans is not installed")
    settings.PDF_FONT_DIR = str(dejavu)
    assert pdf.pdf_fonts().files[""] == str(dejavu / "DejaVuSans.ttf")


def test_fold_to_core_keeps_what_helvetica_has():
    assert pdf.fold_to_core("Türkiye – “Ñandú” €5") == "Türkiye – “Ñandú” €5"
    assert pdf.fold_to_core("Łódź −3 → Ωmega") == "Lódz -3 -> ?mega"

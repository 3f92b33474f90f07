"""PDF documents the site hands out (the peer brief, certificates), with one layout.

Built with fpdf2 (pure Python, installed by `make run` like every other dependency), so a
fresh machine needs no system library.

Fonts, and why: fpdf2's built-in fonts cover Windows-1252 only: every country name in our
data (Côte d'Ivoire, Türkiye, São Tomé and Príncipe), accents, dashes and curly quotes, but
not Greek, Cyrillic or Arabic, which a learner's name or a course title may use. So a
Unicode TrueType font (DejaVu Sans) is embedded when the machine has it (`PDF_FONT_DIR`,
else the usual Debian/Ubuntu and Fedora places); the project ships no font file of its
own. Without one the document still comes out, in Helvetica, with what Windows-1252 cannot
show folded to its nearest letters (accents dropped: "Ł" → "L") or "?" as a last resort,
and `pdf_fonts()` says which one is in use, so nothing fails on a machine without fonts.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from fpdf import FPDF, XPos, YPos

FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",  # Debian, Ubuntu (fonts-dejavu-core)
    "/usr/share/fonts/dejavu-sans-fonts",  # Fedora
    "/usr/share/fonts/TTF",  # Arch
    "/usr/local/share/fonts/dejavu",
)
CORE_ENCODING = "windows-1252"
# Letters with a stroke, not an accent, and signs: NFKD gives them no simpler form.
NO_DECOMPOSITION = {
    **dict(zip("ŁłĐđĦħıŦŧ", "LlDdHhiTt", strict=True)),
    "−": "-",
    "‐": "-",
    "‑": "-",
    "→": "->",
}

INK = (26, 32, 44)
MUTED = (85, 94, 110)
LINK = (0, 84, 166)
RULE = (200, 205, 214)


@dataclass(frozen=True)
class Fonts:
    family: str
    files: dict  # style -> path; empty for the built-in font

    @property
    def unicode(self) -> bool:
        return bool(self.files)


@cache
def _fonts_in(directories: tuple[str, ...]) -> Fonts:
    for directory in directories:
        paths = {style: Path(directory) / name for style, name in FONT_FILES.items()}
        if all(path.is_file() for path in paths.values()):
            return Fonts("DejaVu", {style: str(path) for style, path in paths.items()})
    return Fonts("helvetica", {})


def pdf_fonts() -> Fonts:
    """DejaVu Sans if it is found (PDF_FONT_DIR first), else the built-in Helvetica."""
    configured = getattr(settings, "PDF_FONT_DIR", "") or os.environ.get("PDF_FONT_DIR", "")
    return _fonts_in(tuple(filter(None, (configured, *FONT_DIRS))))


def fold_to_core(text: str) -> str:
    """`text` in the characters Helvetica has: nearest letters, else "?"."""
    folded = []
    for character in text:
        try:
            character.encode(CORE_ENCODING)
            folded.append(character)
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(
            part
            for part in unicodedata.normalize("NFKD", character)
            if not unicodedata.combining(part)
        )
        try:
            base.encode(CORE_ENCODING)
            folded.append(base or "?")
        except UnicodeEncodeError:
            folded.append(NO_DECOMPOSITION.get(character, "?"))
    return "".join(folded)


class Document(FPDF):
    """An A4 page with the site's name and the document's title above, page numbers below.

    The helpers write top to bottom (heading, paragraph, bullet, link, facts); every text
    goes through `_text` so it is safe for the font in use.
    """

    def __init__(self, title: str, *, language: str = "en", footer_text: str = ""):
        super().__init__(format="A4")
        self.typeface = pdf_fonts()
        self.doc_title = title
        self.footer_text = footer_text
        self.core_fonts_encoding = CORE_ENCODING
        for style, path in self.typeface.files.items():
            self.add_font(self.typeface.family, style, path)
        self.set_title(self._text(title))
        self.set_author("Reform Exchange")
        self.set_creator("Reform Exchange")
        self.set_lang(language)
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=20)
        self.alias_nb_pages()
        self.add_page()

    def _text(self, text) -> str:
        text = " ".join(str(text or "").split())
        return text if self.typeface.unicode else fold_to_core(text)

    def _font(self, size: float, bold: bool = False, colour=INK):
        self.set_font(self.typeface.family, "B" if bold else "", size)
        self.set_text_color(*colour)

    def header(self):
        self._font(8, colour=MUTED)
        self.cell(0, 5, self._text(f"Reform Exchange · {self.doc_title}"))
        self.ln(9)

    def footer(self):
        self.set_y(-14)
        self._font(8, colour=MUTED)
        if self.footer_text:
            self.cell(
                0, 4, self._text(self.footer_text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
        self.cell(0, 4, f"{self.page_no()}/{{nb}}", align="R")

    def title_block(self, title: str, lead: str = ""):
        self._font(20, bold=True)
        self.multi_cell(0, 9, self._text(title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if lead:
            self.ln(1)
            self._font(11, colour=MUTED)
            self.multi_cell(
                0, 5.5, self._text(lead), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
        self.ln(3)

    def centred(self, text: str, *, size: float = 11, bold: bool = False, muted: bool = False):
        """A line (or a few) centred on the page: a certificate's name and course."""
        self._font(size, bold=bold, colour=MUTED if muted else INK)
        self.multi_cell(
            0, size * 0.55, self._text(text), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.ln(size * 0.2)

    def heading(self, text: str, level: int = 2):
        size = {2: 14, 3: 11.5}.get(level, 10.5)
        if self.get_y() > self.h - 45:  # keep a heading with what follows it
            self.add_page()
        self.ln(3 if level == 2 else 1.5)
        self._font(size, bold=True)
        self.multi_cell(
            0, size * 0.5, self._text(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.ln(1)

    def paragraph(self, text: str, *, size: float = 10, muted: bool = False, bold: bool = False):
        self._font(size, bold=bold, colour=MUTED if muted else INK)
        self.multi_cell(
            0, size * 0.5, self._text(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.ln(1)

    def bullet(self, text: str, *, url: str = "", size: float = 10, indent: float = 4):
        """One item of a list; with `url`, the text is a link and the address follows it."""
        self.set_x(self.l_margin + indent)
        self._font(size)
        self.cell(4, size * 0.5, "-" if not self.typeface.unicode else "•")
        width = self.w - self.r_margin - self.get_x()
        if url:
            self.set_text_color(*LINK)
        self.multi_cell(
            width,
            size * 0.5,
            self._text(text),
            link=url or None,
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        if url:
            self.set_x(self.l_margin + indent + 4)
            self._font(size - 2, colour=MUTED)
            self.multi_cell(
                width,
                (size - 2) * 0.5,
                self._text(url),
                link=url,
                align="L",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        self.ln(0.8)

    def facts(self, pairs, *, size: float = 10):
        """Label and value on a line each pair, the way a <dl> reads; the labels' column is
        as wide as the longest label (translations differ), at most a third of the page."""
        pairs = [(self._text(label), value) for label, value in pairs]
        self._font(size, bold=True)
        widest = max((self.get_string_width(label) for label, _ in pairs), default=0)
        label_width = min(widest + 5, (self.w - self.l_margin - self.r_margin) / 3)
        for label, value in pairs:
            self._font(size, bold=True, colour=MUTED)
            self.cell(label_width, size * 0.5, label)
            self._font(size)
            self.multi_cell(
                0, size * 0.5, self._text(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            self.ln(0.8)

    def rule(self):
        self.ln(2)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(3)

    def as_bytes(self) -> bytes:
        return bytes(self.output())


def pdf_response(document: Document, filename: str) -> HttpResponse:
    """The document as a download (`filename` ends in .pdf), marked private.

    Private: a certificate names a person and a brief answers one visitor's question, so no
    shared cache (a proxy, a CDN, the page cache) may keep a copy for the next visitor.
    """
    response = HttpResponse(document.as_bytes(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True)
    return response

"""A certificate as a PDF: the same facts as its page, from the same context.

`learning.views.certificate_context` gives both the page and this file what they show
(the learner, the course, each lesson done and quiz passed with its date, the code and
where to verify it), so the PDF can never state more, or other, than the page.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from exchange.core.pdf import Document, pdf_response


def _date(value) -> str:
    """As the page's `date` filter shows it: in the site's time zone, so both agree."""
    return date_format(timezone.localtime(value), "DATE_FORMAT")


def build_certificate(context: dict) -> Document:
    certificate, facts = context["certificate"], context["facts"]
    document = Document(
        _("Certificate %s") % certificate.display_code,
        language=get_language() or "en",
        footer_text=_("Verify this certificate at %s") % context["verification_url"],
    )
    document.ln(6)
    document.centred(_("Reform Exchange"), size=11, muted=True)
    document.centred(_("Certificate of completion"), size=24, bold=True)
    document.ln(4)
    document.centred(_("This certifies that"), size=11, muted=True)
    document.centred(facts.learner_name, size=20, bold=True)
    document.centred(_("completed the course"), size=11, muted=True)
    document.centred(facts.course_title, size=16, bold=True)
    document.centred(
        _("on %(date)s, having done the lessons and passed the quizzes below.")
        % {"date": _date(facts.issued_at)},
        size=11,
    )
    document.rule()
    if facts.lessons:
        document.heading(_("Lessons done"), level=3)
        for lesson in facts.lessons:
            document.bullet(
                _("%(title)s: done on %(date)s")
                % {"title": lesson.title, "date": _date(lesson.completed_at)},
                size=9.5,
            )
    if facts.quizzes:
        document.heading(_("Quizzes passed"), level=3)
        for quiz in facts.quizzes:
            document.bullet(
                _("%(lesson)s: %(quiz)s: passed on %(date)s with %(score)s%%")
                % {
                    "lesson": quiz.lesson_title,
                    "quiz": quiz.title,
                    "date": _date(quiz.passed_at),
                    "score": quiz.score,
                },
                size=9.5,
            )
    document.rule()
    document.facts(
        [
            (_("Certificate code"), certificate.display_code),
            (_("Issued on"), _date(certificate.issued_at)),
            (_("Verify at"), context["verification_url"]),
        ]
    )
    return document


def certificate_pdf_response(context: dict):
    certificate = context["certificate"]
    return pdf_response(
        build_certificate(context), f"reform-exchange-certificate-{certificate.code}.pdf"
    )

"""A certificate as a PDF: the same facts as its page (read back with pypdf)."""

import io

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from pypdf import PdfReader

from learning import progress
from learning.models import Certificate
from tests.learning.conftest import QUIZ_ID, RIGHT_ANSWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(enrollment, lessons, quiz_lesson):
    for lesson in lessons:
        progress.complete_lesson(enrollment, lesson)
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS)
    return Certificate.objects.get()


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_certificate_pdf_states_what_the_page_states(client, certificate):
    page = BeautifulSoup(client.get(certificate.get_absolute_url()).content, "html.parser")
    text = pdf_text(client.get(f"/certificates/{certificate.code}/pdf/"))

    assert "Certificate of completion" in text
    assert "Amina Okafor" in text
    assert "Making commitments transformative" in text
    assert certificate.display_code in text
    assert f"http://testserver/certificates/{certificate.code}/" in text
    issued = timezone.localtime(certificate.issued_at).strftime("%-d %B %Y")
    assert f"Issued on {issued}" in text
    # Every lesson done and quiz passed that the page lists, with its date.
    lessons = [li.contents[0].strip() for li in page.select(".certificate__lessons li")]
    assert lessons == ["Specificity and ambition", "Completion", "Reading an IRM report"]
    for title in lessons:
        assert f"{title}: done on {issued}" in text
    quizzes = page.select(".certificate__quizzes li")
    assert len(quizzes) == 1
    assert f"passed on {issued} with 100%" in text


def test_certificate_page_offers_its_pdf_to_anyone_who_verifies_it(client, certificate):
    page = BeautifulSoup(client.get(certificate.get_absolute_url()).content, "html.parser")
    link = page.select_one(".verification a.certificate__download")
    assert link["href"] == f"/certificates/{certificate.code}/pdf/"
    assert link.get_text() == "Download PDF"


def test_a_learners_accented_name_survives_in_the_pdf(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(learner_name="Tomás Núñez — Çelik")
    text = pdf_text(client.get(f"/certificates/{certificate.code}/pdf/"))
    assert "Tomás Núñez — Çelik" in text


def test_typed_code_variants_redirect_to_the_pdf(client, certificate):
    response = client.get(f"/certificates/{certificate.code.lower()}/pdf/")
    assert response.status_code == 302
    assert response["Location"] == f"/certificates/{certificate.code}/pdf/"


def test_unknown_code_is_a_404_not_a_pdf(client, certificate):
    response = client.get("/certificates/ABCDEFGHJKMNPQRS/pdf/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_certificate_pdf_is_never_shared_from_a_cache(client, certificate):
    response = client.get(f"/certificates/{certificate.code}/pdf/")
    assert "private" in response["Cache-Control"]

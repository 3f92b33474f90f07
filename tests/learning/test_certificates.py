"""Certificates: a public, printable page with a unique code that anyone can verify."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from learning import progress
from learning.models import Certificate
from tests.learning.conftest import QUIZ_ID, RIGHT_ANSWERS

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def certificate(enrollment, lessons, quiz_lesson):
    for lesson in lessons:
        progress.complete_lesson(enrollment, lesson)
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS)
    return Certificate.objects.get()


def test_anyone_can_verify_a_certificate_without_logging_in(client, certificate, course):
    url = f"/certificates/{certificate.code}/"
    response = client.get(url)
    html = soup(response)
    assert response.status_code == 200
    assert "Genuine certificate" in html.select_one(".verification").get_text()
    assert html.select_one(".certificate__name").get_text() == "Amina Okafor"
    assert html.select_one(".certificate__course a")["href"] == course.url
    assert certificate.display_code in html.select_one(".certificate__meta").get_text()
    assert html.select_one(".certificate__meta a")["href"] == f"http://testserver{url}"
    assert not html.select(".no-print")  # the printing hint is for the owner only


def test_owner_sees_how_to_print_or_save_as_pdf(client, learner, certificate):
    client.force_login(learner)
    html = soup(client.get(certificate.get_absolute_url()))
    assert "Print" in html.select_one(".no-print").get_text()
    assert "certificate-view" in html.body["class"]


def test_certificate_page_has_print_styles(client, certificate):
    from django.contrib.staticfiles import finders

    with open(finders.find("css/exchange.css")) as stylesheet:
        css = stylesheet.read()
    learning_css = css[css.index("/* Learning */") :]
    assert "@media print" in learning_css
    assert ".certificate-view .site-header" in learning_css


def test_another_learner_can_verify_but_is_not_the_owner(client, other_learner, certificate):
    client.force_login(other_learner)
    response = client.get(certificate.get_absolute_url())
    assert response.status_code == 200
    assert not soup(response).select(".no-print")


@pytest.mark.parametrize(
    "transform", [str.lower, lambda c: "-".join([c[:4], c[4:8], c[8:12], c[12:]])]
)
def test_typed_code_variants_redirect_to_the_certificate(client, certificate, transform):
    response = client.get(f"/certificates/{transform(certificate.code)}/")
    assert response.status_code == 302
    assert response["Location"] == certificate.get_absolute_url()


@pytest.mark.parametrize("code", ["ABCDEFGHJKMNPQRS", "nope", "x" * 300, "%3Cscript%3E"])
def test_unknown_certificate_code_gets_a_clear_404_page(client, certificate, code):
    response = client.get(f"/certificates/{code}/")
    assert response.status_code == 404
    html = soup(response)
    assert html.h1.get_text() == "Certificate not found"
    assert "not genuine" in html.select_one("[role=alert]").get_text()
    assert b"<script>" not in response.content


def test_certificate_is_issued_once_even_if_the_quiz_is_passed_again(
    learner, enrollment, quiz_lesson, certificate
):
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS)
    progress.complete_lesson(enrollment, quiz_lesson)
    assert list(Certificate.objects.all()) == [certificate]
    (entry,) = progress.dashboard_for(learner)
    assert entry.certificate == certificate


def test_certificate_survives_course_edits(client, certificate, course):
    course.title = "Renamed course"
    course.save_revision().publish()
    html = soup(Client().get(certificate.get_absolute_url()))
    assert html.select_one(".certificate__course").get_text(strip=True) == (
        "Making commitments transformative"
    )


def test_certificate_of_an_unpublished_course_is_still_genuine(client, certificate, course):
    course.unpublish()
    html = soup(client.get(certificate.get_absolute_url()))
    assert "Genuine certificate" in html.get_text()
    assert not html.select(".certificate__course a")

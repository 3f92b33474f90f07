"""Certificates: a public, printable page with a unique code that anyone can verify."""

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from learning import progress
from learning.factories import LessonPageFactory
from learning.models import Certificate, LessonProgress, QuizAttempt
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


# --- What the certificate states ----------------------------------------------------------


def test_certificate_lists_each_lesson_done_and_each_quiz_passed_with_dates(
    client, enrollment, lessons, quiz_lesson, certificate
):
    LessonProgress.objects.filter(lesson=lessons[0]).update(
        completed_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    )
    QuizAttempt.objects.filter(passed=True).update(
        created_at=datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
    )
    html = soup(client.get(certificate.get_absolute_url()))
    lessons_done = [li.get_text(" ", strip=True) for li in html.select(".certificate__lessons li")]
    assert lessons_done[0] == "Specificity and ambition done on 2 March 2026"
    assert [line.split(" done on ")[0] for line in lessons_done] == [
        "Specificity and ambition",
        "Completion",
        "Reading an IRM report",
    ]
    (quiz,) = [li.get_text(" ", strip=True) for li in html.select(".certificate__quizzes li")]
    assert quiz == (
        "Reading an IRM report: Check your understanding passed on 9 March 2026 with 100%"
    )
    assert html.select_one(".certificate__lessons time")["datetime"] == "2026-03-02"
    assert "every lesson" not in html.get_text()  # no claim beyond the record


def test_certificate_facts_state_the_first_pass_and_nothing_after_issue(
    enrollment, lessons, quiz_lesson, certificate, course
):
    later = LessonPageFactory(parent=course.get_children().first(), title="Added later")
    progress.complete_lesson(enrollment, later)
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS)
    facts = progress.certificate_facts(certificate)
    assert "Added later" not in [lesson.title for lesson in facts.lessons]
    assert len(facts.lessons) == 3
    (quiz,) = facts.quizzes
    assert quiz.passed_at <= certificate.issued_at
    assert (facts.learner_name, facts.course_title) == ("Amina Okafor", course.title)


def test_certificate_page_reads_its_facts_in_few_queries(
    client, certificate, django_assert_max_num_queries
):
    url = certificate.get_absolute_url()
    client.get(url)  # warm Wagtail's site root cache, which a real server keeps
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_completion_message_links_to_the_certificate_in_words(
    learner_client, enrollment, lessons, quiz_lesson
):
    for lesson in lessons:
        learner_client.post(lesson.url + "complete/")
    response = learner_client.post(
        f"{quiz_lesson.url}quiz/{QUIZ_ID}/", {"q0": "1", "q1": ["0", "2"]}, follow=True
    )
    (notice,) = [
        p for p in soup(response).select("main .notice[role=status]") if "certificate" in p.text
    ]
    link = notice.find("a")
    certificate = Certificate.objects.get()
    assert link["href"] == certificate.get_absolute_url()
    assert link.get_text() == "view and print your certificate"
    assert "http" not in notice.get_text()

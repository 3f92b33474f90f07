"""The learner's dashboard: their courses, progress, next lesson and certificates."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning import progress
from learning.factories import UserFactory, build_course
from learning.models import CourseIndexPage, LessonPage

DASHBOARD = "/accounts/dashboard/"
# Session and user (2), dashboard_for (5: enrolments with courses and certificates, modules,
# lessons, lessons done, quizzes passed), the Wagtail user bar's permission checks (2), the
# site and the footer's site settings (2), fellowship applications and introduction requests (2).
QUERY_BUDGET = 13

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


@pytest.fixture
def course_index(home):
    return CourseIndexPage.objects.get()


@pytest.fixture
def learner():
    return UserFactory(username="ana@example.org", first_name="Ana", last_name="Reformer")


def lessons_of(course) -> list[LessonPage]:
    return progress.course_lessons(course)


def finish(enrollment):
    """Every lesson done and every quiz passed (the factory quiz: first choice is right)."""
    for lesson in lessons_of(enrollment.course):
        progress.complete_lesson(enrollment, lesson)
        for quiz_id in lesson.quiz_ids():
            progress.submit_quiz(enrollment, lesson, quiz_id, {"0": [0]})
    return progress.maybe_complete(enrollment)


def course_cards(response) -> dict[str, BeautifulSoup]:
    return {text(card.h3): card for card in soup(response).select(".enrolment")}


def test_dashboard_shows_progress_and_a_continue_link_to_the_next_lesson(
    client, learner, course_index
):
    course = build_course(course_index, title="Co-creating an action plan")
    enrollment = progress.enrol(learner, course)
    first, second, *_ = lessons_of(course)
    progress.complete_lesson(enrollment, first)
    client.force_login(learner)

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    card = course_cards(response)["Co-creating an action plan"]
    bar = card.select_one("progress")
    assert (bar["max"], bar["value"]) == ("100", "25")
    assert bar["aria-labelledby"] == card.h3["id"]
    assert "1 of 4 lessons done · 25%" in text(card)
    continue_link = card.select_one("a.button")
    assert continue_link["href"] == second.url
    assert text(continue_link) == "Continue Co-creating an action plan"
    assert "Next: " + second.title in text(card)
    assert "No certificate yet" in text(soup(response))


# The English plural follows the course's length ("1 of 4 lessons done"); French agrees
# with the lessons done, so it reads as a label: never "1 leçons terminées". Both write the
# percentage with a space before the sign, in the figures and in the progress bar.
@pytest.mark.parametrize(
    "prefix, figures",
    [
        ("/fr", "Leçons terminées : 1 sur 4 · 25 %"),
        ("/es", "1 de 4 lecciones completadas · 25 %"),
    ],
)
def test_dashboard_in_french_and_spanish_counts_lessons_done_and_writes_the_percentage(
    client, learner, course_index, prefix, figures
):
    course = build_course(course_index, title="Co-creating an action plan")
    enrollment = progress.enrol(learner, course)
    progress.complete_lesson(enrollment, lessons_of(course)[0])
    client.force_login(learner)

    card = course_cards(client.get(prefix + DASHBOARD))["Co-creating an action plan"]

    assert figures in text(card)
    # What a browser without <progress> shows in its place is written the same way.
    assert text(card.select_one("progress")) == "25 %"


def test_dashboard_points_to_the_quiz_still_to_pass(client, learner, course_index):
    course = build_course(course_index, title="Beneficial ownership registers")
    enrollment = progress.enrol(learner, course)
    lessons = lessons_of(course)
    for lesson in lessons:
        progress.complete_lesson(enrollment, lesson)
    client.force_login(learner)

    card = course_cards(client.get(DASHBOARD))["Beneficial ownership registers"]

    assert "4 of 4 lessons done · 100%" in text(card)
    assert "pass the quiz in “" + lessons[-1].title in text(card)
    assert card.select_one("a.button")["href"] == lessons[-1].url
    assert "Completed" not in text(card)


def test_dashboard_lists_certificates_with_their_public_verification_link(
    client, learner, course_index
):
    course = build_course(course_index, title="Making commitments transformative")
    certificate = finish(progress.enrol(learner, course))
    assert certificate is not None
    client.force_login(learner)

    response = client.get(DASHBOARD)

    card = course_cards(response)["Making commitments transformative"]
    assert "Completed on" in text(card)
    assert not card.select("a.button")
    verification_url = f"/certificates/{certificate.code}/"
    listed = soup(response).select_one(".certificates a.verification-link")
    assert listed["href"] == verification_url
    assert text(listed) == "http://testserver" + verification_url
    assert certificate.display_code in text(soup(response).select_one(".certificates"))
    client.logout()
    public = client.get(verification_url)
    assert public.status_code == 200
    assert "Making commitments transformative" in text(soup(public))


def test_dashboard_shows_only_the_learners_own_enrolments(client, learner, course_index):
    mine = build_course(course_index, title="Open contracting basics")
    theirs = build_course(course_index, title="Lobbying registers in depth")
    other = UserFactory(username="ben@example.org")
    progress.enrol(learner, mine)
    finish(progress.enrol(other, theirs))
    progress.enrol(other, mine)
    client.force_login(learner)

    response = client.get(DASHBOARD)

    assert list(course_cards(response)) == ["Open contracting basics"]
    assert "Lobbying registers" not in response.content.decode()
    assert "0 of 4 lessons done · 0%" in text(soup(response))
    assert "No certificate yet" in text(soup(response))


def test_dashboard_without_enrolments_invites_to_browse_courses(client, learner, course_index):
    build_course(course_index, title="A course nobody took")
    client.force_login(learner)

    response = client.get(DASHBOARD)

    empty = soup(response).select_one(".empty")
    assert "You have not enrolled in a course yet." in text(empty)
    assert empty.find("a", string="Browse the courses")["href"] == "/courses/"
    assert not soup(response).select(".enrolment")
    assert not soup(response).find(id="certificates-heading")


def test_dashboard_is_never_cached(client, learner, home):
    client.force_login(learner)

    response = client.get(DASHBOARD)

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_dashboard_query_count_stays_flat_as_enrolments_grow(
    client, learner, course_index, django_assert_max_num_queries
):
    def enrol_in_new_course(n, *, done=0, complete=False):
        course = build_course(course_index, title=f"Course number {n}")
        enrollment = progress.enrol(learner, course)
        if complete:
            finish(enrollment)
        for lesson in lessons_of(course)[:done]:
            progress.complete_lesson(enrollment, lesson)

    def dashboard_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DASHBOARD).status_code == 200
        return len(queries)

    enrol_in_new_course(1, done=1)
    client.force_login(learner)
    client.get(DASHBOARD)  # warm Wagtail's site-root cache, as any earlier request would
    with django_assert_max_num_queries(QUERY_BUDGET):
        client.get(DASHBOARD)
    one = dashboard_queries()

    enrol_in_new_course(2, done=2)
    enrol_in_new_course(3, complete=True)
    enrol_in_new_course(4)
    enrol_in_new_course(5, complete=True)

    response = client.get(DASHBOARD)
    assert len(course_cards(response)) == 5
    assert len(soup(response).select(".certificates li")) == 2
    assert dashboard_queries() == one

"""A learner enrolled in one language's version of a course moves to another version, taking
the lessons they did and the quizzes they passed with them (`progress.move_enrolment`)."""

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale

from learning import progress
from learning.models import Certificate, Enrollment, LessonPage, LessonProgress, QuizAttempt
from tests.learning.conftest import QUIZ_ID, RIGHT_ANSWERS

LESSON_DONE_AT = datetime(2026, 9, 14, 8, 30, tzinfo=UTC)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def translate_course(course, language_code="fr"):
    """The course, its modules and lessons copied into `language_code`, as the admin's
    "Translate" does, and published."""
    locale = Locale.objects.get_or_create(language_code=language_code)[0]
    copies = {}
    for page in [course, *course.get_descendants().specific().order_by("path")]:
        copy = page.copy_for_translation(locale, copy_parents=True)
        copy.title = f"[{language_code}] {page.title}"
        copy.save_revision().publish()
        copies[page.pk] = copy
    return copies[course.pk].specific


def french_lessons(french_course):
    return list(LessonPage.objects.descendant_of(french_course).order_by("path"))


@pytest.fixture
def halfway(enrollment, lessons, quiz_lesson):
    """The learner did the first lesson and passed the quiz, in English."""
    progress.complete_lesson(enrollment, lessons[0])
    LessonProgress.objects.filter(enrollment=enrollment).update(completed_at=LESSON_DONE_AT)
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS)
    return enrollment


def test_switching_to_the_french_version_takes_the_lessons_done_and_quizzes_passed(
    learner_client, learner, course, halfway
):
    french = translate_course(course)
    notice = soup(learner_client.get(french.url)).select_one("form.enrolled-elsewhere__move")
    assert notice["action"] == f"{french.url}move-here/"

    response = learner_client.post(f"{french.url}move-here/", follow=True)

    assert response.redirect_chain[0][0] == french.url
    moved = Enrollment.objects.get(user=learner)
    assert moved.course_id == french.pk
    assert moved.enrolled_at == halfway.enrolled_at
    first, *_, last = french_lessons(french)
    done = LessonProgress.objects.filter(enrollment=moved)
    assert list(done.values_list("lesson", "completed_at")) == [(first.pk, LESSON_DONE_AT)]
    state = progress.course_progress(moved)
    assert (last.pk, last.quiz_ids()[0]) in state.passed_quizzes
    assert state.next_lesson.pk != first.pk
    page = soup(response)
    assert "Vous suivez désormais" in page.select_one(".notice[role=status]").get_text()
    assert page.select_one("form.enrolled-elsewhere__move") is None
    # Back in English, the notice now points to the French version.
    english = soup(learner_client.get(course.url)).select_one(".enrolled-elsewhere a")
    assert (english["href"], english["hreflang"]) == (french.url, "fr")


def test_a_quiz_translated_under_another_block_id_is_matched_by_its_position(
    learner, course, halfway
):
    french = translate_course(course)
    last = french_lessons(french)[-1]
    raw = list(last.body.raw_data)
    for block in raw:
        if block["type"] == "quiz":
            block["id"] = "quiz-fr-0001"
    last.body = raw
    last.save_revision().publish()

    moved = progress.move_enrolment(halfway, french)

    attempt = QuizAttempt.objects.get(enrollment=moved)
    assert (attempt.lesson_id, attempt.quiz_id, attempt.passed) == (last.pk, "quiz-fr-0001", True)


def test_a_quiz_whose_choices_were_reordered_in_translation_is_taken_again(
    learner, course, halfway
):
    """Answers are kept as choice positions: carried over to a quiz whose right choice moved,
    they would be shown against other choices."""
    french = translate_course(course)
    last = french_lessons(french)[-1]
    raw = list(last.body.raw_data)
    for block in raw:
        if block["type"] == "quiz":
            first = block["value"]["questions"][0]
            choices = first.get("value", first)["choices"]  # a plain value or a list item
            choices.append(choices.pop(0))  # the right choice is now the first
    last.body = raw
    last.save_revision().publish()

    moved = progress.move_enrolment(halfway, french)

    assert not QuizAttempt.objects.filter(enrollment=moved).exists()
    assert progress.course_progress(moved).passed_quizzes == set()
    assert LessonProgress.objects.filter(enrollment=moved).count() == 1


def test_a_completed_course_stays_with_its_certificate(learner_client, learner, course, enrollment):
    for lesson in progress.course_lessons(course):
        progress.complete_lesson(enrollment, lesson)
        for quiz_id in lesson.quiz_ids():
            progress.submit_quiz(enrollment, lesson, quiz_id, RIGHT_ANSWERS)
    certificate = progress.maybe_complete(enrollment)
    assert certificate is not None
    french = translate_course(course)

    page = soup(learner_client.get(french.url))
    assert page.select_one(".enrolled-elsewhere") is not None
    assert page.select_one("form.enrolled-elsewhere__move") is None
    response = learner_client.post(f"{french.url}move-here/", follow=True)

    assert "reste dans la langue de votre certificat" in response.content.decode()
    assert Enrollment.objects.get(user=learner).course_id == course.pk
    assert Certificate.objects.get().pk == certificate.pk


def test_moving_needs_a_logged_in_post_and_an_enrolment_elsewhere(
    client, learner_client, course, enrollment
):
    french = translate_course(course)
    assert learner_client.get(f"{french.url}move-here/").status_code == 405
    learner_client.logout()
    response = client.post(f"{french.url}move-here/")
    assert response["Location"].startswith("/fr/accounts/login/")
    # Enrolled in this very version already: nothing to move.
    with pytest.raises(progress.ProgressError):
        progress.move_enrolment(enrollment, course)


def test_a_second_click_on_switch_finds_the_enrolment_moved_and_changes_nothing(
    learner_client, learner, course, halfway
):
    french = translate_course(course)
    progress.move_enrolment(halfway, french)

    with pytest.raises(progress.ProgressError):
        progress.move_enrolment(halfway, french)  # the enrolment as the second request read it
    response = learner_client.post(f"{french.url}move-here/", follow=True)

    assert response.status_code == 200
    assert Enrollment.objects.filter(user=learner).count() == 1
    assert LessonProgress.objects.filter(enrollment__course=french).count() == 1

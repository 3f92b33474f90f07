"""Quiz feedback that teaches without giving the answers away, and the wait before a retake.

Product rule: a learner sees the right answers once they have passed the quiz; before that,
which of their answers are not right and why (where the quiz says), and after a failed
attempt they wait `QUIZ_RETAKE_WAIT_MINUTES` before the next one.
"""

import pytest
from bs4 import BeautifulSoup

from learning import progress
from learning.factories import LessonPageFactory, question, quiz_block
from learning.models import QuizAttempt
from tests.learning.conftest import QUIZ_ID, RIGHT_ANSWERS, wait_out_retake

pytestmark = pytest.mark.django_db

WRONG_ANSWERS = {"0": [0], "1": [1]}  # both questions wrong: 0%, not passed
WRONG_FORM = {"q0": "0", "q1": "1"}
RIGHT_FORM = {"q0": "1", "q1": ["0", "2"]}
EXPLAINED_QUIZ = "quiz-explained"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def quiz_section(client, lesson, quiz_id=QUIZ_ID):
    return soup(client.get(lesson.url)).select_one(f"#quiz-{quiz_id}")


def messages_of(response) -> list[str]:
    return [p.get_text(" ", strip=True) for p in soup(response).select("main .notice[role=status]")]


def quiz_url(lesson, quiz_id=QUIZ_ID):
    return f"{lesson.url}quiz/{quiz_id}/"


@pytest.fixture
def explained_lesson(course):
    """A lesson whose quiz explains each choice (why the wrong ones are wrong)."""
    module = course.get_children().first()
    ask = question(
        "Who publishes the IRM's reports?",
        explanation="The IRM itself publishes them, independently of the government.",
    )
    ask["choices"] = [
        {
            "text": "The government",
            "correct": False,
            "explanation": "Governments write action plans; they do not assess them.",
        },
        {
            "text": "The IRM",
            "correct": True,
            "explanation": "Its independence is what makes the ratings credible.",
        },
    ]
    return LessonPageFactory(
        parent=module,
        title="Who assesses",
        body=[quiz_block(ask, pass_mark=100, block_id=EXPLAINED_QUIZ)],
    )


# --- What a failed attempt shows ---------------------------------------------------------


def test_failed_attempt_says_which_answers_are_wrong_but_not_which_are_right(
    learner_client, enrollment, quiz_lesson
):
    learner_client.post(quiz_url(quiz_lesson), WRONG_FORM)
    quiz = quiz_section(learner_client, quiz_lesson)
    text = quiz.get_text(" ", strip=True)
    assert "Your last attempt: 0% — not passed yet" in text
    assert [item.select_one("strong").get_text() for item in quiz.select(".feedback__item")] == [
        "Not right:",
        "Not right:",
    ]
    assert "(correct answer)" not in text
    # The question's explanation says why the right answer is right: not before passing.
    assert "The Independent Reporting Mechanism assesses" not in text
    assert "A star needs ambition and delivery" not in text
    assert "The right answers are shown once you pass" in text
    first = quiz.select(".feedback__item")[0]
    assert "The World Bank (your answer) (not right)" in first.get_text(" ", strip=True)
    assert "Re-read the lesson" in first.select_one(".feedback__explanation").get_text()


def test_a_picked_wrong_choice_says_why_it_is_wrong(learner_client, enrollment, explained_lesson):
    learner_client.post(quiz_url(explained_lesson, EXPLAINED_QUIZ), {"q0": "0"})
    quiz = quiz_section(learner_client, explained_lesson, EXPLAINED_QUIZ)
    text = quiz.get_text(" ", strip=True)
    assert "Governments write action plans; they do not assess them." in text
    # Neither the right choice's explanation nor the question's may point at the answer.
    assert "Its independence" not in text
    assert "The IRM itself publishes them" not in text
    assert "(correct answer)" not in text


def test_a_question_answered_right_keeps_its_explanation_before_passing(
    learner_client, enrollment, course
):
    lesson = LessonPageFactory(
        parent=course.get_children().first(),
        body=[
            quiz_block(
                question("Easy one", explanation="Easy because it is."),
                question("Hard one", explanation="Hard because it is."),
                pass_mark=100,
                block_id="two",
            )
        ],
    )
    learner_client.post(quiz_url(lesson, "two"), {"q0": "0", "q1": "1"})
    text = quiz_section(learner_client, lesson, "two").get_text(" ", strip=True)
    assert "not passed yet" in text
    assert "Easy because it is." in text  # they got it right: it tells them nothing new
    assert "Hard because it is." not in text


def test_passing_shows_the_right_answers_and_every_explanation(
    learner_client, enrollment, quiz_lesson
):
    learner_client.post(quiz_url(quiz_lesson), RIGHT_FORM)
    quiz = quiz_section(learner_client, quiz_lesson)
    text = quiz.get_text(" ", strip=True)
    assert "The IRM (your answer) (correct answer)" in text
    assert "The Independent Reporting Mechanism assesses every action plan." in text
    assert "The right answers are shown once you pass" not in text


def test_after_passing_a_later_failed_attempt_still_shows_the_answers(
    learner_client, enrollment, quiz_lesson
):
    learner_client.post(quiz_url(quiz_lesson), RIGHT_FORM)
    learner_client.post(quiz_url(quiz_lesson), WRONG_FORM)  # no wait once passed
    assert QuizAttempt.objects.count() == 2
    text = quiz_section(learner_client, quiz_lesson).get_text(" ", strip=True)
    assert "Your last attempt: 0% — not passed yet" in text
    assert "You passed this quiz in an earlier attempt." in text
    assert "The IRM (correct answer)" in text


def test_hidden_feedback_holds_no_right_answer_for_any_template():
    """The service, not the template, withholds the answers: no flag to leak by mistake."""
    quiz = {
        "title": "Q",
        "pass_mark": 100,
        "questions": [question("Which?", explanation="Why the right one is right.")],
    }
    result = progress.score_quiz("q", quiz, {"0": [1]}).for_learner(has_passed=False)
    (asked,) = result.questions
    assert [choice.correct for choice in asked.choices] == [None, False]
    assert asked.explanation == ""
    assert not result.answers_shown


# --- The wait before a retake ------------------------------------------------------------


def test_a_retake_right_after_a_failed_attempt_is_refused_and_nothing_saved(
    learner_client, enrollment, quiz_lesson
):
    learner_client.post(quiz_url(quiz_lesson), WRONG_FORM)
    response = learner_client.post(quiz_url(quiz_lesson), RIGHT_FORM, follow=True)
    assert any(
        "You can try this quiz again in 5 minutes" in m and "Nothing was recorded" in m
        for m in messages_of(response)
    )
    assert QuizAttempt.objects.count() == 1
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None


def test_while_waiting_the_lesson_shows_when_instead_of_the_form(
    learner_client, enrollment, quiz_lesson
):
    learner_client.post(quiz_url(quiz_lesson), WRONG_FORM)
    quiz = quiz_section(learner_client, quiz_lesson)
    assert not quiz.select("form.quiz__form")
    assert "You can try this quiz again in 5 minutes" in quiz.select_one(".quiz__wait").get_text()


def test_after_the_wait_the_form_is_back_and_a_retake_counts(
    learner_client, enrollment, lessons, quiz_lesson
):
    for lesson in lessons:
        progress.complete_lesson(enrollment, lesson)
    learner_client.post(quiz_url(quiz_lesson), WRONG_FORM)
    wait_out_retake()
    assert quiz_section(learner_client, quiz_lesson).select("form.quiz__form")
    learner_client.post(quiz_url(quiz_lesson), RIGHT_FORM)
    assert [a.passed for a in QuizAttempt.objects.order_by("pk")] == [False, True]
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None


def test_the_wait_is_a_setting(settings, enrollment, quiz_lesson):
    settings.QUIZ_RETAKE_WAIT_MINUTES = 30
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, WRONG_ANSWERS)
    with pytest.raises(progress.RetakeTooSoon, match="in 30 minutes"):
        progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS)
    settings.QUIZ_RETAKE_WAIT_MINUTES = 0
    assert progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS).passed


def test_the_wait_is_per_quiz(enrollment, quiz_lesson, explained_lesson):
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, WRONG_ANSWERS)
    result = progress.submit_quiz(enrollment, explained_lesson, EXPLAINED_QUIZ, {"0": [1]})
    assert result.passed

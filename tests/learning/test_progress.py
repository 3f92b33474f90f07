"""The learning service: order, enrolment, prerequisites, quizzes, completion, dashboard."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning import progress
from learning.factories import LessonPageFactory, ModulePageFactory, UserFactory, quiz_block
from learning.models import Certificate, Enrollment, LessonPage, LessonProgress, QuizAttempt
from tests.learning.conftest import QUIZ_ID, RIGHT_ANSWERS, make_course, wait_out_retake

pytestmark = pytest.mark.django_db


def titles(pages):
    return [page.title for page in pages]


def finish_lessons(enrollment, lessons):
    for lesson in lessons:
        progress.complete_lesson(enrollment, lesson)


# --- Course structure --------------------------------------------------------------------


def test_lessons_follow_module_order_then_lesson_order(course):
    assert titles(progress.course_lessons(course)) == [
        "Specificity and ambition",
        "Completion",
        "Reading an IRM report",
    ]


def test_lesson_order_follows_the_page_tree_when_editors_move_a_lesson(course, lessons):
    lessons[1].move(lessons[0], pos="left")
    assert titles(progress.course_lessons(course))[:2] == ["Completion", "Specificity and ambition"]


def test_unpublished_lessons_and_modules_are_not_part_of_the_course(course, lessons):
    lessons[0].unpublish()
    assert titles(progress.course_lessons(course)) == ["Completion", "Reading an IRM report"]
    module = lessons[-1].get_parent()
    module.specific.unpublish(set_expired=False)
    # Unpublishing a module unpublishes its lessons too; either way they leave the course.
    assert titles(progress.course_lessons(course)) == ["Completion"]


def test_course_lessons_takes_two_queries_whatever_the_course_size(course_index):
    small = make_course(course_index, title="Small")
    big = make_course(course_index, title="Big")
    module = ModulePageFactory(parent=big)
    for _ in range(6):
        LessonPageFactory(parent=module)
    for course in (small, big):
        with CaptureQueriesContext(connection) as queries:
            progress.course_lessons(course)
        assert len(queries) == 2


# --- Enrolment and prerequisites ---------------------------------------------------------


def test_enrolling_twice_returns_the_existing_enrolment(learner, course):
    first = progress.enrol(learner, course)
    second = progress.enrol(learner, course)
    assert first.pk == second.pk
    assert Enrollment.objects.count() == 1


def test_enrolling_without_prerequisites_names_the_courses_to_take_first(
    learner, course, course_index
):
    basics = make_course(course_index, title="Open government basics")
    course.prerequisites.set([basics])
    course.save_revision().publish()
    with pytest.raises(progress.PrerequisitesMissing) as error:
        progress.enrol(learner, course)
    assert error.value.missing == [basics]
    assert "Open government basics" in str(error.value)
    assert not Enrollment.objects.filter(course=course).exists()


def test_completing_the_prerequisite_opens_enrolment(learner, course, course_index):
    basics = make_course(course_index, title="Open government basics")
    course.prerequisites.set([basics])
    course.save_revision().publish()
    basics_enrollment = progress.enrol(learner, basics)
    finish_lessons(basics_enrollment, progress.course_lessons(basics))
    progress.submit_quiz(
        basics_enrollment, progress.course_lessons(basics)[-1], QUIZ_ID, RIGHT_ANSWERS
    )
    assert progress.enrol(learner, course).course_id == course.pk


def test_being_enrolled_in_a_prerequisite_is_not_enough(learner, course, course_index):
    basics = make_course(course_index, title="Open government basics")
    course.prerequisites.set([basics])
    course.save_revision().publish()
    progress.enrol(learner, basics)
    with pytest.raises(progress.PrerequisitesMissing):
        progress.enrol(learner, course)


def test_unpublished_prerequisites_do_not_block_enrolment(learner, course, course_index):
    retired = make_course(course_index, title="Retired course")
    course.prerequisites.set([retired])
    course.save_revision().publish()
    retired.unpublish()
    assert progress.enrol(learner, course)


def test_anonymous_users_cannot_enrol(course):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(progress.ProgressError):
        progress.enrol(AnonymousUser(), course)


# --- Lessons and progress ----------------------------------------------------------------


def test_completing_a_lesson_twice_records_it_once(enrollment, lessons):
    progress.complete_lesson(enrollment, lessons[0])
    progress.complete_lesson(enrollment, lessons[0])
    assert LessonProgress.objects.count() == 1


def test_lesson_of_another_course_is_refused_and_nothing_saved(enrollment, course_index):
    other = make_course(course_index, title="Another course")
    foreign = progress.course_lessons(other)[0]
    with pytest.raises(progress.LessonNotInCourse, match="not part of the course"):
        progress.complete_lesson(enrollment, foreign)
    with pytest.raises(progress.LessonNotInCourse):
        progress.submit_quiz(enrollment, progress.course_lessons(other)[-1], QUIZ_ID, {})
    assert not LessonProgress.objects.exists()
    assert not QuizAttempt.objects.exists()


def test_progress_counts_done_lessons_and_points_to_the_next(enrollment, lessons):
    progress.complete_lesson(enrollment, lessons[0])
    state = progress.course_progress(enrollment)
    assert (state.done, state.total, state.percent) == (1, 3, 33)
    assert state.next_lesson == lessons[1]
    assert not state.is_complete


def test_next_lesson_skips_lessons_done_out_of_order(enrollment, lessons):
    progress.complete_lesson(enrollment, lessons[1])
    assert progress.course_progress(enrollment).next_lesson == lessons[0]


def test_percent_is_rounded_down_until_every_lesson_is_done(learner, course_index):
    course = make_course(course_index, title="Long")
    module = ModulePageFactory(parent=course)
    for _ in range(197):
        LessonPageFactory(parent=module)
    lessons = progress.course_lessons(course)
    enrollment = progress.enrol(learner, course)
    LessonProgress.objects.bulk_create(
        LessonProgress(enrollment=enrollment, lesson=lesson) for lesson in lessons[:-1]
    )
    assert progress.course_progress(enrollment).percent == 99


def test_deleted_lesson_leaves_percent_over_the_live_lessons(enrollment, lessons):
    progress.complete_lesson(enrollment, lessons[0])
    lessons[1].delete()
    state = progress.course_progress(enrollment)
    assert (state.done, state.total, state.percent) == (1, 2, 50)
    assert state.next_lesson.pk == lessons[2].pk


def test_unpublished_done_lesson_no_longer_counts(enrollment, lessons):
    progress.complete_lesson(enrollment, lessons[0])
    lessons[0].unpublish()
    state = progress.course_progress(enrollment)
    assert (state.done, state.total) == (0, 2)


# --- Quizzes -----------------------------------------------------------------------------


def test_all_right_answers_score_100_and_pass(enrollment, quiz_lesson):
    result = progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS)
    assert (result.score, result.passed) == (100, True)
    assert [q.correct for q in result.questions] == [True, True]
    assert result.questions[0].explanation.startswith("The Independent Reporting Mechanism")
    assert result.attempt.pk is not None


def test_a_partly_right_multiple_choice_answer_is_wrong(enrollment, quiz_lesson):
    result = progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, {"0": [1], "1": [0]})
    assert [q.correct for q in result.questions] == [True, False]
    assert result.score == 50
    assert result.passed  # the fixture's pass mark is 50


def test_extra_wrong_choice_makes_a_multiple_choice_answer_wrong(enrollment, quiz_lesson):
    result = progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, {"0": [0], "1": [0, 1, 2]})
    assert result.score == 0
    assert not result.passed
    assert result.questions[0].choices[1].correct and not result.questions[0].choices[1].selected


def test_unanswered_questions_count_as_wrong(enrollment, quiz_lesson):
    result = progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, {"0": [1]})
    assert result.score == 50
    assert not result.questions[1].answered


def test_pass_mark_set_by_the_editor_decides(enrollment, course):
    module = course.get_children().first()
    lesson = LessonPageFactory(
        parent=module,
        body=[quiz_block(*[progress_question(i) for i in range(3)], pass_mark=70, block_id="q3")],
    )
    result = progress.submit_quiz(enrollment, lesson, "q3", {"0": [0], "1": [0], "2": [1]})
    assert (result.score, result.passed) == (67, False)


def progress_question(i):
    from learning.factories import question

    return question(f"Question {i}", choices=[("right", True), ("wrong", False)])


@pytest.mark.parametrize(
    "answers",
    [
        {"7": [0]},  # a question that is not in the quiz
        {"0": [9]},  # a choice out of range
        {"0": [-1]},
        {"0": ["1"]},  # not a number
        {"0": [True]},
        {"0": [0, 1]},  # two answers to a one-answer question
        {"x": [0]},
        {"²": [0]},  # a superscript digit: "²".isdigit() is true
        {"0": [0], "1": [0], "0²": [0]},
        ["0", "1"],
    ],
)
def test_tampered_answers_are_refused_and_nothing_saved(enrollment, quiz_lesson, answers):
    with pytest.raises(progress.InvalidAnswers):
        progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, answers)
    assert not QuizAttempt.objects.exists()


def test_quiz_of_another_lesson_is_refused(enrollment, lessons):
    with pytest.raises(progress.QuizNotFound, match="not part of this lesson"):
        progress.submit_quiz(enrollment, lessons[0], QUIZ_ID, RIGHT_ANSWERS)
    assert not QuizAttempt.objects.exists()


def test_every_submission_is_a_new_attempt(enrollment, quiz_lesson):
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, {"0": [0], "1": [1]})
    wait_out_retake()
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS)
    attempts = QuizAttempt.objects.order_by("created_at", "pk")
    assert [(a.score, a.passed) for a in attempts] == [(0, False), (100, True)]
    assert attempts[1].answers == {"0": [1], "1": [0, 2]}


def test_errors_are_value_errors_with_readable_messages():
    assert issubclass(progress.ProgressError, ValueError)
    for error in (progress.InvalidAnswers, progress.QuizNotFound, progress.LessonNotInCourse):
        assert issubclass(error, progress.ProgressError)


# --- Completion and certificates ---------------------------------------------------------


def test_course_is_not_complete_until_its_quiz_is_passed(enrollment, lessons, quiz_lesson):
    finish_lessons(enrollment, lessons)
    state = progress.course_progress(enrollment)
    assert state.done == state.total and not state.quizzes_passed and not state.is_complete
    assert state.next_lesson == quiz_lesson  # where the unpassed quiz is
    assert progress.maybe_complete(enrollment) is None
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, {"0": [0], "1": [1]})
    assert not Certificate.objects.exists()


def test_course_is_not_complete_with_a_passed_quiz_but_lessons_left(enrollment, quiz_lesson):
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS)
    state = progress.course_progress(enrollment)
    assert state.quizzes_passed and not state.is_complete
    assert not Certificate.objects.exists()


def test_finishing_the_course_issues_one_certificate(enrollment, lessons, quiz_lesson, learner):
    finish_lessons(enrollment, lessons)
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS)
    certificate = Certificate.objects.get()
    assert certificate.enrollment == enrollment
    assert certificate.learner_name == "Amina Okafor"
    assert certificate.course_title == "Making commitments transformative"
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    # Passing again, or asking again, never issues a second certificate.
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS)
    assert progress.maybe_complete(enrollment) == certificate
    assert Certificate.objects.count() == 1


def test_passing_after_a_failed_attempt_completes_the_course(enrollment, lessons, quiz_lesson):
    finish_lessons(enrollment, lessons)
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, {"0": [0], "1": [1]})
    wait_out_retake()
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS)
    assert progress.course_progress(enrollment).is_complete
    assert Certificate.objects.count() == 1


def test_deleting_the_last_undone_lesson_lets_the_course_complete(enrollment, lessons, quiz_lesson):
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS)
    progress.complete_lesson(enrollment, lessons[0])
    progress.complete_lesson(enrollment, quiz_lesson)
    LessonPage.objects.get(pk=lessons[1].pk).delete()
    assert progress.maybe_complete(enrollment) is not None


def test_learner_name_falls_back_to_the_username(course, quiz_lesson, lessons):
    user = UserFactory(username="no-name", first_name="", last_name="")
    enrollment = progress.enrol(user, course)
    finish_lessons(enrollment, lessons)
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS)
    assert Certificate.objects.get().learner_name == "no-name"


def test_course_without_lessons_is_never_complete(learner, course_index):
    from learning.factories import CoursePageFactory

    empty = CoursePageFactory(parent=course_index)
    enrollment = progress.enrol(learner, empty)
    state = progress.course_progress(enrollment)
    assert (state.total, state.percent, state.is_complete, state.next_lesson) == (0, 0, False, None)
    assert progress.maybe_complete(enrollment) is None


# --- Dashboard ---------------------------------------------------------------------------


def test_dashboard_lists_only_the_learners_own_enrolments(
    learner, other_learner, course, lessons, course_index
):
    other_course = make_course(course_index, title="Beneficial ownership")
    enrollment = progress.enrol(learner, course)
    progress.complete_lesson(enrollment, lessons[0])
    progress.enrol(other_learner, other_course)
    entries = progress.dashboard_for(learner)
    assert [entry.enrollment.course.title for entry in entries] == [course.title]
    assert entries[0].progress.done == 1
    assert entries[0].progress.next_lesson == lessons[1]
    assert entries[0].certificate is None
    assert progress.dashboard_for(UserFactory(username="nobody")) == []


def test_dashboard_shows_the_certificate(enrollment, lessons, quiz_lesson, learner):
    finish_lessons(enrollment, lessons)
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS)
    (entry,) = progress.dashboard_for(learner)
    assert entry.certificate == Certificate.objects.get()
    assert entry.progress.is_complete


def test_dashboard_query_count_does_not_grow_with_courses(learner, course_index):
    def count():
        with CaptureQueriesContext(connection) as queries:
            entries = progress.dashboard_for(learner)
            [entry.certificate for entry in entries]
        return len(queries)

    first = make_course(course_index, title="First")
    enrollment = progress.enrol(learner, first)
    progress.complete_lesson(enrollment, progress.course_lessons(first)[0])
    one_course = count()
    for n in range(4):
        course = make_course(course_index, title=f"More {n}")
        enrollment = progress.enrol(learner, course)
        progress.complete_lesson(enrollment, progress.course_lessons(course)[0])
    assert count() == one_course <= 5

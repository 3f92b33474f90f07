"""The learning service: enrolment, progress, quizzes and certificates.

Views, the dashboard and importers call these functions rather than touching
the progress models, so the rules live in one place:

- lesson order is the page tree order, live pages only; progress is counted over
  the lessons that are live now, so a lesson deleted or unpublished mid-course
  neither blocks completion nor counts as done;
- a quiz answer is right only when exactly the right choices are picked (a
  partly right answer to a several-answer question is wrong);
- a course is complete when every live lesson is done and every quiz in them is
  passed; the certificate is issued once, the first time that is true;
- after a failed attempt a learner waits `QUIZ_RETAKE_WAIT_MINUTES` before the next
  one, and until they pass a quiz they see which of their answers are wrong and why,
  never which ones are right: a certificate is earned by reading the lesson, not by
  trying every choice in turn.

Bad input (a lesson of another course, a quiz that is not in the lesson, answers
that are not in the quiz) raises a `ProgressError` with a message a learner can
read, before anything is written.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learning.models import (
    Certificate,
    CoursePage,
    Enrollment,
    LessonPage,
    LessonProgress,
    ModulePage,
    QuizAttempt,
    new_certificate_code,
)

ASCII_NUMBER = re.compile(r"[0-9]{1,4}\Z")


class ProgressError(ValueError):
    """A request the rules refuse; `str(error)` is a message for the learner."""


class PrerequisitesMissing(ProgressError):
    def __init__(self, missing: list[CoursePage]):
        self.missing = list(missing)
        titles = ", ".join(f"“{course.title}”" for course in self.missing)
        super().__init__(
            _("Complete these courses before enrolling in this one: %(titles)s.")
            % {"titles": titles}
        )


class LessonNotInCourse(ProgressError):
    def __init__(self, lesson=None, course=None):
        super().__init__(_("This lesson is not part of the course you are enrolled in."))


class QuizNotFound(ProgressError):
    def __init__(self, quiz_id=""):
        super().__init__(
            _("This quiz is not part of this lesson. Reload the lesson and try again.")
        )


class InvalidAnswers(ProgressError):
    """Answers that the quiz's own form could not have sent: nothing is recorded."""


class RetakeTooSoon(ProgressError):
    """A new attempt before the wait after a failed one is over: nothing is recorded."""

    def __init__(self, opens_at: datetime, now: datetime):
        self.opens_at = opens_at
        minutes = minutes_until(opens_at, now)
        super().__init__(
            ngettext(
                "You can try this quiz again in %(minutes)d minute. Meanwhile, re-read the "
                "lesson: the feedback says which answers were not right.",
                "You can try this quiz again in %(minutes)d minutes. Meanwhile, re-read the "
                "lesson: the feedback says which answers were not right.",
                minutes,
            )
            % {"minutes": minutes}
        )


# --- Results --------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseProgress:
    done: int
    total: int
    percent: int
    next_lesson: LessonPage | None
    quizzes_passed: bool
    is_complete: bool
    completed_lesson_ids: frozenset[int] = frozenset()
    passed_quizzes: frozenset[tuple[int, str]] = frozenset()


@dataclass(frozen=True)
class ChoiceFeedback:
    text: str
    selected: bool
    correct: bool | None  # None: hidden from a learner who has not passed yet
    explanation: str = ""


@dataclass(frozen=True)
class QuestionResult:
    index: int
    text: str
    kind: str
    correct: bool
    answered: bool
    explanation: str
    choices: list[ChoiceFeedback]


@dataclass(frozen=True)
class QuizResult:
    quiz_id: str
    title: str
    score: int
    passed: bool
    pass_mark: int
    questions: list[QuestionResult]
    attempt: QuizAttempt | None = None
    answers_shown: bool = True

    @property
    def correct_count(self) -> int:
        return sum(1 for question in self.questions if question.correct)

    def for_learner(self, *, has_passed: bool) -> QuizResult:
        """What the learner may see: everything once they have passed the quiz (in any
        attempt); before that, only whether each answer is right and why a wrong pick is
        wrong, never which choices are right, nor the explanation of a question they got
        wrong (it says why the right answer is right)."""
        if has_passed:
            return self
        return replace(
            self,
            answers_shown=False,
            questions=[_without_answers(question) for question in self.questions],
        )


def _without_answers(question: QuestionResult) -> QuestionResult:
    choices = [
        # A picked wrong choice keeps its flag and says why it is wrong: that is the
        # learner's own answer. Any other flag or explanation would point at the right one.
        choice
        if choice.selected and choice.correct is False
        else replace(choice, correct=None, explanation="")
        for choice in question.choices
    ]
    # A question answered right keeps its explanation: it tells nothing they do not know.
    return replace(
        question, choices=choices, explanation=question.explanation if question.correct else ""
    )


@dataclass(frozen=True)
class DashboardEntry:
    enrollment: Enrollment
    progress: CourseProgress
    certificate: Certificate | None = None

    @property
    def course(self) -> CoursePage:
        return self.enrollment.course


# --- Course structure -----------------------------------------------------------------


def _outlines(courses) -> dict[int, list[tuple[ModulePage, list[LessonPage]]]]:
    """Live modules with their live lessons, in tree order, for several courses at once."""
    courses = list(courses)
    outlines = {course.pk: [] for course in courses}
    if not courses:
        return outlines
    by_path = {course.path: course.pk for course in courses}
    steplen = CoursePage.steplen
    in_courses = reduce(or_, (Q(path__startswith=course.path) for course in courses))
    modules = ModulePage.objects.live().filter(in_courses).order_by("path")
    module_lessons = {}
    for module in modules:
        course_pk = by_path.get(module.path[:-steplen])
        if course_pk is not None:
            module_lessons[module.path] = []
            outlines[course_pk].append((module, module_lessons[module.path]))
    lessons = LessonPage.objects.live().filter(in_courses).order_by("path")
    for lesson in lessons:
        siblings = module_lessons.get(lesson.path[:-steplen])
        if siblings is not None:  # lessons under an unpublished module are not in the course
            siblings.append(lesson)
    return outlines


def course_outline(course: CoursePage) -> list[tuple[ModulePage, list[LessonPage]]]:
    """The course's live modules, each with its live lessons, in order (two queries)."""
    return _outlines([course])[course.pk]


def course_lessons(course: CoursePage) -> list[LessonPage]:
    """The course's live lessons in reading order: module order, then lesson order."""
    return [lesson for _, lessons in course_outline(course) for lesson in lessons]


def lesson_in_course(lesson: LessonPage, course: CoursePage) -> bool:
    return lesson.live and lesson.path.startswith(course.path) and lesson.depth == course.depth + 2


def missing_prerequisites(user, course: CoursePage) -> list[CoursePage]:
    """The live prerequisites of `course` that `user` has not completed."""
    completed = Enrollment.objects.filter(user=user, completed_at__isnull=False).values("course_id")
    # Queried through the database, not `course.prerequisites`, which may be an unsaved
    # in-memory relation on a page that is being edited.
    return list(
        CoursePage.objects.filter(required_by=course, live=True)
        .exclude(pk__in=completed)
        .order_by("title")
    )


# --- Enrolment and progress -----------------------------------------------------------


def enrol(user, course: CoursePage) -> Enrollment:
    """Enrol `user`, or return their existing enrolment; refuse if prerequisites are missing."""
    if not user.is_authenticated:
        raise ProgressError(_("Log in to enrol in a course."))
    existing = Enrollment.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    missing = missing_prerequisites(user, course)
    if missing:
        raise PrerequisitesMissing(missing)
    try:
        with transaction.atomic():
            return Enrollment.objects.create(user=user, course=course)
    except IntegrityError:  # a second request enrolled them in the meantime
        return Enrollment.objects.get(user=user, course=course)


def enrolment_in_other_version(user, course: CoursePage) -> Enrollment | None:
    """`user`'s enrolment in another language's version of `course` (same translation key),
    with that course and its locale, if they have one."""
    if not user.is_authenticated:
        return None
    return (
        Enrollment.objects.filter(user=user, course__translation_key=course.translation_key)
        .exclude(course=course)
        .select_related("course__locale")
        .first()
    )


def move_enrolment(enrollment: Enrollment, course: CoursePage) -> Enrollment:
    """Carry `enrollment` over to `course`, another language's version of its course (a
    translation is a page of its own, with its own enrolments), with what maps onto it:

    - each lesson done, onto the lesson with the same translation key;
    - each quiz passed, onto the quiz in the same position of that lesson, when it has the
      same answer key: as many questions, each with as many choices, right in the same places
      (translations made in the admin keep a quiz's block id, but not every translation is
      made that way; answers are stored as choice positions, so a quiz whose choices were
      put in another order must be taken again). Failed attempts are not carried: the wait
      after one belongs to the quiz in the other language.

    The dates of the enrolment and of each lesson done are kept; the old enrolment is
    removed. A completed enrolment stays where its certificate was issued.
    """
    source = enrollment.course
    if course.pk == source.pk or course.translation_key != source.translation_key:
        raise ProgressError(_("This is not another language’s version of your course."))
    if enrollment.completed_at is not None or certificate_of(enrollment) is not None:
        raise ProgressError(
            _("You completed this course: it stays in the language of your certificate.")
        )
    already_there = ProgressError(_("You are already enrolled in this version of the course."))
    targets = {
        lesson.translation_key: lesson for lesson in LessonPage.objects.descendant_of(course)
    }
    lessons = {
        pk: targets.get(key)
        for pk, key in LessonPage.objects.descendant_of(source).values_list("pk", "translation_key")
    }
    with transaction.atomic():
        # Two clicks at once: the second finds the enrolment moved, or the new one there.
        if not Enrollment.objects.select_for_update().filter(pk=enrollment.pk).exists():
            raise already_there
        try:
            with transaction.atomic():
                moved = Enrollment.objects.create(user_id=enrollment.user_id, course=course)
        except IntegrityError:
            raise already_there from None
        Enrollment.objects.filter(pk=moved.pk).update(enrolled_at=enrollment.enrolled_at)
        done = {
            lessons[lesson_id].pk: completed_at
            for lesson_id, completed_at in enrollment.lesson_progress.values_list(
                "lesson_id", "completed_at"
            )
            if lessons.get(lesson_id) is not None
        }
        LessonProgress.objects.bulk_create(
            LessonProgress(enrollment=moved, lesson_id=lesson_id) for lesson_id in done
        )
        if done:  # `completed_at` is set on creation: each lesson's own date, in one update
            LessonProgress.objects.filter(enrollment=moved).update(
                completed_at=Case(
                    *(When(lesson_id=lesson_id, then=Value(at)) for lesson_id, at in done.items())
                )
            )
        QuizAttempt.objects.bulk_create(_passed_quizzes_moved(enrollment, moved, lessons))
        enrollment.delete()
    maybe_complete(moved)
    return moved


def _passed_quizzes_moved(enrollment, moved, lessons) -> list[QuizAttempt]:
    """The latest passed attempt at each quiz of `enrollment`, as attempts of `moved` at the
    quiz in the same position of the mapped lesson (see `move_enrolment`)."""
    attempts = {}
    for attempt in enrollment.quiz_attempts.filter(passed=True).order_by("created_at", "pk"):
        attempts[(attempt.lesson_id, attempt.quiz_id)] = attempt
    source_lessons = {
        lesson.pk: lesson
        for lesson in LessonPage.objects.filter(pk__in={lesson for lesson, _ in attempts})
    }
    carried = []
    for (lesson_id, quiz_id), attempt in attempts.items():
        target = lessons.get(lesson_id)
        if target is None:
            continue
        source_quizzes, target_quizzes = source_lessons[lesson_id].quizzes(), target.quizzes()
        position = next((i for i, (id_, _) in enumerate(source_quizzes) if id_ == quiz_id), None)
        if position is None or position >= len(target_quizzes):
            continue
        target_id, target_quiz = target_quizzes[position]
        if _answer_key(target_quiz) != _answer_key(source_quizzes[position][1]):
            continue
        carried.append(
            QuizAttempt(
                enrollment=moved,
                lesson=target,
                quiz_id=target_id,
                answers=attempt.answers,
                score=attempt.score,
                passed=True,
            )
        )
    return carried


def _answer_key(quiz) -> list[list[bool]]:
    """Which choices of each question of `quiz` (a quiz block's value) are right, in order."""
    return [
        [bool(choice["correct"]) for choice in question["choices"]]
        for question in quiz["questions"]
    ]


def _check_lesson(enrollment: Enrollment, lesson: LessonPage) -> None:
    if not isinstance(lesson, LessonPage) or not lesson_in_course(lesson, enrollment.course):
        raise LessonNotInCourse(lesson, enrollment.course)


def complete_lesson(enrollment: Enrollment, lesson: LessonPage) -> LessonProgress:
    """Mark a lesson done (once; doing it again changes nothing) and issue any certificate due."""
    _check_lesson(enrollment, lesson)
    progress, _ = LessonProgress.objects.get_or_create(enrollment=enrollment, lesson=lesson)
    maybe_complete(enrollment)
    return progress


def _progress(lessons, done_ids, passed) -> CourseProgress:
    total = len(lessons)
    done_ids = frozenset(lesson.pk for lesson in lessons if lesson.pk in done_ids)
    done = len(done_ids)
    unpassed = [
        lesson
        for lesson in lessons
        for quiz_id in lesson.quiz_ids()
        if (lesson.pk, quiz_id) not in passed
    ]
    next_lesson = next((lesson for lesson in lessons if lesson.pk not in done_ids), None)
    if next_lesson is None and unpassed:
        next_lesson = unpassed[0]
    return CourseProgress(
        done=done,
        total=total,
        # Rounded down: 99.6 % is not "100 %" while a lesson is left.
        percent=math.floor(100 * done / total) if total else 0,
        next_lesson=next_lesson,
        quizzes_passed=not unpassed,
        is_complete=total > 0 and done == total and not unpassed,
        completed_lesson_ids=done_ids,
        passed_quizzes=frozenset(passed),
    )


def course_progress(enrollment: Enrollment, *, lessons=None) -> CourseProgress:
    """Where a learner stands in a course, over its current live lessons.

    `lessons` (from `course_lessons`) saves two queries when the caller has them.
    """
    if lessons is None:
        lessons = course_lessons(enrollment.course)
    done_ids = set(
        LessonProgress.objects.filter(enrollment=enrollment).values_list("lesson_id", flat=True)
    )
    passed = set(
        QuizAttempt.objects.filter(enrollment=enrollment, passed=True)
        .values_list("lesson_id", "quiz_id")
        .distinct()
    )
    return _progress(lessons, done_ids, passed)


def certificate_of(enrollment: Enrollment) -> Certificate | None:
    try:
        return enrollment.certificate
    except Certificate.DoesNotExist:
        return None


def learner_name(user) -> str:
    return (user.get_full_name() or "").strip() or user.get_username()


def maybe_complete(enrollment: Enrollment) -> Certificate | None:
    """Issue the certificate when the course is complete; return it (or the one already issued)."""
    existing = Certificate.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing
    if not course_progress(enrollment).is_complete:
        return None
    with transaction.atomic():
        # Lock the enrolment so two requests finishing the course issue one certificate.
        locked = Enrollment.objects.select_for_update().select_related("user", "course")
        enrollment_row = locked.get(pk=enrollment.pk)
        existing = Certificate.objects.filter(enrollment=enrollment_row).first()
        if existing is not None:
            return existing
        now = timezone.now()
        for _ in range(5):
            try:
                with transaction.atomic():
                    certificate = Certificate.objects.create(
                        enrollment=enrollment_row,
                        code=new_certificate_code(),
                        learner_name=learner_name(enrollment_row.user),
                        course_title=enrollment_row.course.title,
                    )
                break
            except IntegrityError:
                existing = Certificate.objects.filter(enrollment=enrollment_row).first()
                if existing is not None:
                    return existing
        else:  # pragma: no cover - 31**16 codes: five collisions in a row do not happen
            raise RuntimeError("could not find a free certificate code")
        Enrollment.objects.filter(pk=enrollment_row.pk).update(completed_at=now)
        enrollment.completed_at = now
    return certificate


# --- Certificates ---------------------------------------------------------------------


@dataclass(frozen=True)
class LessonDone:
    title: str
    completed_at: datetime


@dataclass(frozen=True)
class QuizPassed:
    lesson_title: str
    title: str
    passed_at: datetime
    score: int


@dataclass(frozen=True)
class CertificateFacts:
    """What a certificate states: its page and its PDF both render from this."""

    certificate: Certificate
    lessons: list[LessonDone]
    quizzes: list[QuizPassed]

    @property
    def learner_name(self) -> str:
        return self.certificate.learner_name

    @property
    def course_title(self) -> str:
        return self.certificate.course_title

    @property
    def issued_at(self) -> datetime:
        return self.certificate.issued_at


def certificate_facts(certificate: Certificate) -> CertificateFacts:
    """Each lesson done and each quiz passed, with its date, in course order (two queries).

    Only what was true when the certificate was issued: later activity in an edited course
    does not change it. The first passing attempt of each quiz is the one stated.
    """
    issued_at = certificate.issued_at
    done = (
        LessonProgress.objects.filter(
            enrollment_id=certificate.enrollment_id, completed_at__lte=issued_at
        )
        .select_related("lesson")
        .order_by("lesson__path")
    )
    lessons = [LessonDone(title=row.lesson.title, completed_at=row.completed_at) for row in done]
    first_passes = {}
    for attempt in (
        QuizAttempt.objects.filter(
            enrollment_id=certificate.enrollment_id, passed=True, created_at__lte=issued_at
        )
        .select_related("lesson")
        .order_by("lesson__path", "created_at", "pk")
    ):
        first_passes.setdefault((attempt.lesson_id, attempt.quiz_id), attempt)
    quizzes = []
    for attempt in first_passes.values():
        quiz_titles = {block_id: quiz["title"] for block_id, quiz in attempt.lesson.quizzes()}
        quizzes.append(
            QuizPassed(
                lesson_title=attempt.lesson.title,
                # A quiz removed from its lesson since is still a quiz that was passed.
                title=quiz_titles.get(attempt.quiz_id, _("Quiz")),
                passed_at=attempt.created_at,
                score=attempt.score,
            )
        )
    return CertificateFacts(certificate=certificate, lessons=lessons, quizzes=quizzes)


# --- Quizzes --------------------------------------------------------------------------


def _validated(quiz, answers) -> dict[str, list[int]]:
    questions = list(quiz["questions"])
    if not isinstance(answers, dict):
        raise InvalidAnswers(_("These answers could not be read. Reload the lesson and try again."))
    clean = {}
    for key, picks in answers.items():
        # ASCII digits only: "²".isdigit() is true, and int("²") raises.
        index = int(key) if isinstance(key, (str, int)) and ASCII_NUMBER.match(str(key)) else -1
        if not 0 <= index < len(questions):
            raise InvalidAnswers(
                _(
                    "These answers are for a question that is not in this quiz. "
                    "Reload the lesson and try again."
                )
            )
        question = questions[index]
        if not isinstance(picks, (list, tuple)):
            picks = [picks]
        choices = set()
        for pick in picks:
            if isinstance(pick, bool) or not isinstance(pick, int):
                raise InvalidAnswers(
                    _("An answer to question %(number)d could not be read.") % {"number": index + 1}
                )
            if not 0 <= pick < len(question["choices"]):
                raise InvalidAnswers(
                    _(
                        "An answer to question %(number)d is not one of its choices. "
                        "Reload the lesson and try again."
                    )
                    % {"number": index + 1}
                )
            choices.add(pick)
        if question["kind"] == "single" and len(choices) > 1:
            raise InvalidAnswers(
                _("Question %(number)d takes one answer only.") % {"number": index + 1}
            )
        clean[str(index)] = sorted(choices)
    return clean


def score_quiz(quiz_id: str, quiz, answers: dict[str, list[int]]) -> QuizResult:
    """Mark validated answers against a quiz (no database access)."""
    questions = []
    for index, question in enumerate(quiz["questions"]):
        picked = set(answers.get(str(index), []))
        right = {i for i, choice in enumerate(question["choices"]) if choice["correct"]}
        questions.append(
            QuestionResult(
                index=index,
                text=question["text"],
                kind=question["kind"],
                correct=bool(right) and picked == right,
                answered=bool(picked),
                explanation=question["explanation"],
                choices=[
                    ChoiceFeedback(
                        text=choice["text"],
                        selected=i in picked,
                        correct=i in right,
                        # Quizzes written before choices had explanations have no such key.
                        explanation=choice.get("explanation") or "",
                    )
                    for i, choice in enumerate(question["choices"])
                ],
            )
        )
    total = len(questions)
    score = round(100 * sum(q.correct for q in questions) / total) if total else 0
    return QuizResult(
        quiz_id=quiz_id,
        title=quiz["title"],
        score=score,
        passed=score >= quiz["pass_mark"],
        pass_mark=quiz["pass_mark"],
        questions=questions,
    )


def find_quiz(lesson: LessonPage, quiz_id: str):
    for block_id, quiz in lesson.quizzes():
        if block_id == quiz_id:
            return quiz
    raise QuizNotFound(quiz_id)


def retake_wait() -> timedelta:
    return timedelta(minutes=settings.QUIZ_RETAKE_WAIT_MINUTES)


def retake_opens_at(attempts) -> datetime | None:
    """When the learner may try a quiz again, given their attempts at it (any order).

    None when they may try now or never tried: a wait follows a failed attempt only, and
    none once they have passed (they have seen the answers then).
    """
    attempts = list(attempts)
    if not attempts or any(attempt.passed for attempt in attempts):
        return None
    opens_at = max(attempt.created_at for attempt in attempts) + retake_wait()
    return opens_at if opens_at > timezone.now() else None


def minutes_until(moment: datetime, now: datetime) -> int:
    """Whole minutes, rounded up: "in 0 minutes" would be untrue while seconds remain."""
    return max(1, math.ceil((moment - now).total_seconds() / 60))


def submit_quiz(
    enrollment: Enrollment, lesson: LessonPage, quiz_id: str, answers: dict[str, list[int]]
) -> QuizResult:
    """Record an attempt and return per-question feedback; every attempt is kept.

    Refused with `RetakeTooSoon` while the wait after a failed attempt runs.
    """
    _check_lesson(enrollment, lesson)
    quiz = find_quiz(lesson, quiz_id)
    clean = _validated(quiz, answers)
    result = score_quiz(quiz_id, quiz, clean)
    with transaction.atomic():
        # Lock the enrolment: two posts at once must not both slip through the wait.
        Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
        earlier = QuizAttempt.objects.filter(
            enrollment=enrollment, lesson=lesson, quiz_id=quiz_id
        ).only("created_at", "passed")
        opens_at = retake_opens_at(earlier)
        if opens_at is not None:
            raise RetakeTooSoon(opens_at, timezone.now())
        attempt = QuizAttempt.objects.create(
            enrollment=enrollment,
            lesson=lesson,
            quiz_id=quiz_id,
            answers=clean,
            score=result.score,
            passed=result.passed,
        )
    maybe_complete(enrollment)
    return replace(result, attempt=attempt)


def result_of(attempt: QuizAttempt, quiz) -> QuizResult:
    """Feedback for a recorded attempt, marked against the quiz as it is now."""
    try:
        answers = _validated(quiz, attempt.answers)
    except InvalidAnswers:  # the editor removed a question or choice since
        answers = {}
    return replace(score_quiz(attempt.quiz_id, quiz, answers), attempt=attempt)


# --- Dashboard ------------------------------------------------------------------------


def dashboard_for(user) -> list[DashboardEntry]:
    """Every enrolment of `user` with progress and certificate, in five queries at most."""
    enrollments = list(
        Enrollment.objects.filter(user=user)
        .select_related("course__locale", "certificate")
        .order_by("-enrolled_at", "-pk")
    )
    if not enrollments:
        return []
    outlines = _outlines({e.course_id: e.course for e in enrollments}.values())
    done = defaultdict(set)
    for enrollment_id, lesson_id in LessonProgress.objects.filter(
        enrollment__in=enrollments
    ).values_list("enrollment_id", "lesson_id"):
        done[enrollment_id].add(lesson_id)
    passed = defaultdict(set)
    for enrollment_id, lesson_id, quiz_id in (
        QuizAttempt.objects.filter(enrollment__in=enrollments, passed=True)
        .values_list("enrollment_id", "lesson_id", "quiz_id")
        .distinct()
    ):
        passed[enrollment_id].add((lesson_id, quiz_id))
    entries = []
    for enrollment in enrollments:
        lessons = [lesson for _, ls in outlines[enrollment.course_id] for lesson in ls]
        entries.append(
            DashboardEntry(
                enrollment=enrollment,
                progress=_progress(lessons, done[enrollment.pk], passed[enrollment.pk]),
                certificate=certificate_of(enrollment),
            )
        )
    return entries

"""How course and lesson pages serve themselves, through the learning service
(learning/progress.py): what they show, and their POST routes (enrol, complete a lesson,
submit a quiz).

`CoursePage` and `LessonPage` call this from their `get_context` and routes. The POST routes
redirect back with a message, so a reload never submits twice. A learner only ever sees and
changes their own enrolment: every lookup is by `request.user`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from exchange.core.languages import localized_url
from learning import progress
from learning.models import CoursePage, Enrollment, QuizAttempt

ANSWER_PREFIX = "q"


def _enrollment(user, course):
    if not user.is_authenticated:
        return None
    enrollment = (
        Enrollment.objects.filter(user=user, course=course).select_related("certificate").first()
    )
    if enrollment is not None:
        enrollment.course = course  # the page we already have: no second query
    return enrollment


def _enrolled_elsewhere(user, course, page) -> dict | None:
    """Where a learner not enrolled in `course` is enrolled in another language's version of
    it (a translation is a page of its own, with its own enrolments): that version's
    language and the address of `page` (the course, or one of its lessons) there, so that
    the learner is sent back to their progress rather than asked to start again."""
    other = progress.enrolment_in_other_version(user, course)
    if other is None:
        return None
    locale = other.course.locale
    there = type(page).objects.filter(translation_key=page.translation_key, locale=locale).first()
    return {
        "language": locale.language_code,
        "url": (there or other.course).url,
        # Until it is completed, the enrolment can follow the learner here (`move_enrolment`).
        "move_url": f"{_address(course)}move-here/" if other.completed_at is None else None,
    }


def course_context(request, course: CoursePage) -> dict:
    outline = progress.course_outline(course)
    lessons = [lesson for _, module_lessons in outline for lesson in module_lessons]
    # The page links to each prerequisite (with its length) and theme: nothing else read.
    prerequisites = list(
        course.prerequisites.filter(live=True)
        .order_by("title")
        .only("title", "url_path", "duration_hours", "translation_key")
    )
    context = {
        "outline": outline,
        "lessons": lessons,
        "themes": list(course.themes.order_by("name").only("name", "slug")),
        "prerequisites": prerequisites,
        "completed_count": Enrollment.objects.filter(
            course=course, completed_at__isnull=False
        ).count(),
        "enrollment": None,
        "progress": None,
        "certificate": None,
        "missing_prerequisites": [],
        # With the request, Wagtail looks the site roots up once for every URL on the page.
        "login_url": redirect_to_login(localized_url(course.get_url(request)))["Location"],
    }
    enrollment = _enrollment(request.user, course)
    if enrollment is not None:
        context.update(
            enrollment=enrollment,
            progress=progress.course_progress(enrollment, lessons=lessons),
            certificate=progress.certificate_of(enrollment),
        )
    else:
        context["enrolled_elsewhere"] = _enrolled_elsewhere(request.user, course, course)
        if request.user.is_authenticated and prerequisites:
            context["missing_prerequisites"] = progress.missing_prerequisites(request.user, course)
    return context


def _course_of(lesson):
    return CoursePage.objects.ancestor_of(lesson).first()


def lesson_context(request, lesson) -> dict:
    course = _course_of(lesson)
    context = {"course": course, "module": None, "previous_lesson": None, "next_lesson": None}
    lessons = []
    if course is not None:
        outline = progress.course_outline(course)
        lessons = [lesson for _, module_lessons in outline for lesson in module_lessons]
        parent_path = lesson.path[: -lesson.steplen]
        context["module"] = next((m for m, _ in outline if m.path == parent_path), None)
        position = next((i for i, other in enumerate(lessons) if other.pk == lesson.pk), None)
        if position is not None:
            context.update(
                position=position + 1,
                lesson_count=len(lessons),
                previous_lesson=lessons[position - 1] if position > 0 else None,
                next_lesson=lessons[position + 1] if position + 1 < len(lessons) else None,
            )
    enrollment = _enrollment(request.user, course) if course is not None else None
    if course is not None and enrollment is None:
        context["enrolled_elsewhere"] = _enrolled_elsewhere(request.user, course, lesson)
    course_progress = progress.course_progress(enrollment, lessons=lessons) if enrollment else None
    attempts_by_quiz = {}
    if enrollment is not None:
        for attempt in QuizAttempt.objects.filter(enrollment=enrollment, lesson=lesson).order_by(
            "-created_at", "-pk"
        ):
            attempts_by_quiz.setdefault(attempt.quiz_id, []).append(attempt)
    items = []
    for child in lesson.body:
        quiz = None
        if child.block_type == "quiz":
            attempts = attempts_by_quiz.get(child.id, [])
            passed = any(a.passed for a in attempts)
            last = progress.result_of(attempts[0], child.value) if attempts else None
            opens_at = progress.retake_opens_at(attempts)
            quiz = {
                "id": child.id,
                "value": child.value,
                "attempts": len(attempts),
                # The right answers only once the learner has passed (in any attempt).
                "last": last.for_learner(has_passed=passed) if last else None,
                "best": max((a.score for a in attempts), default=None),
                "passed": passed,
                "retake_in_minutes": (
                    progress.minutes_until(opens_at, timezone.now()) if opens_at else None
                ),
            }
        items.append({"block": child, "quiz": quiz})
    context.update(
        enrollment=enrollment,
        progress=course_progress,
        is_done=bool(course_progress and lesson.pk in course_progress.completed_lesson_ids),
        certificate=progress.certificate_of(enrollment) if enrollment else None,
        body_items=items,
        retake_wait_minutes=settings.QUIZ_RETAKE_WAIT_MINUTES,
    )
    return context


def _address(page) -> str:
    """The page's address in the language being read: a learner on /fr/ stays in French
    through every redirect (the login included)."""
    return localized_url(page.url)


def _post_only(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def enrol(request, course):
    if (refused := _post_only(request)) is not None:
        return refused
    if not request.user.is_authenticated:
        return redirect_to_login(_address(course))
    if Enrollment.objects.filter(user=request.user, course=course).exists():
        messages.info(request, _("You are already enrolled in this course."))
        return redirect(_address(course))
    try:
        progress.enrol(request.user, course)
    except progress.ProgressError as error:
        messages.error(request, str(error))
        return redirect(_address(course))
    messages.success(
        request,
        _("You are enrolled in “%(title)s”. Start with the first lesson.")
        % {"title": course.title},
    )
    return redirect(_address(course))


def move_enrolment_here(request, course):
    """Bring the learner's enrolment in another language's version of `course` here, with
    their progress (`progress.move_enrolment`)."""
    if (refused := _post_only(request)) is not None:
        return refused
    if not request.user.is_authenticated:
        return redirect_to_login(_address(course))
    other = progress.enrolment_in_other_version(request.user, course)
    if other is None:
        messages.info(
            request, _("You are not enrolled in another language’s version of this course.")
        )
        return redirect(_address(course))
    try:
        progress.move_enrolment(other, course)
    except progress.ProgressError as error:
        messages.error(request, str(error))
        return redirect(_address(course))
    messages.success(
        request,
        _("You now follow “%(title)s” in this version, with your progress.")
        % {"title": course.title},
    )
    return redirect(_address(course))


def _learner_enrollment(request, lesson):
    """The learner's enrolment in the lesson's course, or a response telling them why not."""
    course = _course_of(lesson)
    if course is None:
        messages.error(request, _("This lesson is not part of a course."))
        return None, redirect(localized_url("/"))
    enrollment = _enrollment(request.user, course)
    if enrollment is None:
        messages.error(
            request, _("Enrol in “%(title)s” to save your progress.") % {"title": course.title}
        )
        return None, redirect(_address(course))
    return enrollment, None


def _completion_message(request, enrollment, was_complete):
    if not was_complete and enrollment.completed_at:
        certificate = progress.certificate_of(Enrollment.objects.get(pk=enrollment.pk))
        messages.success(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("You have completed the course. Your certificate is ready:"),
                certificate.get_absolute_url(),
                _("view and print your certificate"),
            ),
        )


def complete_lesson(request, lesson):
    if (refused := _post_only(request)) is not None:
        return refused
    if not request.user.is_authenticated:
        return redirect_to_login(_address(lesson))
    enrollment, refusal = _learner_enrollment(request, lesson)
    if refusal is not None:
        return refusal
    was_complete = enrollment.completed_at is not None
    try:
        progress.complete_lesson(enrollment, lesson)
    except progress.ProgressError as error:
        messages.error(request, str(error))
        return redirect(_address(lesson))
    messages.success(request, _("“%(title)s” is marked as done.") % {"title": lesson.title})
    _completion_message(request, enrollment, was_complete)
    next_lesson = progress.course_progress(enrollment).next_lesson
    return redirect(_address(next_lesson or enrollment.course))


class _Unreadable(Exception):
    pass


def _answers_from(post, quiz) -> dict[str, list[int]]:
    """`q<question>` fields → {"question": [choices]}; anything else is ignored."""
    answers = {}
    for key in post:
        if not key.startswith(ANSWER_PREFIX):
            continue
        question = key[len(ANSWER_PREFIX) :]
        try:
            answers[question] = [int(value) for value in post.getlist(key)]
        except ValueError:
            raise _Unreadable from None
    return answers


def submit_quiz(request, lesson, quiz_id):
    if (refused := _post_only(request)) is not None:
        return refused
    if not request.user.is_authenticated:
        return redirect_to_login(_address(lesson))
    enrollment, refusal = _learner_enrollment(request, lesson)
    if refusal is not None:
        return refusal
    was_complete = enrollment.completed_at is not None
    anchor = f"{_address(lesson)}#quiz-{quiz_id}"
    try:
        quiz = progress.find_quiz(lesson, quiz_id)
        answers = _answers_from(request.POST, quiz)
        unanswered = [str(i + 1) for i in range(len(quiz["questions"])) if not answers.get(str(i))]
        if unanswered:
            messages.error(
                request,
                _(
                    "Answer every question before submitting (missing: question "
                    "%(questions)s). Nothing was recorded."
                )
                % {"questions": ", ".join(unanswered)},
            )
            return redirect(anchor)
        result = progress.submit_quiz(enrollment, lesson, quiz_id, answers)
    except _Unreadable:
        messages.error(request, _("These answers could not be read. Nothing was recorded."))
        return redirect(anchor)
    except progress.RetakeTooSoon as error:
        messages.error(request, _("%(reason)s Nothing was recorded.") % {"reason": error})
        return redirect(anchor)
    except progress.ProgressError as error:
        messages.error(request, _("%(reason)s Nothing was recorded.") % {"reason": error})
        return redirect(_address(lesson))
    outcome = _("You passed") if result.passed else _("Not passed yet")
    messages.info(
        request,
        _(
            "%(outcome)s: %(correct)d of %(total)d right (%(score)s%%; pass mark "
            "%(pass_mark)s%%). See the feedback under each question."
        )
        % {
            "outcome": outcome,
            "correct": result.correct_count,
            "total": len(result.questions),
            "score": result.score,
            "pass_mark": result.pass_mark,
        },
    )
    _completion_message(request, enrollment, was_complete)
    return redirect(anchor)

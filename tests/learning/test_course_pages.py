"""Course listing, course and lesson pages, and the enrol / complete / quiz forms."""

from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casestudies.factories import CaseStudyPageFactory, ThemeFactory
from learning import progress
from learning.factories import (
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    UserFactory,
)
from learning.models import Enrollment, LessonProgress, QuizAttempt
from tests.learning.conftest import QUIZ_ID, RIGHT_ANSWERS, make_course

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def card_titles(response) -> list[str]:
    return [a.get_text(strip=True) for a in soup(response).select(".card__title a")]


def messages_of(response) -> list[str]:
    return [p.get_text(" ", strip=True) for p in soup(response).select("main .notice[role=status]")]


def query_count(client, url) -> int:
    client.get(url)  # warm Wagtail's site root cache, which a real server keeps
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def login_url(next_url):
    return f"{reverse('accounts:login')}?next={quote(next_url, safe='/')}"


def quiz_url(lesson, quiz_id=QUIZ_ID):
    return f"{lesson.url}quiz/{quiz_id}/"


def add_lessons(course, count):
    module = ModulePageFactory(parent=course)
    for _ in range(count):
        LessonPageFactory(parent=module)


# --- Course index ------------------------------------------------------------------------


def test_course_index_lists_live_courses_with_level_duration_themes_and_completions(
    client, course_index, course, learner
):
    theme = ThemeFactory(name="Beneficial ownership", slug="beneficial-ownership")
    course.themes.set([theme])
    course.save_revision().publish()
    draft = CoursePageFactory(parent=course_index, title="Unpublished draft course")
    draft.unpublish()
    enrollment = Enrollment.objects.create(user=learner, course=course)
    enrollment.completed_at = enrollment.enrolled_at
    enrollment.save()

    response = client.get("/courses/")
    assert card_titles(response) == ["Making commitments transformative"]
    card = soup(response).select_one(".course-card").get_text(" ", strip=True)
    assert "Introductory" in card
    assert "about 2 hours" in card
    assert "completed by 1 learner" in card
    assert "Beneficial ownership" in card


def test_course_index_filters_by_theme_and_level_from_the_url(client, course_index):
    ownership = ThemeFactory(name="Beneficial ownership", slug="beneficial-ownership")
    lobbying = ThemeFactory(name="Lobbying", slug="lobbying")
    CoursePageFactory(parent=course_index, title="Registers 101", themes=[ownership])
    CoursePageFactory(
        parent=course_index, title="Registers advanced", level="advanced", themes=[ownership]
    )
    CoursePageFactory(parent=course_index, title="Lobbying basics", themes=[lobbying])

    assert card_titles(client.get("/courses/?theme=beneficial-ownership")) == [
        "Registers 101",
        "Registers advanced",
    ]
    assert card_titles(client.get("/courses/?theme=beneficial-ownership&level=advanced")) == [
        "Registers advanced"
    ]
    assert card_titles(client.get("/courses/?level=introductory")) == [
        "Registers 101",
        "Lobbying basics",
    ]
    # The filters stay selected in the form.
    html = soup(client.get("/courses/?theme=lobbying"))
    assert html.select_one("#id_theme option[selected]")["value"] == "lobbying"


def test_course_index_reports_bad_filter_values_without_failing(client, course_index, course):
    response = client.get("/courses/?level=expert&theme=%3Cscript%3E&page=zzz")
    assert response.status_code == 200
    assert card_titles(response) == [course.title]
    assert soup(response).select(".field-error")
    assert b"<script>" not in response.content


def test_course_index_paginates_keeping_filters(client, course_index):
    for n in range(14):
        CoursePageFactory(parent=course_index, title=f"Course {n:02d}", level="advanced")
    first = client.get("/courses/?level=advanced")
    assert len(card_titles(first)) == 12
    next_link = soup(first).select_one(".pagination a[rel=next]")["href"]
    assert "level=advanced" in next_link and "page=2" in next_link
    assert len(card_titles(client.get("/courses/" + next_link))) == 2


def test_course_index_empty_states(client, course_index):
    assert "No courses are published yet" in client.get("/courses/").content.decode()
    CoursePageFactory(parent=course_index)
    assert (
        "No course matches these filters" in client.get("/courses/?level=advanced").content.decode()
    )


def test_course_index_queries_do_not_grow_with_courses_or_lessons(client, course_index):
    theme = ThemeFactory()
    make_course(course_index, title="One", themes=[theme])
    few = query_count(client, "/courses/")
    for n in range(5):
        course = make_course(course_index, title=f"More {n}", themes=[theme])
        add_lessons(course, 4)
    assert query_count(client, "/courses/") == few


# --- Course page -------------------------------------------------------------------------


def test_course_page_shows_outline_facts_and_prerequisites(client, course, course_index):
    basics = make_course(course_index, title="Open government basics")
    course.prerequisites.set([basics])
    course.save_revision().publish()
    response = client.get(course.url)
    html = soup(response)
    assert html.h1.get_text() == course.title
    assert [h.get_text(strip=True) for h in html.select(".module h3")] == [
        "Module 1: What the IRM measures",
        "Module 2: Putting it together",
    ]
    assert [a.get_text() for a in html.select(".lesson-list a")] == [
        "Specificity and ambition",
        "Completion",
        "Reading an IRM report",
    ]
    assert html.select_one(".facts__prerequisites a").get_text() == "Open government basics"
    assert html.select_one("#outcomes-heading")
    assert "Completed by" not in html.select_one(".facts").get_text()  # nobody yet: not said


def test_anonymous_visitor_is_told_the_prerequisites_with_links_and_hours(
    client, course, course_index
):
    basics = make_course(course_index, title="Open government basics", duration_hours=3)
    course.prerequisites.set([basics])
    course.save_revision().publish()
    html = soup(client.get(course.url))
    prerequisite = html.select_one(".facts__prerequisites")
    assert prerequisite.dt.get_text() == "Complete first"
    assert prerequisite.a["href"] == basics.url
    assert "(about 3 hours)" in prerequisite.get_text()
    assert "“Complete first”" in html.select_one(".enrol-box .prerequisites-notice").get_text()


def test_course_without_prerequisites_says_nothing_about_them(client, course):
    html = soup(client.get(course.url))
    assert not html.select(".facts__prerequisites, .prerequisites-notice")


def test_completions_are_counted_once_someone_completed(client, course, learner):
    Enrollment.objects.create(user=learner, course=course, completed_at="2026-01-05T10:00Z")
    facts = soup(client.get(course.url)).select_one(".facts").get_text(" ", strip=True)
    assert "Completed by 1 learner" in facts


def test_sample_course_says_sample_once(client, course_index):
    sample = make_course(
        course_index,
        title="A sample course",
        is_sample=True,
        summary="Sample content written by the Reform Exchange team. Learn to read IRM reports.",
    )
    html = soup(client.get(sample.url))
    assert html.select_one(".lead").get_text() == "Learn to read IRM reports."
    assert html.select_one("main").get_text().count("Sample content") == 1


def test_anonymous_visitor_is_asked_to_log_in_to_enrol(client, course):
    response = client.get(course.url)
    link = soup(response).find("a", string="Log in to enrol")
    assert link["href"] == login_url(course.url)
    assert not soup(response).select("form[action$='enrol/']")


def test_anonymous_enrol_post_redirects_to_login_with_next(client, course):
    response = client.post(course.url + "enrol/")
    assert response.status_code == 302
    assert response["Location"] == login_url(course.url)
    assert not Enrollment.objects.exists()


def test_enrol_route_accepts_only_post(learner_client, course):
    assert learner_client.get(course.url + "enrol/").status_code == 405
    assert not Enrollment.objects.exists()


def test_learner_enrols_and_sees_where_to_start(learner_client, learner, course, lessons):
    response = learner_client.post(course.url + "enrol/", follow=True)
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1
    assert any("You are enrolled" in message for message in messages_of(response))
    link = soup(response).select_one("a.continue-link")
    assert link["href"] == lessons[0].url
    assert "Start the first lesson" in link.get_text()


def test_enrolling_twice_says_you_are_already_enrolled(learner_client, enrollment, course):
    response = learner_client.post(course.url + "enrol/", follow=True)
    assert any("You are already enrolled" in message for message in messages_of(response))
    assert Enrollment.objects.count() == 1


def test_enrolling_without_prerequisites_explains_what_to_take_first(
    learner_client, course, course_index
):
    basics = make_course(course_index, title="Open government basics")
    course.prerequisites.set([basics])
    course.save_revision().publish()
    page = soup(learner_client.get(course.url))
    assert [a.get_text() for a in page.select(".prerequisites-missing a")] == [
        "Open government basics"
    ]
    assert not page.select("form[action$='enrol/']")

    response = learner_client.post(course.url + "enrol/", follow=True)
    assert any("Open government basics" in message for message in messages_of(response))
    assert not Enrollment.objects.exists()


def test_continue_link_points_to_the_next_lesson_on_any_device(
    client, learner, enrollment, course, lessons
):
    progress.complete_lesson(enrollment, lessons[0])
    other_device = Client()
    other_device.force_login(learner)
    html = soup(other_device.get(course.url))
    link = html.select_one("a.continue-link")
    assert link["href"] == lessons[1].url
    assert "Continue where you left off" in link.get_text()
    assert "1 of 3 lessons done (33%)" in html.select_one(".enrol-box").get_text(" ", strip=True)
    assert html.select_one("progress")["value"] == "33"
    assert len(html.select(".lesson-list__done")) == 1


def test_another_learner_sees_none_of_my_progress(
    client, other_learner, enrollment, course, lessons
):
    progress.complete_lesson(enrollment, lessons[0])
    client.force_login(other_learner)
    html = soup(client.get(course.url))
    assert html.select_one("form[action$='enrol/'] button").get_text() == "Enrol in this course"
    assert not html.select("a.continue-link, progress, .lesson-list__done")
    lesson_html = soup(client.get(lessons[0].url))
    assert not lesson_html.select(".done-mark, form[action$='complete/']")


def test_course_page_queries_do_not_grow_with_lessons(client, learner, course_index):
    small = make_course(course_index, title="Small")
    big = make_course(course_index, title="Big")
    add_lessons(big, 8)
    counts = {}
    for course in (small, big):
        counts[course.title, "anonymous"] = query_count(client, course.url)
    client.force_login(learner)
    for course in (small, big):
        enrollment = progress.enrol(learner, course)
        for lesson in progress.course_lessons(course)[:2]:
            progress.complete_lesson(enrollment, lesson)
        counts[course.title, "learner"] = query_count(client, course.url)
    assert counts["Small", "anonymous"] == counts["Big", "anonymous"] <= 13
    assert counts["Small", "learner"] == counts["Big", "learner"] <= 20, counts


def test_course_with_completed_certificate_links_to_it(
    learner_client, enrollment, lessons, quiz_lesson
):
    for lesson in lessons:
        progress.complete_lesson(enrollment, lesson)
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS)
    html = soup(learner_client.get(enrollment.course.url))
    link = html.find("a", string="View and print your certificate")
    assert link["href"].startswith("/certificates/")


# --- Lesson page -------------------------------------------------------------------------


def test_guest_reads_a_lesson_but_gets_no_forms(client, quiz_lesson, course):
    response = client.get(quiz_lesson.url)
    html = soup(response)
    assert response.status_code == 200
    assert "reading as a guest" in html.select_one("main .notice").get_text()
    assert not html.select("form[method=post]")
    assert "Who rates OGP commitments?" in html.select_one(".quiz").get_text()


def test_lesson_shows_position_breadcrumb_and_neighbours(
    learner_client, enrollment, lessons, course
):
    html = soup(learner_client.get(lessons[1].url))
    assert "Lesson 2 of 3" in html.select_one(".card__meta").get_text()
    assert html.select_one(".breadcrumb a")["href"] == course.url
    assert html.select_one(".lesson-nav a[rel=prev]")["href"] == lessons[0].url
    assert html.select_one(".lesson-nav a[rel=next]")["href"] == lessons[2].url


def test_completing_a_lesson_moves_on_to_the_next(learner_client, enrollment, lessons):
    form = soup(learner_client.get(lessons[0].url)).select_one("form[action$='complete/']")
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    response = learner_client.post(lessons[0].url + "complete/")
    assert response["Location"] == lessons[1].url
    assert LessonProgress.objects.filter(enrollment=enrollment, lesson=lessons[0]).exists()
    html = soup(learner_client.get(lessons[0].url))
    assert "You completed this lesson" in html.select_one(".lesson__complete").get_text()


def test_completing_a_lesson_without_enrolling_is_refused(learner_client, course, lessons):
    response = learner_client.post(lessons[0].url + "complete/", follow=True)
    assert any("Enrol in" in message for message in messages_of(response))
    assert not LessonProgress.objects.exists()


def test_anonymous_complete_and_quiz_posts_go_to_login(client, lessons, quiz_lesson):
    for url, lesson in (
        (lessons[0].url + "complete/", lessons[0]),
        (quiz_url(quiz_lesson), quiz_lesson),
    ):
        response = client.post(url, RIGHT_ANSWERS)
        assert response["Location"] == login_url(lesson.url)
    assert not LessonProgress.objects.exists() and not QuizAttempt.objects.exists()


def test_posts_without_csrf_token_are_rejected(learner, course, lessons):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post(course.url + "enrol/").status_code == 403
    assert not Enrollment.objects.exists()


def test_lesson_page_queries_do_not_grow_with_lessons(client, learner, course_index):
    small = make_course(course_index, title="Small")
    big = make_course(course_index, title="Big")
    add_lessons(big, 8)
    client.force_login(learner)
    counts = []
    for course in (small, big):
        enrollment = progress.enrol(learner, course)
        lesson = progress.course_lessons(course)[2]  # the quiz lesson
        progress.submit_quiz(enrollment, lesson, QUIZ_ID, RIGHT_ANSWERS)
        progress.submit_quiz(enrollment, lesson, QUIZ_ID, {"0": [0], "1": [1]})
        counts.append(query_count(client, lesson.url))
    assert counts[0] == counts[1] <= 20


def test_lesson_blocks_render_video_as_link_case_study_card_and_peers(client, course, case_study):
    module = course.get_children().first()
    lesson = LessonPageFactory(
        parent=module,
        body=[
            {
                "type": "video",
                "value": {
                    "url": "https://video.example.org/rti",
                    "title": "How the law was won",
                    "transcript": "We **met** the committee.",
                },
            },
            {"type": "case_study", "value": case_study.pk},
            {"type": "takeaway", "value": {"text": "Coalitions matter."}},
            {"type": "peers", "value": {"theme": "access-to-information", "goal": "RTI law"}},
        ],
    )
    html = soup(client.get(lesson.url))
    assert not html.select("main iframe, main video, main script")  # a link, not an embed
    video = html.select_one(".video a")
    assert video["href"] == "https://video.example.org/rti"
    assert html.select_one(".video__transcript strong").get_text() == "met"
    assert html.select_one(".lesson-case-study .card__title a").get_text() == case_study.title
    assert "Coalitions matter." in html.select_one(".takeaway").get_text()
    assert (
        html.select_one(".peers-panel a")["href"] == "/peers/?theme=access-to-information&q=RTI+law"
    )


def test_unpublished_case_study_card_is_not_shown(client, course, case_study):
    module = course.get_children().first()
    lesson = LessonPageFactory(parent=module, body=[{"type": "case_study", "value": case_study.pk}])
    case_study.unpublish()
    html = soup(client.get(lesson.url))
    assert not html.select(".lesson-case-study")


@pytest.fixture
def case_study(case_study_index):
    return CaseStudyPageFactory(parent=case_study_index, title="Kenya's Access to Information Act")


# --- Quizzes through the page ------------------------------------------------------------


def test_quiz_gives_per_question_feedback_with_explanations(
    learner_client, enrollment, quiz_lesson
):
    response = learner_client.post(quiz_url(quiz_lesson), {"q0": "0", "q1": ["0", "2"]})
    assert response["Location"] == f"{quiz_lesson.url}#quiz-{QUIZ_ID}"
    response = learner_client.get(response["Location"])
    html = soup(response)
    assert any("You passed: 1 of 2 right (50%; pass mark 50%)" in m for m in messages_of(response))
    result = html.select_one(".quiz-result")
    assert "Your last attempt: 50% — passed" in result.get_text()
    items = result.select(".feedback__item")
    assert items[0].select_one("strong").get_text() == "Not right:"
    assert (
        "The Independent Reporting Mechanism"
        in items[0].select_one(".feedback__explanation").get_text()
    )
    assert items[1].select_one("strong").get_text() == "Right:"
    attempt = QuizAttempt.objects.get()
    assert (attempt.score, attempt.passed, attempt.quiz_id) == (50, True, QUIZ_ID)


def test_quiz_resubmission_records_a_new_attempt_and_shows_best_and_last(
    learner_client, enrollment, quiz_lesson
):
    learner_client.post(quiz_url(quiz_lesson), {"q0": "1", "q1": ["0", "2"]})
    learner_client.post(quiz_url(quiz_lesson), {"q0": "0", "q1": ["1"]})
    assert QuizAttempt.objects.count() == 2
    html = soup(learner_client.get(quiz_lesson.url))
    quiz = html.select_one(f"#quiz-{QUIZ_ID}")
    assert "2 attempts, best score 100%" in quiz.get_text()
    assert "Your last attempt: 0% — not passed yet" in quiz.get_text()
    assert "You passed this quiz in an earlier attempt" in quiz.get_text()
    assert quiz.select_one("button").get_text() == "Submit a new attempt"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"q0": "7", "q1": "0"}, "not one of its choices"),
        ({"q0": "1", "q1": "0", "q5": "0"}, "not in this quiz"),
        ({"q0": "one", "q1": "0"}, "could not be read"),
        ({"q0": ["0", "1"], "q1": "0"}, "takes one answer only"),
        ({"q0": "1"}, "Answer every question"),
    ],
)
def test_tampered_or_incomplete_quiz_forms_get_a_message_and_save_nothing(
    learner_client, enrollment, quiz_lesson, data, message
):
    response = learner_client.post(quiz_url(quiz_lesson), data, follow=True)
    assert any(message in m and "Nothing was recorded" in m for m in messages_of(response))
    assert not QuizAttempt.objects.exists()


def test_quiz_id_of_another_lesson_is_refused(learner_client, enrollment, lessons):
    response = learner_client.post(quiz_url(lessons[0]), {"q0": "1", "q1": "0"}, follow=True)
    assert any("not part of this lesson" in m for m in messages_of(response))
    assert not QuizAttempt.objects.exists()


def test_quiz_of_a_course_i_am_not_enrolled_in_is_refused(learner_client, enrollment, course_index):
    other = make_course(course_index, title="Another course")
    lesson = progress.course_lessons(other)[-1]
    response = learner_client.post(quiz_url(lesson), {"q0": "1", "q1": "0"}, follow=True)
    assert any("Enrol in “Another course”" in m for m in messages_of(response))
    assert not QuizAttempt.objects.exists()


def test_quiz_route_accepts_only_post(learner_client, enrollment, quiz_lesson):
    assert learner_client.get(quiz_url(quiz_lesson)).status_code == 405


def test_finishing_the_course_through_the_pages_announces_the_certificate(
    learner_client, enrollment, lessons, quiz_lesson
):
    for lesson in lessons:
        learner_client.post(lesson.url + "complete/")
    response = learner_client.post(
        quiz_url(quiz_lesson), {"q0": "1", "q1": ["0", "2"]}, follow=True
    )
    assert any("Your certificate is ready" in m for m in messages_of(response))
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None


def test_editor_can_preview_a_lesson_in_the_admin(client, editor, quiz_lesson):
    client.force_login(editor)
    response = client.get(f"/admin/pages/{quiz_lesson.pk}/view_draft/")
    assert response.status_code == 200
    assert b"Who rates OGP commitments?" in response.content


def test_learner_cannot_open_the_admin(learner_client):
    response = learner_client.get("/admin/")
    assert response.status_code in (302, 403)
    assert not UserFactory._meta.model.objects.get(username="amina").has_perm(
        "wagtailadmin.access_admin"
    )


def test_find_peers_button_of_a_lesson_opens_the_peers_form_not_an_error(client, course):
    theme = ThemeFactory(slug="beneficial-ownership", name="Beneficial ownership")
    lesson = LessonPageFactory(
        parent=course.get_children().first(),
        body=[{"type": "peers", "value": {"theme": theme.slug, "goal": "public register"}}],
    )
    link = soup(client.get(lesson.url)).select_one(".peers-panel a")["href"]
    response = client.get(link)
    assert response.status_code == 200
    form = soup(response).select_one("main form")
    assert form.select_one("select[name=country]")  # it asks for the country it lacks
    assert form.select_one("[name=q]")["value"] == "public register"  # and keeps the goal

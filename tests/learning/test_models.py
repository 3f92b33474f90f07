"""Learning models: where pages live, and the rules the database enforces."""

import pytest
from django.db import IntegrityError, transaction
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.models import Page

from exchange.models import HomePage
from exchange.page_tree import ensure_page_tree
from learning.blocks import QuizQuestionBlock
from learning.factories import CertificateFactory, LessonPageFactory, quiz_block
from learning.models import (
    Certificate,
    CourseIndexPage,
    CoursePage,
    Enrollment,
    LessonPage,
    LessonProgress,
    ModulePage,
    new_certificate_code,
)
from learning.models.progress import CERTIFICATE_ALPHABET

pytestmark = pytest.mark.django_db


# --- Page tree ---------------------------------------------------------------------------


def test_course_pages_nest_index_course_module_lesson():
    assert CourseIndexPage.allowed_parent_page_models() == [HomePage]
    assert CourseIndexPage.allowed_subpage_models() == [CoursePage]
    assert CoursePage.allowed_parent_page_models() == [CourseIndexPage]
    assert CoursePage.allowed_subpage_models() == [ModulePage]
    assert ModulePage.allowed_parent_page_models() == [CoursePage]
    assert ModulePage.allowed_subpage_models() == [LessonPage]
    assert LessonPage.allowed_parent_page_models() == [ModulePage]
    assert LessonPage.allowed_subpage_models() == []


def test_home_page_allows_the_course_index_and_root_does_not():
    assert CourseIndexPage in HomePage.allowed_subpage_models()
    assert CourseIndexPage not in Page.allowed_subpage_models()


def test_page_tree_has_one_live_course_index_at_courses(home, client):
    ensure_page_tree()  # a second run changes nothing
    index = CourseIndexPage.objects.get()
    assert (index.slug, index.title, index.live) == ("courses", "Courses", True)
    assert index.get_parent().specific == home
    assert not CourseIndexPage.can_create_at(home)
    assert client.get("/courses/").status_code == 200


def test_every_learning_page_type_is_searchable_in_the_admin():
    for model in (CourseIndexPage, CoursePage, ModulePage, LessonPage):
        names = {getattr(field, "field_name", None) for field in model.search_fields}
        assert "title" in names


# --- Constraints -------------------------------------------------------------------------


def test_database_refuses_a_second_enrolment_in_the_same_course(learner, course):
    Enrollment.objects.create(user=learner, course=course)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(user=learner, course=course)
    assert Enrollment.objects.count() == 1


def test_database_refuses_recording_a_lesson_twice(enrollment, lessons):
    LessonProgress.objects.create(enrollment=enrollment, lesson=lessons[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        LessonProgress.objects.create(enrollment=enrollment, lesson=lessons[0])


def test_database_refuses_a_second_certificate_for_one_enrolment(enrollment):
    CertificateFactory(enrollment=enrollment)
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateFactory(enrollment=enrollment)


def test_database_refuses_two_certificates_with_the_same_code(enrollment, other_learner, course):
    CertificateFactory(enrollment=enrollment, code="ABCDEFGHJKMNPQRS")
    other = Enrollment.objects.create(user=other_learner, course=course)
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateFactory(enrollment=other, code="ABCDEFGHJKMNPQRS")


def test_certificate_codes_are_16_unambiguous_characters():
    codes = {new_certificate_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 16
        assert set(code) <= set(CERTIFICATE_ALPHABET)
        assert not set(code) & set("0O1IL")


def test_certificate_keeps_name_and_title_when_the_course_is_renamed(enrollment, course):
    certificate = CertificateFactory(
        enrollment=enrollment, learner_name="Amina Okafor", course_title=course.title
    )
    course.title = "A new title"
    course.save_revision().publish()
    certificate.refresh_from_db()
    assert certificate.course_title == "Making commitments transformative"
    assert certificate.display_code.count("-") == 3


def test_deleting_a_lesson_removes_its_progress_rows_only(enrollment, lessons):
    for lesson in lessons:
        LessonProgress.objects.create(enrollment=enrollment, lesson=lesson)
    lessons[0].delete()
    assert LessonProgress.objects.filter(enrollment=enrollment).count() == 2


def test_deleting_a_course_removes_its_enrolments(enrollment, course):
    course.delete()
    assert not Enrollment.objects.exists()
    assert not Certificate.objects.exists()


# --- Quiz blocks -------------------------------------------------------------------------


def quiz_question_value(kind, correct_flags):
    block = QuizQuestionBlock()
    return block.to_python(
        {
            "text": "Which?",
            "kind": kind,
            "choices": [{"text": f"choice {i}", "correct": c} for i, c in enumerate(correct_flags)],
            "explanation": "Because.",
        }
    )


def test_quiz_question_needs_a_correct_choice():
    with pytest.raises(StructBlockValidationError):
        QuizQuestionBlock().clean(quiz_question_value("single", [False, False]))


def test_one_answer_question_cannot_have_two_correct_choices():
    with pytest.raises(StructBlockValidationError):
        QuizQuestionBlock().clean(quiz_question_value("single", [True, True]))
    QuizQuestionBlock().clean(quiz_question_value("multiple", [True, True, False]))


def test_quizzes_keep_their_block_id_across_an_edit(course):
    module = ModulePage.objects.child_of(course).first()
    lesson = LessonPageFactory(parent=module, body=[quiz_block(block_id="kept-id")])
    lesson.title = "Edited title"
    lesson.save_revision().publish()
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.quiz_ids() == ["kept-id"]
    assert lesson.quizzes()[0][1]["pass_mark"] == 70


def test_a_course_cannot_require_itself_even_indirectly(course_index):
    from learning.models.pages import creates_prerequisite_cycle
    from tests.learning.conftest import make_course

    basics = make_course(course_index, title="Basics")
    middle = make_course(course_index, title="Middle", prerequisites=[basics])
    advanced = make_course(course_index, title="Advanced", prerequisites=[middle])
    assert creates_prerequisite_cycle(basics.pk, [basics.pk])
    assert creates_prerequisite_cycle(basics.pk, [advanced.pk])
    assert not creates_prerequisite_cycle(advanced.pk, [basics.pk])


def test_admin_refuses_a_prerequisite_cycle(client, editor, course_index):
    from wagtail.test.utils.form_data import nested_form_data

    from tests.learning.conftest import make_course

    basics = make_course(course_index, title="Basics")
    advanced = make_course(course_index, title="Advanced", prerequisites=[basics])
    client.force_login(editor)
    data = nested_form_data(
        {
            "title": "Basics",
            "slug": basics.slug,
            "summary": "Start here.",
            "level": "introductory",
            "duration_hours": "2",
            "outcomes": "",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
        }
    )
    data["prerequisites"] = [advanced.pk]
    response = client.post(f"/admin/pages/{basics.pk}/edit/", data)
    assert response.status_code == 200
    assert b"cannot require itself" in response.content
    assert not CoursePage.objects.get(pk=basics.pk).prerequisites.exists()
    data["prerequisites"] = []
    assert client.post(f"/admin/pages/{basics.pk}/edit/", data).status_code == 302

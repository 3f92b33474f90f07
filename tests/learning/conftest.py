"""Shared learning fixtures: a small course with a quiz, learners, an enrolment."""

import pytest

from learning.factories import (
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    UserFactory,
    markdown_block,
    question,
    quiz_block,
)
from learning.models import CourseIndexPage, Enrollment, LessonPage

QUIZ_ID = "quiz-0001"


def quiz_questions():
    """Question 0: one answer (choice 1 is right). Question 1: several (0 and 2 are right)."""
    return [
        question(
            "Who rates OGP commitments?",
            choices=[("The World Bank", False), ("The IRM", True), ("Parliament", False)],
            explanation="The Independent Reporting Mechanism assesses every action plan.",
        ),
        question(
            "What makes a commitment starred?",
            kind="multiple",
            choices=[
                ("Transformative potential", True),
                ("A big budget", False),
                ("Substantial completion", True),
            ],
            explanation="A star needs ambition and delivery, not money.",
        ),
    ]


@pytest.fixture
def course_index(home):
    return CourseIndexPage.objects.get()


def make_course(parent, title="Making commitments transformative", **kwargs):
    """Two modules: lessons 1 and 2, then lesson 3 with a two-question quiz (pass mark 50)."""
    course = CoursePageFactory(parent=parent, title=title, **kwargs)
    first = ModulePageFactory(parent=course, title="What the IRM measures")
    LessonPageFactory(parent=first, title="Specificity and ambition", body=[markdown_block()])
    LessonPageFactory(parent=first, title="Completion", body=[markdown_block()])
    second = ModulePageFactory(parent=course, title="Putting it together")
    LessonPageFactory(
        parent=second,
        title="Reading an IRM report",
        body=[markdown_block(), quiz_block(*quiz_questions(), pass_mark=50, block_id=QUIZ_ID)],
    )
    return course


@pytest.fixture
def course(course_index):
    return make_course(course_index)


@pytest.fixture
def lessons(course):
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


@pytest.fixture
def quiz_lesson(lessons):
    return lessons[-1]


@pytest.fixture
def learner(db):
    return UserFactory(username="amina", first_name="Amina", last_name="Okafor")


@pytest.fixture
def other_learner(db):
    return UserFactory(username="tomas", first_name="Tomás", last_name="Rivera")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def enrollment(learner, course):
    return Enrollment.objects.create(user=learner, course=course)


RIGHT_ANSWERS = {"0": [1], "1": [0, 2]}

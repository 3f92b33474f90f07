"""Factories for courses, lessons and quizzes (tests, and anything needing a course quickly).

Lesson bodies are written in StreamField's raw JSON form, the same shape the
course importer writes; `quiz_block(...)` builds a quiz with a fixed block id
so tests can post to `quiz/<id>/`.
"""

import datetime as dt
import uuid

import factory
import wagtail_factories
from django.utils import timezone
from factory.django import DjangoModelFactory

from learning.models import (
    Certificate,
    CourseIndexPage,
    CourseLevel,
    CoursePage,
    Enrollment,
    FellowshipPage,
    LessonPage,
    LessonProgress,
    ModulePage,
    new_certificate_code,
)


def question(
    text="Which of these is right?",
    *,
    kind="single",
    choices=(("The right answer", True), ("A wrong answer", False)),
    explanation="Because the evidence says so.",
) -> dict:
    return {
        "text": text,
        "kind": kind,
        "choices": [{"text": label, "correct": correct} for label, correct in choices],
        "explanation": explanation,
    }


def quiz_block(*questions, title="Check your understanding", pass_mark=70, block_id=None):
    """A raw `quiz` StreamField block; one single-choice question unless given."""
    return {
        "type": "quiz",
        "id": block_id or str(uuid.uuid4()),
        "value": {
            "title": title,
            "pass_mark": pass_mark,
            "questions": list(questions) or [question()],
        },
    }


def markdown_block(text="Reformers in **Kenya** used the access to information law."):
    return {"type": "markdown", "id": str(uuid.uuid4()), "value": text}


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CourseIndexPage

    title = "Courses"
    slug = "courses"


class CoursePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CoursePage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Course {n}: open government in practice")
    summary = factory.Faker("sentence", nb_words=16)
    level = CourseLevel.INTRODUCTORY
    duration_hours = 2
    outcomes = "- Explain what makes a commitment transformative\n- Find peers who did it"

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if extracted:
            self.themes.set(extracted)
            if create:
                self.save()

    @factory.post_generation
    def prerequisites(self, create, extracted, **kwargs):
        if extracted:
            self.prerequisites.set(extracted)
            if create:
                self.save()


class FellowshipPageFactory(wagtail_factories.PageFactory):
    """An open fellowship (deadline a year ahead) hosted in the country given."""

    class Meta:
        model = FellowshipPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Fellowship {n}: learning from a peer register")
    summary = factory.Faker("sentence", nb_words=16)
    host_institution = "Companies House"
    duration_weeks = 4
    start_date = factory.LazyFunction(lambda: (timezone.now() + dt.timedelta(days=400)).date())
    end_date = factory.LazyFunction(lambda: (timezone.now() + dt.timedelta(days=428)).date())
    application_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=365))
    eligibility = "- You lead a reform on this theme."
    what_you_will_do = "- Work alongside the team that did it."
    criteria = factory.LazyFunction(
        lambda: [("criterion", "Relevance of the reform"), ("criterion", "Ability to apply it")]
    )

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if extracted:
            self.themes.set(extracted)
            if create:
                self.save()


class ModulePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Module {n}")
    summary = factory.Faker("sentence", nb_words=10)


class LessonPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lesson {n}")
    summary = factory.Faker("sentence", nb_words=10)
    estimated_minutes = 10
    body = factory.LazyFunction(lambda: [markdown_block()])


class EnrollmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrollment

    user = factory.SubFactory("learning.factories.UserFactory")
    course = factory.SubFactory(CoursePageFactory)


class LessonProgressFactory(DjangoModelFactory):
    class Meta:
        model = LessonProgress

    enrollment = factory.SubFactory(EnrollmentFactory)
    lesson = factory.SubFactory(LessonPageFactory)


class CertificateFactory(DjangoModelFactory):
    class Meta:
        model = Certificate

    enrollment = factory.SubFactory(EnrollmentFactory)
    code = factory.LazyFunction(new_certificate_code)
    learner_name = factory.Faker("name")
    course_title = factory.LazyAttribute(lambda o: o.enrollment.course.title)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "pw-learner-1")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


def build_course(parent, *, modules=2, lessons_per_module=2, quiz_in_last_lesson=True, **kwargs):
    """A live course with modules and lessons; the last lesson ends with a quiz."""
    course = CoursePageFactory(parent=parent, **kwargs)
    for m in range(modules):
        module = ModulePageFactory(parent=course, title=f"{course.title} module {m + 1}")
        for n in range(lessons_per_module):
            last = m == modules - 1 and n == lessons_per_module - 1
            body = [markdown_block()]
            if last and quiz_in_last_lesson:
                body.append(quiz_block())
            LessonPageFactory(parent=module, title=f"{module.title} lesson {n + 1}", body=body)
    return course

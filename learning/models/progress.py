"""A learner's progress: plain models, with the rules enforced by the database.

Progress points at lesson pages (not at their content), so editing a published
course keeps what learners did on the lessons that are still there; a deleted
lesson takes its progress rows with it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

# No 0/O, 1/I/L: codes are read aloud and typed from paper.
CERTIFICATE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CERTIFICATE_CODE_LENGTH = 16


def new_certificate_code() -> str:
    return "".join(secrets.choice(CERTIFICATE_ALPHABET) for _ in range(CERTIFICATE_CODE_LENGTH))


class Enrollment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(
        "learning.CoursePage", on_delete=models.CASCADE, related_name="enrollments"
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="unique_enrollment")]
        permissions = [
            ("view_course_report", "Can see course enrolment and completion figures"),
        ]

    def __str__(self):
        return f"{self.user} in {self.course_id}"


class LessonProgress(models.Model):
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(
        "learning.LessonPage", on_delete=models.CASCADE, related_name="progress"
    )
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson"], name="unique_lesson_progress")
        ]
        verbose_name_plural = "lesson progress"

    def __str__(self):
        return f"lesson {self.lesson_id} done in enrolment {self.enrollment_id}"


class QuizAttempt(models.Model):
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    lesson = models.ForeignKey(
        "learning.LessonPage", on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz_id = models.CharField(max_length=64, help_text="The quiz's StreamField block id.")
    answers = models.JSONField(help_text='{"question index": [choice indexes]}')
    score = models.PositiveSmallIntegerField(help_text="Percentage of right answers.")
    passed = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["enrollment", "lesson", "quiz_id"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(score__lte=100), name="quiz_score_percent")
        ]

    def __str__(self):
        return f"quiz {self.quiz_id}: {self.score}% ({'passed' if self.passed else 'not passed'})"


class Certificate(models.Model):
    """Proof of completion; the name and title are kept as they were on the day."""

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(max_length=CERTIFICATE_CODE_LENGTH, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    learner_name = models.CharField(max_length=300)
    course_title = models.CharField(max_length=255)

    def __str__(self):
        return f"{self.code}: {self.learner_name}, {self.course_title}"

    def get_absolute_url(self):
        return reverse("learning:certificate", args=[self.code])

    @property
    def display_code(self) -> str:
        """The code in groups of four, easier to read and type."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

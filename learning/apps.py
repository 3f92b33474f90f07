from django.apps import AppConfig


class LearningConfig(AppConfig):
    """Courses, lessons, quizzes, progress and certificates; fellowships (to come)."""

    name = "learning"

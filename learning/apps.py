from django.apps import AppConfig


class LearningConfig(AppConfig):
    """Courses, lessons, quizzes, progress and certificates; accounts; fellowships and peer
    introductions (sub-packages: one app, label `learning`)."""

    name = "learning"

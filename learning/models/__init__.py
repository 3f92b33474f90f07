from learning.models.pages import (
    CourseIndexPage,
    CourseLevel,
    CoursePage,
    LessonPage,
    ModulePage,
)
from learning.models.progress import (
    Certificate,
    Enrollment,
    LessonProgress,
    QuizAttempt,
    new_certificate_code,
)

__all__ = [
    "Certificate",
    "CourseIndexPage",
    "CourseLevel",
    "CoursePage",
    "Enrollment",
    "LessonPage",
    "LessonProgress",
    "ModulePage",
    "QuizAttempt",
    "new_certificate_code",
]

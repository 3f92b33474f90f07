from learning.models.fellowships import (
    ApplicationScore,
    ApplicationStatus,
    FellowshipApplication,
    FellowshipIndexPage,
    FellowshipPage,
    FellowshipStatus,
)
from learning.models.introductions import (
    IntroductionEvent,
    IntroductionRequest,
    IntroductionStatus,
)
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
    "ApplicationScore",
    "ApplicationStatus",
    "Certificate",
    "CourseIndexPage",
    "CourseLevel",
    "CoursePage",
    "Enrollment",
    "FellowshipApplication",
    "FellowshipIndexPage",
    "FellowshipPage",
    "FellowshipStatus",
    "IntroductionEvent",
    "IntroductionRequest",
    "IntroductionStatus",
    "LessonPage",
    "LessonProgress",
    "ModulePage",
    "QuizAttempt",
    "new_certificate_code",
]

"""Every model of the `learning` app, where Django looks for them: the courses' here
(pages.py, progress.py), the fellowships' and introductions' in their sub-packages."""

from learning.fellowships.choices import ApplicationStatus, FellowshipStatus
from learning.fellowships.models import (
    ApplicationScore,
    FellowshipApplication,
    FellowshipIndexPage,
    FellowshipPage,
)
from learning.introductions.choices import IntroductionStatus
from learning.introductions.models import IntroductionEvent, IntroductionRequest
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

"""A learner reading in French or Spanish stays in that language through a course that has no
translation yet (served in English under /fr/ with a notice): its links, the login it asks
for, and the redirects after enrolling, completing a lesson or answering a quiz."""

import pytest
from bs4 import BeautifulSoup

from learning.models import LessonProgress, ModulePage
from tests.learning.conftest import QUIZ_ID, RIGHT_ANSWERS


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def main_links(response) -> list[str]:
    return [a["href"] for a in soup(response).select("main a[href^='/']")]


def messages_of(response) -> list[str]:
    return [p.get_text(" ", strip=True) for p in soup(response).select("main .notice[role=status]")]


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_link_of_an_untranslated_course_stays_in_the_language(
    client, course, lessons, language
):
    module = ModulePage.objects.child_of(course).first()
    for page in (course, module, lessons[0], lessons[1]):
        response = client.get(f"/{language}{page.url}")
        assert response.status_code == 200
        links = main_links(response)
        assert links, page.url
        assert [link for link in links if not link.startswith(f"/{language}/")] == []


def test_the_course_cards_of_the_french_listing_open_in_french(client, course):
    response = client.get(f"/fr{course.get_parent().url}")
    cards = soup(response).select(".course-card .card__title a")
    assert [a["href"] for a in cards] == [f"/fr{course.url}"]


def test_logging_in_to_enrol_is_asked_in_french_and_comes_back_to_the_french_course(client, course):
    link = soup(client.get(f"/fr{course.url}")).find(
        "a", string="Connectez-vous pour vous inscrire"
    )
    assert link["href"] == f"/fr/accounts/login/?next=/fr{course.url}"
    response = client.post(f"/fr{course.url}enrol/")
    assert response["Location"] == f"/fr/accounts/login/?next=/fr{course.url}"


def test_after_logging_in_in_french_the_dashboard_is_french(client, home, django_user_model):
    django_user_model.objects.create_user("ana@example.org", "ana@example.org", "Pw-ana-2026")
    response = client.post(
        "/fr/accounts/login/", {"username": "ana@example.org", "password": "Pw-ana-2026"}
    )
    assert response["Location"] == "/fr/accounts/dashboard/"


def test_enrolling_and_completing_lessons_in_spanish_stays_in_spanish(
    learner_client, course, lessons
):
    enrolled = learner_client.post(f"/es{course.url}enrol/")
    assert enrolled["Location"] == f"/es{course.url}"
    done = learner_client.post(f"/es{lessons[0].url}complete/", follow=True)
    assert done.redirect_chain[0][0] == f"/es{lessons[1].url}"
    assert LessonProgress.objects.filter(lesson=lessons[0]).exists()
    assert f"Lección «{lessons[0].title}» marcada como terminada." in messages_of(done)


def test_a_quiz_answered_in_french_comes_back_to_the_french_lesson(
    learner_client, enrollment, quiz_lesson
):
    response = learner_client.post(f"/fr{quiz_lesson.url}quiz/{QUIZ_ID}/", answers(RIGHT_ANSWERS))
    assert response["Location"] == f"/fr{quiz_lesson.url}#quiz-{QUIZ_ID}"


def answers(chosen: dict[str, list[int]]) -> dict[str, list[str]]:
    return {
        f"q{question}": [str(choice) for choice in choices] for question, choices in chosen.items()
    }


@pytest.mark.parametrize(
    ("language", "level"), [("en", "Advanced"), ("fr", "Avancé"), ("es", "Avanzado")]
)
def test_a_courses_level_reads_in_the_language_on_its_page_card_and_filter(
    client, course, language, level
):
    course.level = "advanced"
    course.save_revision().publish()
    prefix = "" if language == "en" else f"/{language}"
    page = soup(client.get(f"{prefix}{course.url}"))
    assert page.select_one(".course-facts dd, dl dd").get_text(strip=True) == level
    listing = soup(client.get(f"{prefix}{course.get_parent().url}"))
    assert listing.select_one(".course-card .card__meta").get_text().startswith(level)
    assert level in [option.get_text() for option in listing.select("select[name=level] option")]


def translate(page, language_code: str, title: str):
    from wagtail.models import Locale

    locale = Locale.objects.get_or_create(language_code=language_code)[0]
    translation = page.copy_for_translation(locale, copy_parents=True)
    translation.title = title
    translation.save_revision().publish()
    return translation


def test_the_french_dashboard_names_a_course_in_french_and_opens_the_english_one_followed(
    learner_client, enrollment, course, lessons
):
    translate(course, "fr", "Rendre les engagements transformateurs")
    translate(lessons[0], "fr", "Précision et ambition")

    page = soup(learner_client.get("/fr/accounts/dashboard/"))

    title = page.select_one(".enrolment .card__title")
    assert title.get_text(strip=True) == "Rendre les engagements transformateurs"
    assert title.get("lang") is None
    # The French version is a page of its own, without this learner's progress: the links
    # open the English one they enrolled in, and the dashboard says so.
    assert title.a["href"] == course.url
    assert title.a["hreflang"] == "en"
    continue_link = page.select_one(".enrolment__next a")
    assert continue_link["href"] == lessons[0].url
    assert "Suivant : Précision et ambition" in page.select_one(".enrolment__next").get_text(" ")
    assert "Vous suivez ce cours en anglais" in page.select_one(".taken-in").get_text()
    # English readers still read the English course, with nothing to explain.
    english = soup(learner_client.get("/accounts/dashboard/"))
    assert english.select_one(".enrolment .card__title").get_text(strip=True) == course.title
    assert english.select_one(".enrolment .card__title a")["href"] == course.url
    assert english.select_one(".taken-in") is None


def test_a_course_followed_in_french_opens_in_french_from_the_english_dashboard(
    learner, learner_client, course, lessons
):
    from learning.models import Enrollment

    french_course = translate(course, "fr", "Rendre les engagements transformateurs")
    french_lesson = translate(lessons[0], "fr", "Précision et ambition")
    Enrollment.objects.create(user=learner, course=french_course)

    page = soup(learner_client.get("/accounts/dashboard/"))

    title = page.select_one(".enrolment .card__title")
    assert title.get_text(strip=True) == "Rendre les engagements transformateurs"
    assert title["lang"] == "fr"
    assert title.a["href"] == french_course.url
    assert title.a["href"].startswith("/fr/")
    assert page.select_one(".enrolment__next a")["href"] == french_lesson.url
    assert "You are taking this course in French" in page.select_one(".taken-in").get_text()


def test_the_spanish_dashboard_marks_an_untranslated_course_title_as_english(
    learner_client, enrollment, course
):
    page = soup(learner_client.get("/es/accounts/dashboard/"))
    title = page.select_one(".enrolment .card__title")
    assert title.get_text(strip=True) == course.title
    assert title["lang"] == "en"
    # No Spanish version: the enrolled course itself is served under /es/, in Spanish.
    assert title.a["href"] == f"/es{course.url}"
    assert page.select_one(".taken-in") is None


def test_an_untranslated_lessons_text_and_quiz_are_marked_english_and_its_interface_french(
    learner_client, enrollment, quiz_lesson
):
    page = soup(learner_client.get(f"/fr{quiz_lesson.url}"))

    assert page.main.get("lang") is None
    assert page.h1["lang"] == "en"
    assert page.select_one(".lesson__body")["lang"] == "en"
    quiz = page.select_one(".quiz")
    assert quiz["lang"] == "fr"  # its buttons and counts are French again
    assert quiz.select_one("button").get_text() == "Envoyer les réponses"
    assert quiz.h2["lang"] == "en"
    assert {label["lang"] for label in quiz.select("label")} == {"en"}
    # "Question 1 :" is French; the question the editors wrote, English.
    legend = quiz.select_one("legend")
    assert legend.get_text().startswith("Question 1 : ")
    assert legend.span["lang"] == "en"
    quiz_block = next(block for block in quiz_lesson.body if block.block_type == "quiz")
    assert legend.span.get_text() == quiz_block.value["questions"][0]["text"]
    assert page.select_one("a[rel=prev] span")["lang"] == "en"


def test_an_untranslated_courses_module_headings_mark_only_the_module_title_english(client, course):
    module = ModulePage.objects.child_of(course).first()
    heading = soup(client.get(f"/fr{course.url}")).select_one(".module h3 a")

    assert heading.get_text() == f"Module 1 : {module.title}"
    assert heading.span["lang"] == "en"
    assert heading.span.get_text() == module.title
    english = soup(client.get(course.url)).select_one(".module h3 a")
    assert english.get_text() == f"Module 1: {module.title}"
    assert english.span is None


def test_an_english_lesson_marks_no_part_of_itself(learner_client, enrollment, quiz_lesson):
    assert soup(learner_client.get(quiz_lesson.url)).select("main [lang]") == []


def test_a_french_course_page_names_its_prerequisites_in_french_where_translated(
    client, course, course_index
):
    from wagtail.models import Locale

    from tests.learning.conftest import make_course

    basics = make_course(course_index, title="Open government basics", slug="basics")
    ethics = make_course(course_index, title="Integrity for beginners", slug="integrity")
    course.prerequisites.set([basics, ethics])
    course.save_revision().publish()
    french = Locale.objects.get_or_create(language_code="fr")[0]
    translation = basics.copy_for_translation(french, copy_parents=True)
    translation.title = "Les bases du gouvernement ouvert"
    translation.save_revision().publish()

    links = soup(client.get(f"/fr{course.url}")).select(".facts__prerequisites a")

    assert [(a.get_text(), a.get("lang")) for a in links] == [  # in the order of English titles
        ("Integrity for beginners", "en"),
        ("Les bases du gouvernement ouvert", None),
    ]


# A translated course is a page of its own, with its own enrolments.


@pytest.fixture
def french_course(course):
    from wagtail.models import Locale

    french = Locale.objects.get_or_create(language_code="fr")[0]
    translation = course.copy_for_translation(french, copy_parents=True)
    translation.title = "Rendre les engagements transformateurs"
    translation.save_revision().publish()
    return translation


def test_a_learner_enrolled_in_english_is_sent_back_to_their_progress_from_the_french_version(
    learner_client, enrollment, course, lessons, french_course
):
    from wagtail.models import Locale

    notice = soup(learner_client.get(french_course.url)).select_one(".enrolled-elsewhere")
    assert notice.get_text(" ", strip=True).startswith(
        "Vous êtes inscrit à ce cours en anglais : votre progression"
    )
    assert notice.a["href"] == course.url and notice.a.get_text() == "Continuer en anglais"

    french = Locale.objects.get(language_code="fr")
    french_lesson = lessons[1].copy_for_translation(french, copy_parents=True)
    french_lesson.save_revision().publish()
    lesson_page = soup(learner_client.get(french_lesson.url))
    assert lesson_page.select_one(".enrolled-elsewhere a")["href"] == lessons[1].url
    assert "Vous lisez en tant qu’invité" not in lesson_page.get_text()


def test_a_learner_enrolled_in_french_reading_the_english_course_is_told_so(
    learner_client, learner, course, french_course
):
    from learning.models import Enrollment

    Enrollment.objects.create(user=learner, course=french_course)

    notice = soup(learner_client.get(course.url)).select_one(".enrolled-elsewhere")
    assert notice.get_text(" ", strip=True).startswith("You are enrolled in this course in French")
    assert notice.a["href"] == french_course.url


def test_nobody_enrolled_in_any_version_is_told_nothing_of_the_kind(
    learner_client, course, french_course
):
    assert soup(learner_client.get(french_course.url)).select(".enrolled-elsewhere") == []
    assert soup(learner_client.get(course.url)).select(".enrolled-elsewhere") == []

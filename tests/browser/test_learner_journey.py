"""A learner's whole journey, in a real Chromium: sign up → verify the address → log in →
enrol in a sample course → work through its lessons → pass the quiz → open the certificate →
log out → anyone can verify the certificate."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.learning.conftest import wait_out_retake

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COURSE = "Co-creating an action plan with civil society"
NAME = "Ana Reformer"
EMAIL = "ana.reformer@example.org"
PASSWORD = "Open-government-2026"
PHONE = {"width": 375, "height": 800}
VERIFY_LINK = re.compile(r"https?://[^/\s]+(/accounts/verify/[^/\s]+/)")
QUIZ_ACTION = re.compile(r"/quiz/([^/]+)/$")


@pytest.fixture
def sample_courses(published_site):
    """The published site plus the sample courses, as `make run` loads them."""
    folder = Path(settings.BASE_DIR) / "learning" / "sample_content"
    call_command("import_courses", folder, publish=True, verbosity=0)


def answer_key(course_title: str) -> dict[str, list[set[int]]]:
    """For each quiz of the course (by block id), the right choices of each question."""
    from learning.models import CoursePage
    from learning.progress import course_lessons

    course = CoursePage.objects.get(title=course_title)
    return {
        quiz_id: [
            {i for i, choice in enumerate(question["choices"]) if choice["correct"]}
            for question in quiz["questions"]
        ]
        for lesson in course_lessons(course)
        for quiz_id, quiz in lesson.quizzes()
    }


def answer(page: Page, quiz_id: str, choices_per_question: list[set[int]]) -> None:
    form = page.locator(f"form[action$='/quiz/{quiz_id}/']")
    for question, choices in enumerate(choices_per_question):
        for choice in choices:
            form.locator(f"#quiz-{quiz_id}-q{question}-c{choice}").check()
    form.get_by_role("button").click()


def wrong_answers(key: list[set[int]], page: Page, quiz_id: str) -> list[set[int]]:
    """Every question answered, every answer a wrong one where the question has one."""
    wrong = []
    for question, right in enumerate(key):
        choices = page.locator(f"[id^='quiz-{quiz_id}-q{question}-c']").count()
        wrong_choices = [c for c in range(choices) if c not in right]
        wrong.append({wrong_choices[0]} if wrong_choices else right)
    return wrong


def sign_up_and_verify(page: Page, base_url: str, artifacts_dir) -> None:
    page.goto(base_url + "/")
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    page.get_by_label("Your name").fill(NAME)
    page.get_by_label("Email address").fill(EMAIL.upper())
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.locator("main")).to_contain_text(f"We have sent a link to {EMAIL}")

    # The live server runs in this process: its locmem email backend fills mail.outbox.
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    link = VERIFY_LINK.search(mail.outbox[0].body).group(1)

    # Not verified yet: logging in explains why it cannot, and how to get a new link.
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Please verify your email address first")
    expect(page.get_by_role("link", name="Send me a new verification link")).to_be_visible()

    page.goto(base_url + link)
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("status")).to_contain_text("your email address is verified")
    screenshot(page, artifacts_dir, "learner-verified-login.png")


def test_learner_signs_up_completes_a_course_and_anyone_can_verify_the_certificate(
    sample_courses, live_server, page: Page, artifacts_dir
):
    key = answer_key(COURSE)
    assert key, "the sample course has a quiz"
    base_url = live_server.url

    sign_up_and_verify(page, base_url, artifacts_dir)

    # Log in: the address is already filled in after verifying.
    expect(page.get_by_label("Email address")).to_have_value(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/dashboard/$"))
    expect(page.locator(".empty")).to_contain_text("You have not enrolled in a course yet")
    account_nav = page.get_by_role("navigation", name="Your account")
    expect(account_nav.get_by_role("button", name="Log out")).to_be_visible()

    # Open the course from the course list and enrol.
    page.get_by_role("link", name="Browse the courses").click()
    expect(page).to_have_url(re.compile(r"/courses/$"))
    page.get_by_role("link", name=COURSE).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE)
    page.get_by_role("button", name="Enrol in this course").click()
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    page.locator(".continue-link").click()

    # Work through the lessons in order; the first quiz attempt is wrong, the second right.
    seen_lessons = []
    failed_once = False
    while len(seen_lessons) < 30:
        expect(page.locator("article.lesson h1")).to_be_visible()
        seen_lessons.append(page.locator("article.lesson h1").inner_text())
        for action in page.locator("form.quiz__form").evaluate_all(
            "forms => forms.map(form => form.getAttribute('action'))"
        ):
            quiz_id = QUIZ_ACTION.search(action).group(1)
            if not failed_once:
                answer(page, quiz_id, wrong_answers(key[quiz_id], page, quiz_id))
                result = page.locator(f"#quiz-{quiz_id} .quiz-result")
                expect(result).to_contain_text("not passed yet")
                expect(result.locator(".feedback__explanation").first).not_to_be_empty()
                expect(result).not_to_contain_text("(correct answer)")  # not before passing
                expect(page.locator(f"#quiz-{quiz_id} .quiz__wait")).to_contain_text(
                    "You can try this quiz again in"
                )
                screenshot(page, artifacts_dir, "learner-quiz-feedback.png")
                failed_once = True
                wait_out_retake()  # as if the learner came back after re-reading the lesson
                page.reload()
            answer(page, quiz_id, key[quiz_id])
            expect(page.locator(f"#quiz-{quiz_id} .quiz-result h3")).to_have_text(
                re.compile(r"Your last attempt: 100% — passed$")
            )
        page.get_by_role("button", name="Mark this lesson as done").click()
        expect(page.get_by_role("status").filter(has_text="is marked as done")).to_be_visible()
        if page.get_by_text("You have completed the course").count():
            break
    assert failed_once
    assert len(seen_lessons) == len(set(seen_lessons)) == 7  # each lesson once, in order

    # The dashboard shows the finished course and its certificate.
    account_nav.get_by_role("link", name="Dashboard").click()
    card = page.locator(".enrolment", has_text=COURSE)
    expect(card.locator("progress")).to_have_attribute("value", "100")
    expect(card).to_contain_text("7 of 7 lessons done · 100%")
    expect(card).to_contain_text("Completed on")
    verification_link = page.locator(".certificates a.verification-link")
    expect(verification_link).to_have_text(re.compile(r"^http://.+/certificates/[A-Z0-9]{16}/$"))
    verification_url = verification_link.inner_text()
    screenshot(page, artifacts_dir, "learner-dashboard.png")

    # On a phone, the dashboard fits the screen.
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, artifacts_dir, "learner-dashboard-mobile.png")
    page.set_viewport_size({"width": 1280, "height": 800})

    card.get_by_role("link", name=re.compile("Your certificate")).click()
    certificate = page.locator("article.certificate")
    expect(certificate.locator(".certificate__name")).to_have_text(NAME)
    expect(certificate.locator(".certificate__course")).to_contain_text(COURSE)
    screenshot(page, artifacts_dir, "learner-certificate.png")

    # Log out (a POST from the header), then verify the certificate as anyone would.
    account_nav.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have logged out")
    expect(account_nav.get_by_role("link", name="Log in")).to_be_visible()
    page.goto(base_url + "/accounts/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/accounts/dashboard/$"))

    page.goto(verification_url)
    expect(page.locator(".verification")).to_contain_text("Genuine certificate")
    expect(page.locator(".certificate__name")).to_have_text(NAME)
    expect(page.locator(".certificate__course")).to_contain_text(COURSE)
    expect(account_nav.get_by_role("link", name="Log in")).to_be_visible()
    screenshot(page, artifacts_dir, "learner-certificate-verified.png")

"""The per-course figures report and its CSV export: staff with the permission only."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission

from learning import progress
from learning.factories import CoursePageFactory, UserFactory
from learning.models import Enrollment
from tests.learning.conftest import QUIZ_ID, RIGHT_ANSWERS, make_course

pytestmark = pytest.mark.django_db

REPORT_URL = "/admin/reports/courses/"
CSV_URL = "/admin/reports/courses/export.csv"


@pytest.fixture
def figures(course_index, course, lessons, quiz_lesson):
    """Course: 3 enrolled, 1 completed. Another course: nobody enrolled."""
    users = [UserFactory(username=f"learner-{n}") for n in range(3)]
    for user in users:
        progress.enrol(user, course)
    enrollment = Enrollment.objects.get(user=users[0])
    for lesson in lessons:
        progress.complete_lesson(enrollment, lesson)
    progress.submit_quiz(enrollment, quiz_lesson, QUIZ_ID, RIGHT_ANSWERS)
    CoursePageFactory(parent=course_index, title='=HYPERLINK("http://evil")')
    return course


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_editor_sees_enrolment_completion_and_rate_per_course(client, editor, figures):
    client.force_login(editor)
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    rows = {
        tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")]
        for tr in html.select("tbody tr")
    }
    assert rows["Making commitments transformative"] == ["Live", "3", "1", "33%"]
    assert rows['=HYPERLINK("http://evil")'][1:] == ["0", "0", "—"]
    assert html.find("a", string="Download CSV")["href"] == CSV_URL
    assert "Amina" not in response.content.decode()  # aggregates only, no learner names


def test_csv_export_has_the_same_figures(client, editor, figures):
    client.force_login(editor)
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == ["Course", "Live", "Enrolled", "Completed", "Completion rate (%)"]
    assert ["Making commitments transformative", "yes", "3", "1", "33"] in rows
    # A title that a spreadsheet would run as a formula is written as text.
    assert ['\'=HYPERLINK("http://evil")', "yes", "0", "0", ""] in rows


def test_report_is_in_the_reports_menu_for_editors(client, editor, figures):
    client.force_login(editor)
    response = client.get("/admin/")
    assert REPORT_URL.encode() in response.content


@pytest.mark.parametrize("url", [REPORT_URL, CSV_URL])
def test_learner_never_reaches_the_report(client, learner, figures, url):
    client.force_login(learner)
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert b"Making commitments transformative" not in response.content


@pytest.mark.parametrize("url", [REPORT_URL, CSV_URL])
def test_anonymous_visitor_is_sent_to_the_admin_login(client, figures, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("url", [REPORT_URL, CSV_URL])
def test_staff_without_the_report_permission_is_refused(client, figures, url):
    user = UserFactory(username="admin-only")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(url)
    # Wagtail turns PermissionDenied in the admin into a redirect to the dashboard.
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert REPORT_URL.encode() not in client.get("/admin/").content


def test_moderators_have_the_report_permission(moderator, editor):
    assert moderator.has_perm("learning.view_course_report")
    assert editor.has_perm("learning.view_course_report")


def test_report_queries_do_not_grow_with_courses(client, editor, course_index):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)
    make_course(course_index, title="One")
    client.get(REPORT_URL)
    with CaptureQueriesContext(connection) as few:
        client.get(REPORT_URL)
    for n in range(5):
        make_course(course_index, title=f"More {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(REPORT_URL)
    assert len(many) == len(few)

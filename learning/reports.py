"""Per-course enrolment and completion figures for staff, on screen and as CSV.

Aggregates only: no learner is named here. Reaching it takes admin access and
the `learning.view_course_report` permission (Editors and Moderators have it).
"""

import csv
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from learning.models import CoursePage

PERMISSION = "learning.view_course_report"
CSV_HEADER = ["Course", "Live", "Enrolled", "Completed", "Completion rate (%)"]


@dataclass(frozen=True)
class CourseFigures:
    course: CoursePage
    enrolled: int
    completed: int

    @property
    def completion_rate(self) -> int | None:
        return round(100 * self.completed / self.enrolled) if self.enrolled else None


def course_figures() -> list[CourseFigures]:
    courses = CoursePage.objects.annotate(
        enrolled=Count("enrollments"),
        completed=Count("enrollments", filter=Q(enrollments__completed_at__isnull=False)),
    ).order_by("title", "pk")
    return [CourseFigures(course, course.enrolled, course.completed) for course in courses]


def _require_permission(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def course_report(request):
    _require_permission(request)
    return render(
        request,
        "learning/admin/course_report.html",
        {
            "rows": course_figures(),
            "page_title": "Courses: enrolment and completion",
            "header_icon": "table",
            "csv_url": reverse("learning_course_report_csv"),
        },
    )


def _cell(value) -> str:
    """Spreadsheet apps run cells starting with these as formulas: keep them text."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def course_report_csv(request):
    _require_permission(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"course-figures-{timezone.now():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in course_figures():
        writer.writerow(
            [
                _cell(row.course.title),
                "yes" if row.course.live else "no",
                row.enrolled,
                row.completed,
                "" if row.completion_rate is None else row.completion_rate,
            ]
        )
    return response

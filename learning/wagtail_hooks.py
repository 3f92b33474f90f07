"""The course figures report in the admin's Reports menu."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from learning import reports


@hooks.register("register_admin_urls")
def register_report_urls():
    # Wagtail wraps these in its admin-access check; the views check the report permission.
    return [
        path("reports/courses/", reports.course_report, name="learning_course_report"),
        path(
            "reports/courses/export.csv",
            reports.course_report_csv,
            name="learning_course_report_csv",
        ),
    ]


class CourseReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(reports.PERMISSION)


@hooks.register("register_reports_menu_item")
def register_course_report_menu_item():
    return CourseReportMenuItem(
        "Course figures", reverse("learning_course_report"), icon_name="table", order=700
    )

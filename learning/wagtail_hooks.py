"""Admin: course figures and learner records (Reports menu), fellowship applications,
peer introductions (the brokers' queue and the ratings report)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from learning import reports
from learning.fellowships import admin as fellowship_admin
from learning.introductions import admin as introduction_admin
from learning.models import Enrollment, FellowshipApplication, IntroductionRequest


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


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Records are looked at, never edited by hand: progress comes from the learner."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and self.user_has_permission(user, "view")


class EnrollmentViewSet(ModelViewSet):
    """Individual learners' records, read-only, for staff given `view_enrollment`.

    Learners' progress is personal data: no group gets this permission by default
    (Editors and Moderators see the aggregate report); a superuser grants it to the
    people who support learners.
    """

    model = Enrollment
    icon = "user"
    menu_label = "Learner records"
    menu_order = 710
    add_to_admin_menu = False
    inspect_view_enabled = True
    list_display = ["user", "course", "enrolled_at", "completed_at"]
    list_filter = ["course", "completed_at"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_export = ["user", "course", "enrolled_at", "completed_at"]
    form_fields = ["completed_at"]  # required by the viewset; editing is refused below
    search_backend_name = None

    def get_queryset(self, request):
        return Enrollment.objects.select_related("user", "course")


register_permission_policy(Enrollment, ReadOnlyPermissionPolicy(Enrollment))
enrollment_viewset = EnrollmentViewSet("learner_records")


@hooks.register("register_admin_viewset")
def register_enrollment_viewset():
    return enrollment_viewset


class LearnerRecordsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("learning.view_enrollment")


@hooks.register("register_reports_menu_item")
def register_learner_records_menu_item():
    return LearnerRecordsMenuItem(
        "Learner records", reverse("learner_records:index"), icon_name="user", order=710
    )


# Fellowship applications -----------------------------------------------------------


register_permission_policy(
    FellowshipApplication, fellowship_admin.ApplicationPermissionPolicy(FellowshipApplication)
)
fellowship_application_viewset = fellowship_admin.FellowshipApplicationViewSet(
    "fellowship_applications"
)


@hooks.register("register_admin_viewset")
def register_fellowship_application_viewset():
    return fellowship_application_viewset


@hooks.register("register_admin_urls")
def register_fellowship_application_urls():
    return [
        path(
            "fellowship-applications/export.csv",
            fellowship_admin.applications_csv,
            name="fellowship_applications_csv",
        ),
        path(
            "fellowship-applications/<int:pk>/score/",
            fellowship_admin.score_application,
            name="fellowship_application_score",
        ),
    ]


# Peer introductions ----------------------------------------------------------------

register_permission_policy(
    IntroductionRequest, introduction_admin.IntroductionPermissionPolicy(IntroductionRequest)
)
peer_introduction_viewset = introduction_admin.IntroductionRequestViewSet("peer_introductions")


@hooks.register("register_admin_viewset")
def register_peer_introduction_viewset():
    return peer_introduction_viewset


@hooks.register("construct_homepage_panels")
def add_waiting_introductions_panel(request, panels):
    # Brokers, and superusers (who have every permission): requests hold personal data.
    if request.user.has_perm(introduction_admin.VIEW_PERMISSION):
        panels.append(introduction_admin.WaitingIntroductionsPanel(request.user))


@hooks.register("register_admin_urls")
def register_introduction_ratings_urls():
    # Wagtail wraps these in its admin-access check; the views check the ratings permission.
    return [
        path(
            "reports/peer-introductions/",
            introduction_admin.ratings_report,
            name="learning_introduction_ratings",
        ),
        path(
            "reports/peer-introductions/export.csv",
            introduction_admin.ratings_report_csv,
            name="learning_introduction_ratings_csv",
        ),
    ]


class IntroductionRatingsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(introduction_admin.RATINGS_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_introduction_ratings_menu_item():
    return IntroductionRatingsMenuItem(
        "Peer introduction ratings",
        reverse("learning_introduction_ratings"),
        icon_name="group",
        order=720,
    )

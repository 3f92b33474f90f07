"""Reviewers' admin for fellowship applications: the applications viewset, scoring and the
CSV export (registered in learning/wagtail_hooks.py).

Applications hold personal data: every view here requires
`learning.view_fellowshipapplication`, which only the "Fellowship reviewers"
group has (see migration 0004).
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.views.generic.models import EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from learning.fellowships.choices import ApplicationStatus
from learning.fellowships.forms import ApplicationScoreForm
from learning.fellowships.models import ApplicationScore, FellowshipApplication
from learning.fellowships.services import send_application_email
from learning.reports import _cell

VIEW_PERMISSION = "learning.view_fellowshipapplication"
SCORE_PERMISSION = "learning.add_applicationscore"

CSV_COLUMNS = [
    ("Fellowship", lambda a: a.fellowship_title),
    ("Name", lambda a: a.name),
    ("Email", lambda a: a.email),
    ("Country", lambda a: a.country.name),
    ("Institution", lambda a: a.institution),
    ("Role", lambda a: a.role),
    ("Reform they lead", lambda a: a.reform),
    ("Motivation", lambda a: a.motivation),
    ("Consent to share", lambda a: "yes" if a.consent_to_share else "no"),
    ("Status", lambda a: a.get_status_display()),
    ("Received", lambda a: timezone.localtime(a.created_at).strftime("%Y-%m-%d %H:%M %Z")),
    ("Average score", lambda a: "" if a.average_score is None else f"{a.average_score:.1f}"),
]


class ApplicationPermissionPolicy(ModelPermissionPolicy):
    """Applications arrive through the public form only; reviewers never add them by hand."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class ApplicationEditView(EditView):
    def save_instance(self):
        decided = "status" in self.form.changed_data
        instance = super().save_instance()
        if decided and instance.status in (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED):
            send_application_email(instance, instance.status)
        return instance


class FellowshipApplicationViewSet(ModelViewSet):
    """Applications per fellowship, for the "Fellowship reviewers" group only.

    Reviewers read an application (inspect), score it against the fellowship's
    criteria, and change its status; accepting or declining emails the applicant.
    """

    model = FellowshipApplication
    icon = "form"
    menu_label = "Fellowship applications"
    menu_order = 300
    add_to_admin_menu = True
    inspect_view_enabled = True
    inspect_view_fields = [
        "fellowship_title",
        "name",
        "email",
        "country",
        "institution",
        "role",
        "reform",
        "motivation",
        "consent_to_share",
        "status",
        "created_at",
    ]
    list_display = ["name", "fellowship_title", "country", "status", "created_at", "score_link"]
    list_filter = ["fellowship", "status"]
    search_fields = ["name", "email", "institution", "fellowship_title"]
    form_fields = ["status"]
    edit_view_class = ApplicationEditView
    search_backend_name = None

    def get_queryset(self, request):
        return FellowshipApplication.objects.select_related("country")


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def applications_queryset():
    return FellowshipApplication.objects.select_related("country", "fellowship").with_scores()


def applications_csv(request):
    """Every application (or one fellowship's, `?fellowship=<page id>`) as CSV."""
    _require(request, VIEW_PERMISSION)
    applications = applications_queryset().order_by("fellowship_title", "created_at")
    if request.GET.get("fellowship", "").isdigit():
        applications = applications.filter(fellowship_id=int(request.GET["fellowship"]))
    if request.GET.get("status"):
        applications = applications.filter(status=request.GET["status"])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"fellowship-applications-{timezone.now():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([label for label, _ in CSV_COLUMNS])
    for application in applications:
        writer.writerow([_cell(value(application)) for _, value in CSV_COLUMNS])
    return response


def score_application(request, pk):
    """The signed-in reviewer's 1 to 5 score and notes per criterion of the fellowship."""
    _require(request, VIEW_PERMISSION)
    _require(request, SCORE_PERMISSION)
    application = get_object_or_404(
        FellowshipApplication.objects.select_related("fellowship"), pk=pk
    )
    criteria = application.fellowship.criterion_names if application.fellowship else []
    mine = {
        score.criterion: score
        for score in ApplicationScore.objects.filter(application=application, reviewer=request.user)
    }
    form = ApplicationScoreForm(request.POST or None, criteria=criteria, initial_scores=mine)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for criterion, score, notes in form.scores():
                if score is None:
                    ApplicationScore.objects.filter(
                        application=application, reviewer=request.user, criterion=criterion
                    ).delete()
                    continue
                ApplicationScore.objects.update_or_create(
                    application=application,
                    reviewer=request.user,
                    criterion=criterion,
                    defaults={"score": score, "notes": notes},
                )
        messages.success(request, f"Your scores for {application.name} are saved.")
        return redirect(reverse("fellowship_applications:inspect", args=[application.pk]))
    others = (
        ApplicationScore.objects.filter(application=application)
        .exclude(reviewer=request.user)
        .select_related("reviewer")
        .order_by("criterion")
    )
    return render(
        request,
        "learning/admin/score_application.html",
        {
            "application": application,
            "form": form,
            "others": others,
            "page_title": f"Score {application.name}",
            "header_icon": "tasks",
        },
    )

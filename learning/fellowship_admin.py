"""Reviewers' admin views for fellowship applications: scoring and the CSV export.

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

from learning.forms import ApplicationScoreForm
from learning.models import ApplicationScore, FellowshipApplication
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

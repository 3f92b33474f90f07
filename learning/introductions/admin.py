"""The Support Unit's admin for peer introductions: the queue, brokering, the ratings report.

Requests hold personal data (names, emails, what someone wants to learn): the queue
and the broker view require `learning.view_introductionrequest` (and brokering also
`change_introductionrequest`), which only the "Introduction brokers" group has (see
migration 0006). The ratings report shows aggregates and anonymous comments only, so
it needs `learning.view_introduction_ratings`, which Editors and Moderators have too.

Nobody adds a request or edits the requester's words here: requests come from the
public form, and the only change a broker makes is a status move or a note, each kept
as an `IntroductionEvent`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Min, Q, Sum, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from casestudies.models import Country, Theme
from learning.introductions.choices import OPEN_STATUSES, IntroductionStatus
from learning.introductions.models import IntroductionRequest
from learning.introductions.services import BROKERS_GROUP, brokers, notify_status_change
from learning.reports import _cell

VIEW_PERMISSION = "learning.view_introductionrequest"
CHANGE_PERMISSION = "learning.change_introductionrequest"
RATINGS_PERMISSION = "learning.view_introduction_ratings"

NO_THEME = "No theme"
OPEN = "open"
LATEST_COMMENTS = 3

# The order a broker works in: what needs a first look, then what waits for the peer.
STAGES = list(IntroductionStatus)


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


# The queue ---------------------------------------------------------------------------


class IntroductionPermissionPolicy(ModelPermissionPolicy):
    """Requests arrive through the public form only; brokers never add them by hand."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def _countries_with_requests(request):
    return Country.objects.filter(introduction_requests__isnull=False).distinct()


def _themes_with_requests():
    themes = Theme.objects.filter(introduction_requests__isnull=False).distinct()
    return [(str(theme.pk), theme.name) for theme in themes] + [("none", NO_THEME)]


class IntroductionFilterSet(WagtailFilterSet):
    """Filters offer only the peer countries and themes that have requests, not all 200+."""

    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(OPEN, "Open (new or peer contacted)"), *IntroductionStatus.choices],
        empty_label="All",
        method="filter_status",
        widget=forms.RadioSelect,
    )
    peer_country = django_filters.ModelChoiceFilter(
        label="Peer country", queryset=_countries_with_requests, empty_label="All"
    )
    theme = django_filters.ChoiceFilter(
        label="Theme", choices=_themes_with_requests, empty_label="All", method="filter_theme"
    )

    class Meta:
        model = IntroductionRequest
        fields = ["status", "peer_country", "theme"]

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_theme(self, queryset, name, value):
        if value == "none":
            return queryset.filter(theme__isnull=True)
        return queryset.filter(theme_id=value)


def _theme_display(introduction):
    return introduction.theme.name if introduction.theme else "—"


def _rating_display(introduction):
    return "—" if introduction.rating is None else f"{introduction.rating}/5"


class IntroductionQueueView(IndexView):
    """Open requests first (new, then peer contacted), newest first within a status."""

    any_permission_required = ["view"]
    page_title = "Peer introductions"

    def get_base_queryset(self):
        stage = Case(
            *(When(status=status, then=Value(rank)) for rank, status in enumerate(STAGES)),
            default=Value(len(STAGES)),
            output_field=IntegerField(),
        )
        return IntroductionRequest.objects.select_related(
            "country", "peer_country", "theme"
        ).annotate(stage=stage)

    @cached_property
    def columns(self):
        title_column_class = self._get_title_column_class(TitleColumn)
        return [
            title_column_class(
                "name", label="Requester", sort_key="name", get_url=self.get_edit_url
            ),
            Column("country", label="From", sort_key="country__sort_name"),
            Column("peer_country", label="Peer country", sort_key="peer_country__sort_name"),
            Column("theme", label="Theme", accessor=_theme_display, sort_key="theme__name"),
            StatusTagColumn(
                "get_status_display",
                label="Status",
                sort_key="stage",
                primary=lambda introduction: introduction.status in OPEN_STATUSES,
            ),
            DateColumn("created_at", label="Received", sort_key="created_at"),
            Column("rating", label="Rating", accessor=_rating_display, sort_key="rating"),
        ]

    def get_list_more_buttons(self, instance):
        buttons = []
        if broker_url := self.get_edit_url(instance):
            buttons.append(MenuItem("Broker", url=broker_url, icon_name="group", priority=10))
        if delete_url := self.get_delete_url(instance):
            buttons.append(MenuItem("Delete", url=delete_url, icon_name="bin", priority=30))
        return buttons


class IntroductionRequestViewSet(ModelViewSet):
    """The queue, for the "Introduction brokers" group: no add or edit views.

    The generic edit view would let anyone with `change` rewrite the requester's words;
    the broker view (a status move and/or a note) takes its place wherever Wagtail
    links to "edit".
    """

    model = IntroductionRequest
    index_view_class = IntroductionQueueView
    icon = "group"
    menu_label = "Peer introductions"
    menu_order = 310
    add_to_admin_menu = True
    inspect_view_enabled = False
    copy_view_enabled = False
    filterset_class = IntroductionFilterSet
    search_fields = ["name", "email", "goal"]
    search_backend_name = None
    ordering = ["stage", "-created_at"]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{"edit_url_name": self.get_url_name("broker"), "add_url_name": None, **kwargs}
        )

    @property
    def url_finder_class(self):
        url_finder_class = super().url_finder_class
        url_finder_class.edit_url_name = self.get_url_name("broker")
        return url_finder_class

    def get_permissions_to_register(self):
        # All of them, view included although there is no inspect view: it is the one
        # brokers need, and a superuser grants it in Settings → Groups.
        return Permission.objects.filter(content_type=ContentType.objects.get_for_model(self.model))

    def get_urlpatterns(self):
        # Not super(): building its list constructs the add and edit views.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("broker/<int:pk>/", broker, name="broker"),
            path("delete/<int:pk>/", self.delete_view, name="delete"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
            path("usage/<int:pk>/", self.usage_view, name="usage"),
        ]


# The dashboard panel -------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingStage:
    status: IntroductionStatus
    count: int
    oldest: object  # when the longest-waiting request in this status arrived
    url: str


def waiting_stages() -> list[WaitingStage]:
    """Open requests per status, in the order a broker works, with the oldest; one query."""
    rows = {
        row["status"]: row
        for row in IntroductionRequest.objects.open()
        .values("status")
        .annotate(count=Count("pk"), oldest=Min("created_at"))
        .order_by()
    }
    queue_url = reverse("peer_introductions:index")
    return [
        WaitingStage(
            status,
            rows[status]["count"],
            rows[status]["oldest"],
            f"{queue_url}?status={status.value}",
        )
        for status in OPEN_STATUSES
        if status in rows
    ]


class WaitingIntroductionsPanel(Component):
    """On the admin's home page, for brokers (and superusers): what waits in the queue.

    Email tells brokers of each new request; this is where they see what is still open, and
    how long the oldest has waited, without opening the queue. A superuser also learns
    when nobody is a broker (new requests are then emailed to the superusers).
    """

    name = "waiting_introductions"
    template_name = "learning/admin/waiting_introductions_panel.html"
    order = 90  # above Wagtail's own panels: requests are people waiting for an answer

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        stages = waiting_stages()
        return {
            "stages": stages,
            "total": sum(stage.count for stage in stages),
            "queue_url": f"{reverse('peer_introductions:index')}?status={OPEN}",
            "no_brokers": self.user.is_superuser and not brokers().exists(),
            "brokers_group": BROKERS_GROUP,
            "groups_url": reverse("wagtailusers_groups:index"),
        }


# Brokering ---------------------------------------------------------------------------


class BrokerForm(forms.Form):
    """Move the status, add a note, or both; at least one of them."""

    status = forms.ChoiceField(label="Move to", required=False)
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For the Support Unit only: the requester never sees notes.",
    )

    def __init__(self, *args, current_status: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_status = current_status
        current_label = IntroductionStatus(current_status).label
        self.fields["status"].choices = [
            ("", f"Keep the current status ({current_label})"),
            *IntroductionStatus.choices,
        ]

    def clean_note(self):
        return self.cleaned_data["note"].strip()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("note") and cleaned.get("status", "") in ("", self.current_status):
            raise ValidationError("Choose a new status or write a note: there is nothing to save.")
        return cleaned


def _broker_message(introduction, changed: bool, emailed: bool) -> str:
    status = introduction.get_status_display()
    if not changed:
        return "Note added. The requester is not emailed about notes."
    if emailed:
        return f"Moved to “{status}”. {introduction.name} was emailed at {introduction.email}."
    return f"Moved to “{status}”. The requester is not emailed about this status."


def broker(request, pk):
    """Everything the requester wrote, the request's history, and the form to move it on."""
    _require(request, VIEW_PERMISSION)
    _require(request, CHANGE_PERMISSION)
    introduction = get_object_or_404(
        IntroductionRequest.objects.select_related("country", "peer_country", "theme", "requester"),
        pk=pk,
    )
    data = request.POST if request.method == "POST" else None  # an empty POST is still a POST
    form = BrokerForm(data, current_status=introduction.status)
    if request.method == "POST" and form.is_valid():
        # Lock the row: two brokers saving at once both get their event, each from the
        # status the other one left, and neither undoes the other's move.
        with transaction.atomic():
            introduction = IntroductionRequest.objects.select_for_update().get(pk=pk)
            wanted = form.cleaned_data["status"] or introduction.status
            changed = wanted != introduction.status
            event = introduction.move_to(wanted, by=request.user, note=form.cleaned_data["note"])
        if event is None:
            messages.info(
                request,
                f"Nothing to save: the request is already “{introduction.get_status_display()}”.",
            )
            return redirect(reverse("peer_introductions:broker", args=[pk]))
        emailed = changed and notify_status_change(introduction, request)
        messages.success(request, _broker_message(introduction, changed, emailed))
        return redirect(reverse("peer_introductions:broker", args=[pk]))
    queue_url = reverse("peer_introductions:index")
    return render(
        request,
        "learning/admin/introduction_broker.html",
        {
            "introduction": introduction,
            "events": introduction.events.select_related("author"),
            "form": form,
            "queue_url": queue_url,
            "page_title": f"Introduction request from {introduction.name}",
            "header_title": f"Introduction request from {introduction.name}",
            "header_icon": "group",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": "Home"},
                {"url": queue_url, "label": "Peer introductions"},
                {"url": "", "label": introduction.name},
            ],
        },
    )


# The ratings report ------------------------------------------------------------------


@dataclass(frozen=True)
class RatingComment:
    rating: int
    comment: str
    rated_at: object


@dataclass(frozen=True)
class RatingRow:
    peer_country: str
    theme: str
    requests: int
    introduced: int
    rated: int
    rating_total: int
    comment_count: int
    comments: tuple[RatingComment, ...] = ()

    @property
    def average(self) -> Decimal | None:
        """Rounded half up from the exact sum: 17 over 4 ratings reads 4.3, not 4.2."""
        if not self.rated:
            return None
        exact = Decimal(self.rating_total) / Decimal(self.rated)
        return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def average_display(self) -> str:
        return "—" if self.average is None else str(self.average)


def _latest_comments() -> dict[tuple, list[RatingComment]]:
    """The latest comments per (peer country, theme), in one query, without names."""
    latest = (
        IntroductionRequest.objects.filter(rating__isnull=False)
        .exclude(rating_comment="")
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("peer_country_id"), F("theme_id")],
                order_by=[F("rated_at").desc(), F("pk").desc()],
            )
        )
        .filter(position__lte=LATEST_COMMENTS)
        .order_by("-rated_at", "-pk")
        .values("peer_country_id", "theme_id", "rating", "rating_comment", "rated_at")
    )
    comments: dict[tuple, list[RatingComment]] = {}
    for row in latest:
        comments.setdefault((row["peer_country_id"], row["theme_id"]), []).append(
            RatingComment(row["rating"], row["rating_comment"], row["rated_at"])
        )
    return comments


def rating_rows(with_comments: bool = True) -> list[RatingRow]:
    """Requests, introductions and ratings per peer country and theme, in one query."""
    groups = (
        IntroductionRequest.objects.values(
            "peer_country_id", "peer_country__name", "theme_id", "theme__name"
        )
        .annotate(
            requests=Count("pk"),
            introduced=Count("pk", filter=Q(introduced_at__isnull=False)),
            rated=Count("rating"),
            rating_total=Sum("rating", default=0),
            comment_count=Count("pk", filter=Q(rating__isnull=False) & ~Q(rating_comment="")),
        )
        .order_by("peer_country__sort_name", F("theme__name").asc(nulls_last=True))
    )
    comments = _latest_comments() if with_comments else {}
    return [
        RatingRow(
            peer_country=group["peer_country__name"],
            theme=group["theme__name"] or NO_THEME,
            requests=group["requests"],
            introduced=group["introduced"],
            rated=group["rated"],
            rating_total=group["rating_total"],
            comment_count=group["comment_count"],
            comments=tuple(comments.get((group["peer_country_id"], group["theme_id"]), ())),
        )
        for group in groups
    ]


def ratings_report(request):
    _require(request, RATINGS_PERMISSION)
    rows = rating_rows()
    title = "Peer introduction ratings"
    return render(
        request,
        "learning/admin/introduction_ratings.html",
        {
            "rows": rows,
            "any_rated": any(row.rated for row in rows),
            "latest_comments": LATEST_COMMENTS,
            "csv_url": reverse("learning_introduction_ratings_csv"),
            "page_title": title,
            "header_title": title,
            "header_icon": "table",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": "Home"},
                {"url": "", "label": title},
            ],
        },
    )


CSV_HEADER = [
    "Peer country",
    "Theme",
    "Requests",
    "Introduced",
    "Rated",
    "Average rating",
    "Comments",
]


def ratings_report_csv(request):
    _require(request, RATINGS_PERMISSION)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"peer-introduction-ratings-{timezone.now():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in rating_rows(with_comments=False):
        writer.writerow(
            [
                _cell(row.peer_country),
                _cell(row.theme),
                row.requests,
                row.introduced,
                row.rated,
                "" if row.average is None else row.average,
                row.comment_count,
            ]
        )
    return response

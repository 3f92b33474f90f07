"""Reference data in the admin: countries, themes and commitments as snippets."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from casestudies.admin_choosers import CommitmentChooserViewSet, database_chooser_viewset
from casestudies.models import Commitment, Country, ReformRecord, Theme
from casestudies.reports import NeedsAttentionPanel, NeedsAttentionReportView, may_edit_pages


class ReferenceDataViewSet(SnippetViewSet):
    # Search these small tables in the database directly (case-insensitive match on
    # `search_fields`) rather than through Wagtail's search index.
    search_backend_name = None


class CountryIndexView(IndexView):
    def order_queryset(self, queryset):
        # By name means by the accent-free key: "Côte d'Ivoire" before "Czechia".
        if self.ordering in ("name", "-name"):
            return queryset.order_by(self.ordering.replace("name", "sort_name"))
        return super().order_queryset(queryset)


class CountryViewSet(ReferenceDataViewSet):
    model = Country
    icon = "globe"
    menu_label = "Countries"
    index_view_class = CountryIndexView
    list_display = ["name", "iso3", "region", "income_group", "ogp_status", "ogp_year_joined"]
    list_filter = ["region", "income_group", "ogp_member", "ogp_status"]
    search_fields = ["name", "iso3"]
    ordering = ["sort_name"]
    list_per_page = 50
    chooser_viewset_class = database_chooser_viewset("name__icontains", "iso3__iexact")


class ThemeViewSet(ReferenceDataViewSet):
    model = Theme
    icon = "tag"
    menu_label = "Themes"
    list_display = ["name", "slug", "parent"]
    list_filter = ["parent"]
    search_fields = ["name", "synonyms", "description"]
    ordering = ["name"]
    list_per_page = 50
    chooser_viewset_class = database_chooser_viewset("name__icontains", "synonyms__icontains")


class CommitmentViewSet(ReferenceDataViewSet):
    model = Commitment
    icon = "clipboard-list"
    menu_label = "Commitments"
    list_display = ["identifier", "title", "member_name", "plan_start_year", "starred"]
    list_filter = ["starred", "potential_impact", "completion_end_of_term", "themes"]
    search_fields = ["title", "identifier", "member_name"]
    ordering = ["country__sort_name", "member_name", "plan_start_year", "identifier"]
    list_per_page = 50
    chooser_viewset_class = CommitmentChooserViewSet
    chooser_per_page = 25  # a country has up to ~60 commitments: fewer pages to leaf through

    def get_queryset(self, request):
        return Commitment.objects.select_related("country")


class ImportedRecordPermissionPolicy(ModelPermissionPolicy):
    """Reform records are written by their importers only: no one adds or edits them here.

    An edit would be undone by the next import; a wrong record is corrected at its
    source and re-imported. Viewing and deleting follow the usual model permissions.
    """

    def user_has_permission(self, user, action):
        if action in {"add", "change"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(ReformRecord, ImportedRecordPermissionPolicy(ReformRecord))


class ReformRecordViewSet(ReferenceDataViewSet):
    model = ReformRecord
    icon = "doc-full"
    menu_label = "Reform records"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["title", "country", "theme", "source", "kind", "since", "as_of"]
    list_filter = ["source", "kind", "theme"]
    search_fields = ["title", "key", "country__name"]
    ordering = ["country__sort_name", "theme__name", "title"]
    list_per_page = 50

    def get_queryset(self, request):
        return ReformRecord.objects.select_related("country", "theme")


class ReferenceDataGroup(SnippetViewSetGroup):
    menu_label = "Reference data"
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (CountryViewSet, ThemeViewSet, CommitmentViewSet, ReformRecordViewSet)


register_snippet(ReferenceDataGroup)


# Reports → Needs attention -----------------------------------------------------------


@hooks.register("register_admin_urls")
def register_needs_attention_urls():
    return [
        path(
            "reports/needs-attention/",
            NeedsAttentionReportView.as_view(),
            name="casestudies_needs_attention",
        ),
        path(
            "reports/needs-attention/results/",
            NeedsAttentionReportView.as_view(results_only=True),
            name="casestudies_needs_attention_results",
        ),
    ]


class NeedsAttentionMenuItem(MenuItem):
    """Shown to whoever may write or publish pages: editors and moderators."""

    def is_shown(self, request):
        return may_edit_pages(request.user)


@hooks.register("register_reports_menu_item")
def register_needs_attention_menu_item():
    return NeedsAttentionMenuItem(
        _("Needs attention"),
        reverse("casestudies_needs_attention"),
        icon_name="warning",
        order=650,
    )


@hooks.register("construct_homepage_panels")
def add_needs_attention_panel(request, panels):
    if may_edit_pages(request.user):
        panels.append(NeedsAttentionPanel())

"""Reference data in the admin: countries, themes and commitments as snippets."""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from casestudies.admin_choosers import database_chooser_viewset
from casestudies.models import Commitment, Country, ReformRecord, Theme


class ReferenceDataViewSet(SnippetViewSet):
    # Search these small tables in the database directly (case-insensitive match on
    # `search_fields`) rather than through Wagtail's search index.
    search_backend_name = None


class CountryViewSet(ReferenceDataViewSet):
    model = Country
    icon = "globe"
    menu_label = "Countries"
    list_display = ["name", "iso3", "region", "income_group", "ogp_status", "ogp_year_joined"]
    list_filter = ["region", "income_group", "ogp_member", "ogp_status"]
    search_fields = ["name", "iso3"]
    ordering = ["name"]
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


class CommitmentViewSet(ReferenceDataViewSet):
    model = Commitment
    icon = "clipboard-list"
    menu_label = "Commitments"
    list_display = ["identifier", "title", "member_name", "plan_start_year", "starred"]
    list_filter = ["starred", "potential_impact", "completion_end_of_term", "themes"]
    search_fields = ["title", "identifier", "member_name"]
    ordering = ["member_name", "plan_start_year", "identifier"]
    list_per_page = 50
    chooser_viewset_class = database_chooser_viewset(
        "title__icontains", "identifier__iexact", "member_name__icontains"
    )

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
    ordering = ["country__name", "theme__name", "title"]
    list_per_page = 50

    def get_queryset(self, request):
        return ReformRecord.objects.select_related("country", "theme")


class ReferenceDataGroup(SnippetViewSetGroup):
    menu_label = "Reference data"
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (CountryViewSet, ThemeViewSet, CommitmentViewSet, ReformRecordViewSet)


register_snippet(ReferenceDataGroup)

"""Reference data in the admin: countries, themes and commitments as snippets."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from casestudies.models import Commitment, Country, Theme


class ReferenceDataViewSet(SnippetViewSet):
    # Search these small tables in the database directly (case-insensitive match on
    # `search_fields`) rather than through Wagtail's search index.
    search_backend_name = None


class CountryViewSet(ReferenceDataViewSet):
    model = Country
    icon = "globe"
    menu_label = "Countries"
    list_display = ["name", "iso3", "region", "income_group", "ogp_member"]
    list_filter = ["region", "income_group", "ogp_member"]
    search_fields = ["name", "iso3"]
    ordering = ["name"]
    list_per_page = 50


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

    def get_queryset(self, request):
        return Commitment.objects.select_related("country")


class ReferenceDataGroup(SnippetViewSetGroup):
    menu_label = "Reference data"
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (CountryViewSet, ThemeViewSet, CommitmentViewSet)


register_snippet(ReferenceDataGroup)

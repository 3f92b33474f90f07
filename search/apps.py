from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The search service and peer matching (to come)."""

    name = "search"
    label = "exchange_search"

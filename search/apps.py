from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The search service (two backends), index sync and peer matching."""

    name = "search"
    # `search` is a common app label (Wagtail's project template uses it); ours is explicit.
    label = "exchange_search"
    verbose_name = "Search and peer matching"

    def ready(self):
        # Imported here: it names models, which exist only once the apps are loaded.
        from search import signals

        signals.connect()

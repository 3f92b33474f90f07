from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """The site wiring: home page, site-wide settings and the demo loader."""

    name = "exchange"
    verbose_name = "Reform Exchange site"

    def ready(self):
        from exchange import page_cache

        page_cache.connect()

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """The site wiring: home page, site-wide settings and the demo loader."""

    name = "exchange"
    verbose_name = "Reform Exchange site"

    def ready(self):
        # Imported here: it names models, which exist only once the apps are loaded.
        from exchange import signals

        signals.connect()

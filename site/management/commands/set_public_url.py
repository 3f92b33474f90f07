"""Point the default Site record at the site's public address.

Wagtail builds every absolute page URL from the Site record (`Site.root_url`): `full_url`
in moderation emails, the page API's `html_url`, and its `detail_url`s when
`WAGTAILAPI_BASE_URL` is unset. The page tree is created with `localhost`, so a deployment
runs this once after `migrate` (docs/operations.md), and again if the address changes.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from exchange.settings.base import public_url

DEFAULT_PORTS = {"http": 80, "https": 443}


class Command(BaseCommand):
    help = "Set the default Site's host name and port from PUBLIC_URL (or --url)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            help="The public address, e.g. https://exchange.example.org (default: PUBLIC_URL)",
        )

    def handle(self, *args, url=None, **options):
        try:
            address = public_url(url or settings.PUBLIC_URL)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        if not address:
            raise CommandError("Set PUBLIC_URL (or pass --url https://exchange.example.org).")
        parts = urlsplit(address)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("There is no default Site yet: run `manage.py load_demo` first.")
        site.hostname = parts.hostname
        site.port = parts.port or DEFAULT_PORTS[parts.scheme]
        site.save()
        self.stdout.write(f"The default site is now {site.root_url}")

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exchange.settings.production")
django_application = get_wsgi_application()

# Imported once Django is set up: the front door reads the site's settings and models' apps.
from exchange.front_door import FrontDoor  # noqa: E402

application = FrontDoor(django_application)

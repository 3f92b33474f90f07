"""Settings of the reference application of DESIGN §6: one view, no middleware, no apps.

`manage.py bench` serves it with the same gunicorn command as the site
(`django.core.wsgi:get_wsgi_application()` with these settings), so every page's rate
can be given as a share of what Django itself costs on this machine in the same run.
"""

SECRET_KEY = "bench-reference-view-only"  # signs nothing: the view keeps no state
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "search.bench.urls"
DATABASES: dict = {}
USE_TZ = True

"""Settings shared by every environment.

Every environment variable the project reads is read here (and listed in
`.env.example`); dev.py, test.py and production.py only override values.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "site"


def env(name: str, default: str = "") -> str:
    """The variable's value, or `default` when it is unset or empty.

    `.env.example` exported as written (`set -a; . ./.env.example`) sets every variable it
    lists, many to "": an empty value means "not set", never "the empty string" (an empty
    VAR_DIR was the current directory, and every page a 500).
    """
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(env(name) or default)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


VAR_DIR = Path(env("VAR_DIR") or BASE_DIR / "var").resolve()
SECRET_KEY = env("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


def public_url(value: str) -> str:
    """`scheme://host[:port]`, as the site is reached from outside; "" when unset."""
    url = value.rstrip("/")
    parts = urlsplit(url)
    if url and (parts.scheme not in ("http", "https") or not parts.netloc or parts.path):
        raise ImproperlyConfigured(
            f"PUBLIC_URL must look like https://exchange.example.org (no path), not {value!r}."
        )
    return url


# The site's public address: links in every email, Wagtail's notifications and the page
# API's `detail_url`s; `manage.py set_public_url` points the default Site record at it.
PUBLIC_URL = public_url(env("PUBLIC_URL"))
if PUBLIC_URL and PUBLIC_URL not in CSRF_TRUSTED_ORIGINS:
    CSRF_TRUSTED_ORIGINS.append(PUBLIC_URL)

INSTALLED_APPS = [
    "exchange",
    "casestudies",
    "learning",
    "search",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    # Editors translate a page from the admin ("Translate" action, copies it into a locale).
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "rest_framework",
    "modelcluster",
    "taggit",
    "django_filters",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The production task queue's table (exchange.settings.production uses it); installed
    # everywhere so every environment has the same schema.
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Every response, error pages and cached pages included, carries the CSP header.
    "exchange.middleware.ContentSecurityPolicyMiddleware",
    # Control characters in a path, parameter or form field: 404/400 before anything
    # (the page cache, sessions, a view, the database) sees them.
    "exchange.middleware.RejectControlCharactersMiddleware",
    "exchange.core.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the URL (/fr/, /es/, none for English): see site/urls.py.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The site, its settings and page tree frame from the content cache, before any view
    # (after CommonMiddleware, which refuses hosts ALLOWED_HOSTS does not name).
    "exchange.site_frame.SiteFrameMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "exchange.urls"
WSGI_APPLICATION = "exchange.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# The embedded default is a SQLite file, so `make run` needs no database server.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite lets one connection write at a time, and every gunicorn worker, thread and
    # import has its own. IMMEDIATE transactions take the write lock as they begin, so
    # one that read first never fails to upgrade ("database is locked" at once, without
    # waiting); `timeout` (seconds) is how long a writer waits its turn; WAL lets readers
    # go on while one writes (NORMAL sync is safe in WAL: a power cut loses at most the
    # last commits, never the file).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
# Seconds an anonymous visitor's page stays cached (0 turns the page cache off).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# One cache shared by every process of an installation (each gunicorn worker, management
# commands, imports), so a publish anywhere retires cached pages everywhere and rate limits
# count across workers: Redis when REDIS_URL is set, otherwise a table in the site's own
# database, which needs no server (`migrate` creates it; docs/operations.md): Django's
# database cache with a leaner read (exchange.core.cache).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "reform-exchange",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "exchange.core.cache.DatabaseCache",
            "LOCATION": "exchange_cache",
            "KEY_PREFIX": "reform-exchange",
            # Pages, country profiles, counters: past this, a third of the entries go.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# OGP's three languages: English at the root, French under /fr/, Spanish under /es/.
# Interface strings are in site/locale/ (`manage.py compilemessages` makes the .mo files).
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
# "31 January 2027", "28 février 2027", "31 de enero de 2027": site/formats/.
FORMAT_MODULE_PATH = ["exchange.formats"]

STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# URL names, not paths: reversed in the language being read, a visitor asked to log in
# from /fr/ gets the French form, and the French dashboard after it.
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
# A page an editor made private to logged-in users asks for the same login, not Wagtail's
# bare form at /_util/login/.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
# And one shared with a password asks for it in the site's own page, in the reader's language.
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "exchange/password_required.html"

# Email (every message goes through exchange.core.mail). Development prints it to the console,
# tests keep it in memory; production sends through this SMTP server.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# Learners, applicants and requesters see this as the sender; SERVER_EMAIL sends the
# error reports to ADMINS.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Reform Exchange <webmaster@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", "root@localhost")

# Background work (django-tasks): search index updates and emails. "immediate" runs a task
# in the process that enqueues it, right after the commit (development, tests, a one-process
# demo); "database" queues it in the database for `manage.py db_worker`, the production
# default, so no request waits on the search server or the mail server.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def tasks_setting(default: str) -> dict:
    """`TASKS` for the backend `TASK_BACKEND` names, or `default` when it is unset."""
    name = env("TASK_BACKEND", default)
    if name not in TASK_BACKENDS:
        raise ImproperlyConfigured(f"TASK_BACKEND must be one of {sorted(TASK_BACKENDS)}.")
    return {"default": {"BACKEND": TASK_BACKENDS[name]}}


TASKS = tasks_setting("immediate")

# Log-in throttling for the learners' and the admin's log-in (learning/accounts/throttling.py)
# and rate limits on public forms (exchange.core.rate_limit); docs/operations.md explains both.
AUTHENTICATION_BACKENDS = [
    "learning.accounts.throttling.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE = [*MIDDLEWARE, "learning.accounts.throttling.LoginThrottleMiddleware"]
WAGTAILADMIN_USER_LOGIN_FORM = "learning.accounts.forms.AdminLoginForm"
# Reverse proxies in front of the app that append to X-Forwarded-For (0: none, so limits
# count REMOTE_ADDR). Behind one nginx, 1; behind a load balancer and nginx, 2.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Wagtail
WAGTAIL_SITE_NAME = "Reform Exchange"
# Content in the same three languages: a page's translations are pages in another locale
# (site/migrations/0003_content_locales.py creates the locales). A page without a translation
# is served in English with a notice (exchange.localized_serving).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Links in Wagtail's notification emails, and the API's `detail_url`s (without PUBLIC_URL,
# the API takes the address of the default Site record: `manage.py set_public_url`).
WAGTAILADMIN_BASE_URL = PUBLIC_URL or "http://127.0.0.1:8000"
WAGTAILAPI_BASE_URL = PUBLIC_URL or None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
# No third-party requests from any page, the admin included (works offline).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor a check for new Wagtail releases from the dashboard (the CSP would block it anyway).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_MODERATION_ENABLED = True

# Wagtail's page API (/api/v2/): at most this many items per request (site/api.py checks
# the other parameters).
WAGTAILAPI_LIMIT_MAX = 20

# Content-Security-Policy (django-csp) on every response, the admin included: only this
# site's own scripts, styles, images, fonts and frames, no inline script or style, no
# plugins, no framing by others. docs/operations.md says how to allow a new source.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Wagtail's admin draws previews and icons from data: and blob: URLs.
        "img-src": ["'self'", "data:", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        # Wagtail's live preview frames the site's own pages.
        "frame-ancestors": ["'self'"],
    },
}
# Added under /admin/ (not its log-in page): Wagtail 8's page editor still writes inline
# scripts that no nonce reaches (site/middleware.py says which).
CONTENT_SECURITY_POLICY_ADMIN = {"script-src": ["'unsafe-inline'"]}

# Reform Exchange
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL")
# Index names start with this, so several environments can share one cluster.
SEARCH_INDEX_PREFIX = env("SEARCH_INDEX_PREFIX", "reform-exchange")
# The elastic-transport node class. Real Elasticsearch takes the client's default; the
# in-memory test server (osmem) needs plain application/json (search.transport).
ELASTICSEARCH_NODE_CLASS = env("ELASTICSEARCH_NODE_CLASS")
ELASTICSEARCH_TIMEOUT = float(env("ELASTICSEARCH_TIMEOUT", "5"))
# Where the real data files live; importers default to these.
DATA_DIR = BASE_DIR / "data"
SAMPLE_CONTENT_DIR = BASE_DIR / "casestudies" / "sample_content"
# After a failed quiz attempt a learner waits this long before the next one, so answers
# are learnt from the lesson rather than found by trying every choice (learning/progress.py).
QUIZ_RETAKE_WAIT_MINUTES = 5

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail logs every page action and every background task at INFO: too chatty.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # The Elasticsearch client logs every request at INFO.
        "elastic_transport": {"level": "WARNING"},
        # fpdf2 subsets the PDF font with fontTools, which logs every table it prunes.
        "fontTools": {"level": "WARNING"},
    },
}

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

SECRET_KEY = "test-only-insecure-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"
# Tests must not depend on a developer's Elasticsearch; search tests opt in explicitly.
ELASTICSEARCH_URL = os.environ.get("TEST_ELASTICSEARCH_URL", "")
# Tests see every change at once; tests/exchange/test_page_cache.py turns the cache on.
PAGE_CACHE_SECONDS = 0
# Each test process keeps its cache in memory: fast, emptied between tests (tests/conftest.py)
# without a database, and no query counts change. What needs the shared database cache or Redis
# (one process's change seen by another) is shown by tests/exchange/test_page_cache.py on both.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks (index updates, emails) run at once, right after the commit; tests/exchange/test_mail.py
# switches to the database queue to show what production does.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

from .base import *  # noqa: F403
from .base import VAR_DIR, env, env_bool, env_int

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-never-used-in-production")
# Emails are printed where `make run` runs (README: "Email in development").
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

VAR_DIR.mkdir(parents=True, exist_ok=True)
# Editing templates in development: see changes without waiting for the page cache.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0)

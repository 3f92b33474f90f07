"""The site's public address (`PUBLIC_URL`) and settings read from the environment."""

import json
import os
import shlex
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from casestudies.factories import CaseStudyPageFactory
from exchange.settings.base import public_url


@pytest.mark.django_db
def test_set_public_url_makes_the_page_api_link_to_the_public_address(case_study_index, client):
    story = CaseStudyPageFactory(parent=case_study_index, title="Open budgets in Kaduna")
    before = client.get(f"/api/v2/pages/?type=casestudies.CaseStudyPage&id={story.pk}").json()
    assert before["items"][0]["meta"]["detail_url"].startswith("http://localhost/")

    call_command("set_public_url", url="https://exchange.example.org/", stdout=StringIO())

    [item] = client.get(f"/api/v2/pages/?type=casestudies.CaseStudyPage&id={story.pk}").json()[
        "items"
    ]
    assert item["meta"]["detail_url"] == f"https://exchange.example.org/api/v2/pages/{story.pk}/"
    assert item["meta"]["html_url"].startswith("https://exchange.example.org/case-studies/")


@pytest.mark.django_db
def test_set_public_url_keeps_a_port_that_is_not_the_default(home):
    from wagtail.models import Site

    call_command("set_public_url", url="http://203.0.113.5:8080", stdout=StringIO())

    assert Site.objects.get(is_default_site=True).root_url == "http://203.0.113.5:8080"


@pytest.mark.parametrize(
    "value", ["exchange.example.org", "ftp://exchange.example.org", "https://example.org/site"]
)
def test_a_public_url_that_is_not_an_address_is_refused(value):
    with pytest.raises(ImproperlyConfigured, match="PUBLIC_URL must look like"):
        public_url(value)
    with pytest.raises(CommandError, match="PUBLIC_URL must look like"):
        call_command("set_public_url", url=value)


PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "VAR_DIR": str(s.VAR_DIR), "DEBUG": s.DEBUG, "DATABASE": str(s.DATABASES["default"]["NAME"]),
    "TASKS": s.TASKS["default"]["BACKEND"], "EMAIL_PORT": s.EMAIL_PORT,
    "EMAIL_USE_TLS": s.EMAIL_USE_TLS, "DEFAULT_FROM_EMAIL": s.DEFAULT_FROM_EMAIL,
    "WAGTAILADMIN_BASE_URL": s.WAGTAILADMIN_BASE_URL, "PAGE_CACHE_SECONDS": s.PAGE_CACHE_SECONDS,
    "CSRF_TRUSTED_ORIGINS": s.CSRF_TRUSTED_ORIGINS,
}))
"""


def settings_with_env_example(module: str, **extra: str) -> dict:
    """The settings `module` gives with `.env.example` exported exactly as written."""
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": module}
    exports = "".join(f"{name}={shlex.quote(value)}; " for name, value in extra.items())
    script = (
        f"set -a; . ./.env.example; {exports} set +a; exec {sys.executable} -c '{PRINT_SETTINGS}'"
    )
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_env_example_exported_as_written_gives_working_development_settings():
    values = settings_with_env_example("exchange.settings.dev")

    # Empty means "not set": the defaults, not the current directory or an empty string.
    assert values["VAR_DIR"] == str(settings.BASE_DIR / "var")
    assert values["DATABASE"] == str(settings.BASE_DIR / "var" / "db.sqlite3")
    assert values["DEBUG"] is True  # static files served, pages styled
    assert values["PAGE_CACHE_SECONDS"] == 0
    assert values["TASKS"] == "django_tasks.backends.immediate.ImmediateBackend"


def test_env_example_with_production_values_configures_mail_queue_and_address():
    values = settings_with_env_example(
        "exchange.settings.production",
        SECRET_KEY="s3cret-for-the-test",
        PUBLIC_URL="https://exchange.example.org",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="true",
        DEFAULT_FROM_EMAIL="Reform Exchange <exchange@example.org>",
    )

    assert values["DEBUG"] is False
    assert values["TASKS"] == "django_tasks_db.DatabaseBackend"
    assert values["EMAIL_PORT"] == 587
    assert values["EMAIL_USE_TLS"] is True
    assert values["DEFAULT_FROM_EMAIL"] == "Reform Exchange <exchange@example.org>"
    assert values["WAGTAILADMIN_BASE_URL"] == "https://exchange.example.org"
    assert "https://exchange.example.org" in values["CSRF_TRUSTED_ORIGINS"]

"""Playwright against Debian's Chromium (DESIGN §7): never `playwright install`."""

import os
from pathlib import Path

import pytest

from tests.conftest import require_service

# pytest-playwright's sync API runs an event loop in the test thread, and Django refuses
# ORM calls from a thread with a running loop unless told this is safe (it is, in tests).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require_service(
        CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK),
        f"Chromium not found at {CHROMIUM} (apt-get install chromium)",
    )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


# Why the next two fixtures exist: Django keeps database connections in an asgiref Local
# that is thread-local while no event loop runs, but per-context once one does, and
# Playwright's sync API leaves its loop running in the test thread. When earlier tests
# created the test database, the connection holding the snapshot that
# `serialized_rollback=True` restores (`_test_serialized_contents`) is not the one browser
# tests get, so after the first browser test flushed the tables the next one started without
# Wagtail's root page, locale, groups... Read the snapshot before Playwright starts, and hand
# it to the connections browser tests use.


@pytest.fixture(scope="session", autouse=True)
def _serialized_db_contents(django_db_setup, django_db_blocker):
    """The post-migration snapshot, read while no event loop runs (before Playwright)."""
    from django.db import connections

    with django_db_blocker.unblock():
        return {
            alias: connections[alias]._test_serialized_contents
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }


@pytest.fixture(scope="session", autouse=True)
def _serialized_rollback_under_playwright(_serialized_db_contents, playwright):
    from django.db import connections

    for alias, contents in _serialized_db_contents.items():
        connections[alias]._test_serialized_contents = contents


@pytest.fixture
def published_site():
    """Page tree, real data (as load_demo imports it), the sample case studies, the index."""
    from django.conf import settings
    from django.core.management import call_command

    from exchange.page_tree import ensure_page_tree

    ensure_page_tree()
    call_command("import_themes", verbosity=0)
    call_command("import_countries", verbosity=0)
    call_command("import_ogp_members", verbosity=0)
    call_command("import_commitments", verbosity=0)
    call_command("import_reform_records", verbosity=0)
    call_command("import_case_studies", settings.SAMPLE_CONTENT_DIR, publish=True, verbosity=0)
    call_command("search_index", "rebuild", verbosity=0)


def screenshot(page, artifacts_dir, name: str) -> None:
    page.screenshot(path=str(artifacts_dir / name), full_page=True)

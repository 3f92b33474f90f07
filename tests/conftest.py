"""Shared fixtures: the page tree, a small slice of real data, users."""

import os
import warnings
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command

from exchange.page_tree import ensure_page_tree

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_service(available: bool, reason: str):
    """Skip locally with a reason, but fail under CI=true: CI must never skip silently."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(f"{reason} (skipped only outside CI: under CI=true this fails)")


_last_test = {"nodeid": "(none yet)"}


class CacheLeakWarning(UserWarning):
    """An earlier test left the default cache other than the configured one."""


def _default_cache_as_configured(when: str):
    """Give the tests the configured default cache back if a test's settings change left
    another one in place (once seen: a database cache, in a worker that then failed every
    later test on a query it may not make), and say so, naming the test (`when`): the
    warning summary tells where to look, and no leak fails the tests that follow it."""
    from asgiref.local import Local
    from django.core.cache import caches

    configured = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    actual = type(caches["default"]).__name__
    if actual == configured:
        return
    caches._settings = caches.settings = caches.configure_settings(None)
    caches._connections = Local()
    warnings.warn(
        f"the default cache was a {actual}, not the configured {configured}, {when}",
        CacheLeakWarning,
        stacklevel=1,
    )


@pytest.fixture(autouse=True)
def fresh_cache(request):
    """Every test starts with an empty cache: rate-limit counters, email cooldowns and cached
    country profiles must not leak from one test into the next; nor may the pages this
    process keeps beside the cache (exchange.core.page_cache.RecentPages)."""
    from django.core.cache import cache

    from exchange.core.page_cache import recent_pages

    test = request.node.nodeid
    _default_cache_as_configured(f"before {test} (the test run before it: {_last_test['nodeid']})")
    cache.clear()
    recent_pages.clear()
    yield
    _last_test["nodeid"] = test
    _default_cache_as_configured(f"at the end of {test}")
    cache.clear()
    recent_pages.clear()


@pytest.fixture
def home(db):
    return ensure_page_tree()


@pytest.fixture
def case_study_index(home):
    from casestudies.models import CaseStudyIndexPage

    return CaseStudyIndexPage.objects.get()


@pytest.fixture(scope="session")
def real_data(django_db_setup, django_db_blocker):
    """Themes, all World Bank countries and all OGP commitments, loaded once per session.

    Tests using it must not modify reference data (they run in transactions that
    roll back, so page changes are fine).
    """
    with django_db_blocker.unblock():
        call_command("import_themes", verbosity=0)
        call_command("import_countries", verbosity=0)
        call_command("import_ogp_members", verbosity=0)
        call_command("import_commitments", verbosity=0)
        call_command("import_reform_records", verbosity=0)


@pytest.fixture
def demo_site(real_data, home, db):
    """The real data plus the published sample case studies."""
    call_command("import_case_studies", settings.SAMPLE_CONTENT_DIR, publish=True, verbosity=0)
    return home


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", "editor@example.org", "pw-editor-1")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("moderator", "mod@example.org", "pw-mod-1")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def artifacts_dir() -> Path:
    """Where browser tests save screenshots: outside git (see .gitignore)."""
    path = Path(settings.BASE_DIR) / "artifacts"
    path.mkdir(exist_ok=True)
    return path


def pytest_collection_modifyitems(config, items):
    """Run browser tests last.

    They use transactional databases, whose teardown empties the tables, which
    would remove the session-wide real data that later tests rely on.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def english_until_a_test_says_otherwise():
    """Every test starts in the default language. A request under /fr/ or /es/ leaves its
    language active in the thread (Django's LocaleMiddleware activates, never deactivates),
    and code a test calls outside a request would then speak Spanish because of the test
    that ran before it."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)

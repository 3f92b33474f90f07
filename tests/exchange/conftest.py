import pytest

from exchange.core import page_cache


@pytest.fixture
def page_cache_down(monkeypatch):
    """The shared cache as the page cache sees it during an outage: every use raises."""

    class Unavailable:
        def __getattr__(self, name):
            raise ConnectionError("cache server down")

    monkeypatch.setattr(page_cache, "cache", Unavailable())

"""Search fixtures: an in-memory Elasticsearch stand-in (osmem) and a backend on it.

osmem starts once per session (the osmem pytest plugin's `osmem_server`); each
test gets its own copy-on-write clone (`osmem_clone`), so tests never see each
other's indexes.
"""

import pytest
from osmem_server import OsmemError

from search.backends.elasticsearch import ElasticsearchBackend
from tests.conftest import require_service

# What production names in ELASTICSEARCH_NODE_CLASS when it talks to osmem.
PLAIN_JSON_NODE = "search.transport.PlainJsonHttpNode"


@pytest.fixture(scope="session")
def osmem(request):
    """The plugin's session server; skipped locally (failed under CI) if it cannot start."""
    try:
        return request.getfixturevalue("osmem_server")
    except (OsmemError, OSError) as exc:
        require_service(False, f"osmem-server could not start: {exc}")


@pytest.fixture
def elasticsearch_url(osmem, osmem_clone) -> str:
    return osmem_clone.url


@pytest.fixture
def elasticsearch_backend(elasticsearch_url) -> ElasticsearchBackend:
    """A backend on a fresh, empty osmem clone, using the index alias from settings."""
    return ElasticsearchBackend(elasticsearch_url, node_class=PLAIN_JSON_NODE, timeout=5)


@pytest.fixture(autouse=True)
def fresh_search_state():
    """Forget cached backends, thesaurus and country profiles around every search test.

    They live in the process (backends) and the local-memory cache (the rest), so
    without this a test that changes settings or rolls back themes would leak into
    the next one.
    """
    from django.core.cache import cache

    from search.backends import reset_backends

    cache.clear()
    reset_backends()
    yield
    cache.clear()
    reset_backends()


@pytest.fixture
def embedded_index(demo_site):
    """The embedded index built from the demo site: real commitments and sample case studies."""
    from search import documents
    from search.backends.embedded import EmbeddedBackend

    backend = EmbeddedBackend()
    backend.rebuild(documents.all_documents())
    return backend

"""Elasticsearch played by osmem, an in-memory stand-in started and stopped here."""

from __future__ import annotations

from contextlib import contextmanager

from django.test.utils import override_settings

from search.backends import elasticsearch_backend, reset_backends
from search.documents import all_documents

PLAIN_JSON_NODE = "search.transport.PlainJsonHttpNode"


@contextmanager
def temporary_elasticsearch(index_from_database: bool = False, prefix: str = "reform-bench"):
    """An osmem server as ELASTICSEARCH_URL for the block; yields (backend, server).

    `index_from_database` fills it from the database first (all_documents()).
    Settings are restored and the server stopped on the way out.
    """
    try:
        # Imported here: a dev dependency, which the site itself never needs.
        from osmem_server import OsmemServer
    except ImportError as error:
        raise RuntimeError(
            "osmem-server is not installed (it is a dev dependency: pip install -e '.[dev]')"
        ) from error
    server = OsmemServer.start(japanese=False)
    try:
        with override_settings(
            ELASTICSEARCH_URL=server.url,
            ELASTICSEARCH_NODE_CLASS=PLAIN_JSON_NODE,
            ELASTICSEARCH_TIMEOUT=30.0,
            SEARCH_INDEX_PREFIX=prefix,
        ):
            reset_backends()
            try:
                backend = elasticsearch_backend()
                if index_from_database:
                    backend.rebuild(all_documents())
                yield backend, server
            finally:
                reset_backends()
    finally:
        server.close()

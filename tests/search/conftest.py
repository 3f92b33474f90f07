"""Search fixtures: an in-memory Elasticsearch stand-in (osmem) and a backend on it.

osmem starts once per session (the osmem pytest plugin's `osmem_server`); each
test gets its own copy-on-write clone (`osmem_clone`), so tests never see each
other's indexes. `switchable_server` puts a clone behind a proxy that a test can stop
and start again, to take the search server away and bring it back.
"""

import socket
import threading
from contextlib import suppress
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from osmem_server import OsmemError

from search.backends import get_search_backend, reset_backends
from search.backends.elasticsearch import ElasticsearchBackend
from tests.conftest import require_service

# What production names in ELASTICSEARCH_NODE_CLASS when it talks to osmem.
PLAIN_JSON_NODE = "search.transport.PlainJsonHttpNode"
DEAD_URL = "http://127.0.0.1:1"  # nothing listens on port 1: connections are refused


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
def fresh_search_state(request):
    """Forget cached backends, thesaurus and country profiles around every search test.

    They live in the process (backends) and the cache (the rest), so without this a
    test that changes settings or rolls back themes would leak into the next one. A
    test without the database has nothing cached and, under the database cache, could
    not clear it.
    """
    from django.core.cache import cache

    uses_database = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
    } & set(request.fixturenames)
    if uses_database:
        cache.clear()
    reset_backends()
    yield
    if uses_database:
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


class SwitchableServer:
    """A TCP proxy in front of a search server, which a test can stop and start again.

    Stopped, it refuses connections (and drops open ones), as a server that went away;
    started again, it answers on the same address, in front of the same server or, with
    `start(url)`, another one: a server restarted without its data.
    """

    def __init__(self, target_url: str):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self.start(target_url)

    def start(self, target_url: str | None = None) -> None:
        if target_url:
            parts = urlsplit(target_url)
            self.target = (parts.hostname, parts.port)
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.05)
        self._listener = listener
        self._acceptor = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._acceptor.start()

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener:
            with suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
            self._acceptor.join()  # the port is free once it has let go of the socket
        with self._lock:
            connections, self._connections = self._connections, set()
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            with self._lock:
                self._connections.update((client, upstream))
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, target), daemon=True).start()


def _pump(source: socket.socket, target: socket.socket) -> None:
    with suppress(OSError):
        while data := source.recv(65536):
            target.sendall(data)
    for end in (source, target):
        with suppress(OSError):
            end.shutdown(socket.SHUT_RDWR)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def switchable_server(osmem, elasticsearch_url):
    """The test's osmem clone behind a `SwitchableServer`.

    `fresh_url()` gives another, empty clone, to `start()` it in front of.
    """
    server = SwitchableServer(elasticsearch_url)
    clones = []

    def fresh_url() -> str:
        clones.append(osmem.clone())
        return clones[-1].url

    server.fresh_url = fresh_url
    yield server
    server.stop()
    for clone in clones:
        clone.close()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change and the on-commit hooks it registered, as a real request would."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


@pytest.fixture
def elasticsearch_at():
    """Point the site at an Elasticsearch URL for the rest of the test."""
    overrides = []

    def point(url, timeout=10.0):
        override = override_settings(
            ELASTICSEARCH_URL=url,
            ELASTICSEARCH_NODE_CLASS=PLAIN_JSON_NODE,
            ELASTICSEARCH_TIMEOUT=timeout,
        )
        override.enable()
        overrides.append(override)
        reset_backends()
        return get_search_backend()

    yield point
    for override in reversed(overrides):
        override.disable()
    reset_backends()

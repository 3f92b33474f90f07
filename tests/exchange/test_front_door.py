"""The front door (exchange.front_door): the site's WSGI application sends the pages this
process kept as they left Django, and sends everything else to Django, as it always did.

Requests go through the WSGI application itself, as gunicorn calls it: Django's test
client would go around the front door.
"""

import io
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings

from casestudies.factories import CaseStudyPageFactory
from exchange.core import page_cache
from exchange.front_door import FrontDoor

pytestmark = [pytest.mark.django_db]

cache_on = override_settings(PAGE_CACHE_SECONDS=300, ALLOWED_HOSTS=["testserver"])


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, dict(headers), body

    @property
    def status_code(self) -> int:
        return int(self.status.split()[0])


@pytest.fixture
def site():
    """The site's WSGI application, and a way to ask it for a path; Django's request count
    in `site.django_requests`."""
    # As Django's test client does: closing the connection at the end of a request would
    # end the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    front_door = FrontDoor(WSGIHandler())
    seen = []

    def count(**kwargs):
        seen.append(1)

    request_started.connect(count)

    def get(path, query="", host="testserver", **extra) -> Answer:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": host,
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            **extra,
        }
        started = {}

        def start_response(status, headers, exc_info=None):
            started["status"], started["headers"] = status, headers

        body = b"".join(front_door(environ, start_response))
        return Answer(started["status"], started["headers"], body)

    front_door.get = get
    front_door.django_requests = seen
    yield front_door
    request_started.disconnect(count)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@cache_on
def test_a_page_this_process_served_is_sent_again_as_it_was_without_django(site, home):
    first = site.get("/")
    assert first.headers["X-Page-Cache"] == "miss"
    handled = len(site.django_requests)

    again = site.get("/")
    assert again.status == "200 OK"
    assert again.headers["X-Page-Cache"] == "hit"
    assert again.body == first.body
    # Every header the site's middleware sets, the security policy among them.
    assert {**again.headers, "X-Page-Cache": "miss"} == first.headers
    assert "Content-Security-Policy" in again.headers
    assert len(site.django_requests) == handled


@cache_on
def test_a_page_another_process_cached_is_kept_once_served(site, home, client):
    assert client.get("/")["X-Page-Cache"] == "miss"  # stored in the shared cache
    assert site.get("/").headers["X-Page-Cache"] == "hit"  # from it, through Django
    handled = len(site.django_requests)
    assert site.get("/").headers["X-Page-Cache"] == "hit"
    assert len(site.django_requests) == handled


@cache_on
def test_a_publish_retires_the_page_this_process_kept(site, case_study_index):
    page = CaseStudyPageFactory(parent=case_study_index, title="Kept before the change")
    site.get(page.url)
    assert site.get(page.url).headers["X-Page-Cache"] == "hit"

    page.title = "Published after the change"
    page.save_revision().publish()

    answer = site.get(page.url)
    assert answer.headers["X-Page-Cache"] == "miss"
    assert b"Published after the change" in answer.body


@cache_on
def test_a_kept_page_is_sent_no_longer_than_the_cache_keeps_it(site, home, monkeypatch):
    site.get("/")
    assert site.get("/").headers["X-Page-Cache"] == "hit"
    later = page_cache.time.time() + 301
    monkeypatch.setattr(page_cache.time, "time", lambda: later)
    assert site.get("/").headers["X-Page-Cache"] == "miss"


@cache_on
def test_requests_the_page_cache_does_not_answer_go_to_django(site, home):
    site.get("/")
    assert site.get("/").headers["X-Page-Cache"] == "hit"
    assert site.get("/", "utm_source=newsletter").headers["X-Page-Cache"] == "hit"

    signed_in = site.get("/", HTTP_COOKIE="sessionid=abc")
    assert "X-Page-Cache" not in signed_in.headers
    # RejectControlCharactersMiddleware's answers, not the kept page.
    assert site.get("/", "x=%01").status_code == 400
    assert site.get("/%01").status_code == 404
    assert site.get("/", host="elsewhere.example").status_code == 400


@cache_on
def test_a_search_is_never_answered_from_a_kept_page(site, home):
    site.get("/search/")
    assert site.get("/search/").headers["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in site.get("/search/", "q=budget").headers


@cache_on
def test_a_cache_outage_leaves_pages_to_django(site, home, request):
    site.get("/")  # kept by this process
    request.getfixturevalue("page_cache_down")
    answer = site.get("/")
    assert answer.status_code == 200
    assert "X-Page-Cache" not in answer.headers
    assert b"Reform Exchange" in answer.body

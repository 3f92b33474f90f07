"""One open introduction request per email, peer country and theme, kept by the database.

The form says so politely; the database makes it true when two submissions arrive at
once (tests/learning/test_concurrent_writers.py runs them simultaneously).
"""

import pytest
from django.db import IntegrityError, transaction

from casestudies.models import Country, Theme
from learning.models import IntroductionRequest, IntroductionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(real_data):
    return {
        "paraguay": Country.objects.get(iso3="PRY"),
        "chile": Country.objects.get(iso3="CHL"),
        "ireland": Country.objects.get(iso3="IRL"),
        "lobbying": Theme.objects.get(slug="lobbying"),
        "open_contracting": Theme.objects.get(slug="open-contracting"),
    }


def new_request(places, **fields) -> IntroductionRequest:
    """Built, not saved: `bulk_create` stores the email as given, bypassing `save()`."""
    defaults = {
        "name": "Lucía Benítez",
        "email": "lucia@example.org",
        "country": places["paraguay"],
        "organisation": "SENAC",
        "peer_country": places["chile"],
        "theme": places["lobbying"],
        "goal": "a public register of lobbyists",
        "what_to_learn": "What stalled.",
        "consent": True,
    }
    return IntroductionRequest(**{**defaults, **fields})


def store(request: IntroductionRequest) -> IntroductionRequest:
    with transaction.atomic():
        IntroductionRequest.objects.bulk_create([request])
    return request


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param({}, {}, id="identical"),
        pytest.param({}, {"email": "Lucia@Example.ORG"}, id="email-in-another-case"),
        pytest.param(
            {"status": IntroductionStatus.CONTACTED}, {}, id="while-the-first-is-in-progress"
        ),
        pytest.param({"theme": None}, {"theme": None}, id="both-without-a-theme"),
    ],
)
def test_database_refuses_a_second_open_request_for_the_same_peer_and_theme(places, first, second):
    store(new_request(places, **first))

    with pytest.raises(IntegrityError):
        store(new_request(places, **{**first, **second}))
    assert IntroductionRequest.objects.count() == 1


@pytest.mark.parametrize(
    "second",
    [
        pytest.param({"theme": "open_contracting"}, id="another-theme"),
        pytest.param({"theme": None}, id="no-theme"),
        pytest.param({"peer_country": "ireland"}, id="another-peer"),
        pytest.param({"email": "tomas@example.org"}, id="another-person"),
    ],
)
def test_other_requests_of_the_same_person_are_stored(places, second):
    store(new_request(places))

    store(new_request(places, **{key: places.get(value, value) for key, value in second.items()}))

    assert IntroductionRequest.objects.count() == 2


@pytest.mark.parametrize("status", [IntroductionStatus.INTRODUCED, IntroductionStatus.CLOSED])
def test_a_request_that_is_no_longer_open_does_not_block_a_new_one(places, status):
    store(new_request(places, status=status))

    store(new_request(places))

    assert IntroductionRequest.objects.open().count() == 1


def test_a_closed_request_cannot_be_reopened_beside_an_open_duplicate(places):
    closed = store(new_request(places, status=IntroductionStatus.CLOSED))
    store(new_request(places))

    with pytest.raises(IntegrityError), transaction.atomic():
        closed.move_to(IntroductionStatus.NEW)

"""Brokers learn of waiting introduction requests: a panel on the admin's home page, and
the new-request email, which goes to the superusers while nobody is a broker (issue 12)."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from casestudies.models import Country
from learning.models import IntroductionRequest, IntroductionStatus
from tests.learning.test_introduction_admin import make_introduction
from tests.learning.test_introductions import REQUEST_URL, request_data

pytestmark = pytest.mark.django_db

HOME = "/admin/"


@pytest.fixture
def chile(real_data):
    return Country.objects.get(iso3="CHL")


@pytest.fixture
def kenya(real_data):
    return Country.objects.get(iso3="KEN")


@pytest.fixture
def broker(django_user_model):
    user = django_user_model.objects.create_user("broker", "broker@example.org", "pw-broker-1")
    user.groups.add(Group.objects.get(name="Introduction brokers"))
    return user


@pytest.fixture
def broker_client(client, broker):
    client.force_login(broker)
    return client


def panel(response):
    return BeautifulSoup(response.content, "html.parser").select_one(
        "#waiting-introductions-section"
    )


def panel_rows(response):
    return [
        [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.select("td")]
        for row in panel(response).select("tbody tr")
    ]


def waiting_since(introduction, days):
    moment = timezone.now() - dt.timedelta(days=days)
    IntroductionRequest.objects.filter(pk=introduction.pk).update(created_at=moment)


def test_broker_sees_open_requests_by_status_with_the_oldest_age(broker_client, chile, kenya):
    waiting_since(make_introduction(chile), days=9)
    make_introduction(kenya)
    contacted = make_introduction(chile)
    contacted.move_to(IntroductionStatus.CONTACTED)
    waiting_since(contacted, days=3)
    make_introduction(kenya).move_to(IntroductionStatus.CLOSED)

    response = broker_client.get(HOME)

    assert response.status_code == 200
    assert panel_rows(response) == [
        ["New", "2", "1 week, 2 days"],
        ["Peer contacted", "1", "3 days"],
    ]
    links = [a["href"] for a in panel(response).select("a")]
    assert "/admin/peer_introductions/?status=new" in links
    assert "/admin/peer_introductions/?status=open" in links
    assert "Open the queue (3 requests)" in panel(response).get_text(" ", strip=True)


def test_the_panel_says_so_when_nothing_waits(broker_client, chile):
    make_introduction(chile).move_to(IntroductionStatus.INTRODUCED)

    text = panel(broker_client.get(HOME)).get_text(" ", strip=True)

    assert "No introduction request is waiting" in text
    assert "Nobody is in" not in text


def test_editors_do_not_see_requests_on_their_dashboard(client, editor, chile):
    make_introduction(chile)
    client.force_login(editor)

    response = client.get(HOME)

    assert response.status_code == 200
    assert panel(response) is None


def test_a_superuser_is_told_that_nobody_is_a_broker(client, django_user_model, chile):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-adm-1")
    make_introduction(chile)
    client.force_login(admin)

    text = panel(client.get(HOME)).get_text(" ", strip=True)

    assert "Nobody is in the “Introduction brokers” group yet" in text
    assert "Open the queue (1 request)" in text


def test_new_requests_are_emailed_to_superusers_while_nobody_is_a_broker(
    client, django_user_model, chile
):
    django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-adm-1")
    django_user_model.objects.create_superuser("gone", "gone@example.org", "pw", is_active=False)

    client.post(REQUEST_URL, request_data())

    to_admins = [message for message in mail.outbox if "admin@example.org" in message.to]
    assert len(to_admins) == 1
    assert to_admins[0].subject.startswith("New introduction request:")
    assert all("gone@example.org" not in message.to for message in mail.outbox)


def test_once_there_is_a_broker_superusers_are_no_longer_emailed(
    client, django_user_model, broker, chile
):
    django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-adm-1")

    client.post(REQUEST_URL, request_data())

    recipients = [address for message in mail.outbox for address in message.to]
    assert "broker@example.org" in recipients
    assert "admin@example.org" not in recipients

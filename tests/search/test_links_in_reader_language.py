"""A reader who searches, asks for peers or browses fellowships in French or Spanish follows
links that keep the language: a hit, a peer's evidence, a course or a fellowship opens under
/fr/ or /es/ (the page in that language, or the English one with a notice), never the English
interface. English links stay at the root."""

import pytest
from bs4 import BeautifulSoup

from casestudies.models import Country
from learning.factories import FellowshipPageFactory
from learning.models import FellowshipIndexPage

pytestmark = pytest.mark.django_db


def links(response, selector) -> list[str]:
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [a["href"] for a in soup.select(selector)]


@pytest.mark.parametrize("prefix", ["", "/fr", "/es"])
def test_search_hits_open_in_the_language_being_read(embedded_index, client, prefix):
    hrefs = links(client.get(f"{prefix}/search/", {"q": "access to information"}), ".hit h3 a")

    assert hrefs
    assert all(href.startswith(f"{prefix}/") and not href.startswith("//") for href in hrefs)
    if not prefix:
        assert not any(href.startswith(("/fr/", "/es/")) for href in hrefs)


@pytest.mark.parametrize("prefix", ["/fr", "/es"])
def test_a_peers_evidence_opens_in_the_language_being_read(embedded_index, client, prefix):
    response = client.get(f"{prefix}/peers/", {"country": "PRY", "q": "lobbying register"})
    hrefs = links(response, "li.peer a[href^='/']")

    evidence = [
        href for href in hrefs if "/countries/" not in href and "/introductions/" not in href
    ]
    assert evidence
    assert all(href.startswith(f"{prefix}/") for href in evidence)


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_fellowship_cards_open_in_the_language_being_read(client, real_data, home, prefix):
    page = FellowshipPageFactory(
        parent=FellowshipIndexPage.objects.get(),
        title="A placement",
        host_country=Country.objects.get(iso3="KEN"),
    )

    (href,) = links(client.get(f"{prefix}/fellowships/"), ".fellowship-card h3 a")

    assert href == f"{prefix}{page.url}"
    assert client.get(href).status_code == 200

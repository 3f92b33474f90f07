"""Control characters in a path, a parameter or a form field: a 404 or a 400, never a 500.

PostgreSQL refuses NUL in text, so each of these reached the database and failed there
(issue 10); run this file on both databases (`DATABASE_URL=postgres://...`).
"""

import json

import pytest

pytestmark = pytest.mark.django_db

# The URLs the issue saw fail, and their neighbours.
BAD_PARAMETERS = [
    "/search/?theme=%00",
    "/search/?q=%00",
    "/search/?q=open%00data",
    "/peers/?country=CHL&theme=%00",
    "/peers/?country=%00&q=lobbying",
    "/countries/?region=%00",
    "/case-studies/?theme=%00",
    "/fellowships/?country=%00",
    "/courses/?theme=%00",
    "/introductions/request/?peer=%00",
    "/introductions/request/?peer=CHL&country=%00",
    "/introductions/request/?peer=CHL&theme=%00",
    "/?x=%00",
    # Other controls: C0, DEL, C1 (U+0085 as UTF-8), tab and newline in a query string.
    "/search/?q=a%01b",
    "/search/?q=a%7Fb",
    "/search/?q=a%C2%85b",
    "/search/?q=a%09b",
    "/search/?q=a%0Ab",
    # A control character in a parameter's name.
    "/search/?the%00me=x",
]
BAD_API_PARAMETERS = [
    ("/api/v1/search/?theme=%00", "theme"),
    ("/api/v1/search/?q=%00", "q"),
    ("/api/v1/match/?country=CHL&theme=%00", "theme"),
    ("/api/v1/match/?country=CHL&q=a%00", "q"),
    ("/api/v2/pages/?search=%00", "search"),
    ("/api/v2/pages/?title=%00", "title"),
    ("/api/v2/pages/find/?html_path=%00", "html_path"),
]
BAD_PATHS = [
    "/countries/%00/",
    "/certificates/%00/",
    "/introductions/%00/",
    "/themes/%00/",
    "/case-studies/%00/",
    "/accounts/verify/%00/",
    "/%00/",
    "/countries/CHL%01/",
]


@pytest.mark.parametrize("url", BAD_PARAMETERS)
def test_a_control_character_in_a_parameter_is_a_friendly_400(client, home, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"We could not read that request" in response.content
    assert b"control character" in response.content


def test_the_400_page_names_the_parameter(client, home):
    response = client.get("/countries/?page=2&region=%00")
    assert b"parameter &#x27;region&#x27;" in response.content
    named = client.get("/search/?the%00me=x")
    assert b"the\\x00me" in named.content  # shown, not sent raw


@pytest.mark.parametrize(("url", "param"), BAD_API_PARAMETERS)
def test_a_control_character_in_an_api_parameter_is_a_json_400(client, home, url, param):
    response = client.get(url)
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["param"] == param
    assert "control character" in body["error"]


@pytest.mark.parametrize("url", BAD_PATHS)
def test_a_control_character_in_a_path_is_the_sites_404(client, home, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_a_control_character_in_an_api_path_is_a_json_404(client, home):
    response = client.get("/api/v2/pages/%00/")
    assert response.status_code == 404
    assert json.loads(response.content)["error"] == "Not found."


def test_clean_parameters_still_reach_the_pages(client, home):
    assert client.get("/countries/?region=Europe+%26+Central+Asia").status_code == 200
    assert client.get("/search/?q=open+data").status_code == 200
    assert client.get("/case-studies/?q=caf%C3%A9").status_code == 200


# Form fields (POST): multipart and urlencoded, as browsers send them.


@pytest.mark.parametrize(
    "field",
    [
        "a\x00b",
        "\x00",
        "a\x0bb",  # vertical tab
        "a\x1bb",  # escape
        "a\x85b",  # C1 next line
    ],
)
def test_a_control_character_in_a_form_field_is_a_400(client, home, field):
    response = client.post("/accounts/login/", {"username": field, "password": "x"})
    assert response.status_code == 400
    assert b"form field &#x27;username&#x27;" in response.content


def test_an_urlencoded_form_with_nul_is_a_400(client, home):
    response = client.post(
        "/introductions/request/?peer=CHL",
        "name=Ana&email=ana%40example.org&goal=a%00b",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert b"form field &#x27;goal&#x27;" in response.content


def test_multi_line_form_text_is_accepted(client, home, django_user_model):
    """Tab, line feed and carriage return belong in text areas: the form decides, not us."""
    django_user_model.objects.create_user("ana", "ana@example.org", "a-long-passphrase-1")
    response = client.post(
        "/accounts/login/", {"username": "ana\r\n\tsmith", "password": "a-long-passphrase-1"}
    )
    assert response.status_code == 200  # the log-in form, with its own error
    assert b"We could not read that request" not in response.content


def test_a_json_body_is_left_to_its_view(client, home):
    """Only form encodings are read here: a JSON body is not parsed (nor consumed)."""
    response = client.post(
        "/accounts/login/", '{"username": "a\\u0000"}', content_type="application/json"
    )
    assert response.status_code == 200  # the log-in form, asking for its fields

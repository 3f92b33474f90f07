"""English, French and Spanish: URLs, the switcher, translated pages, fallbacks, the cache.

English stays at the root and every public URL is also served under /fr/ and /es/; a page
with no translation is served in English at the French or Spanish address, with a notice.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import override_settings
from wagtail.models import Locale

from casestudies.factories import CaseStudyPageFactory
from casestudies.models import CaseStudyPage
from exchange.sample_translations import load_sample_translations
from search import registry
from tests.i18n import ensure_compiled_messages

pytestmark = [pytest.mark.django_db]

TRANSLATED = "kenya-access-to-information-act"
UNTRANSLATED = "uk-beneficial-ownership-register"


@pytest.fixture(autouse=True, scope="module")
def compiled_messages():
    ensure_compiled_messages()


@pytest.fixture
def translated_site(demo_site):
    """The demo case studies with the sample translations load_demo makes."""
    from django.core.management import call_command

    call_command(
        "import_courses",
        "learning/sample_content",
        publish=True,
        verbosity=0,
    )
    load_sample_translations()
    return demo_site


def html_lang(response) -> str:
    return re.search(rb'<html lang="([^"]+)"', response.content).group(1).decode()


@pytest.mark.parametrize(
    ("prefix", "language", "button"),
    [("", "en", "Search"), ("/fr", "fr", "Rechercher"), ("/es", "es", "Buscar")],
)
def test_search_page_is_served_in_each_language_under_its_prefix(
    client, home, prefix, language, button
):
    response = client.get(f"{prefix}/search/")

    assert response.status_code == 200
    assert html_lang(response) == language
    assert response["Content-Language"] == language
    assert f'<button type="submit">{button}</button>' in response.content.decode()


def test_a_french_browser_still_gets_english_at_the_root(client, home):
    response = client.get("/search/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    assert html_lang(response) == "en"


def test_the_public_urls_of_the_design_keep_working_unprefixed(client, translated_site):
    for url in [
        "/",
        "/case-studies/",
        "/countries/",
        "/countries/KEN/",
        "/themes/right-to-information/",
        "/search/?q=access+to+information",
        "/peers/?country=KEN&q=access+to+information",
        "/courses/",
        "/fellowships/",
        "/accounts/login/",
        "/accounts/signup/",
        f"/case-studies/{TRANSLATED}/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert html_lang(response) == "en", url
    assert client.get("/admin/").status_code == 302  # to the admin's log-in
    assert client.get("/api/v1/search/?q=kenya").json()["total"] > 0
    assert client.get("/api/v1/match/?country=KEN&q=access+to+information").status_code == 200
    assert client.get("/api/v2/pages/").status_code == 200


def test_the_same_pages_answer_under_fr_and_es(client, translated_site):
    for url in ["/", "/case-studies/", "/countries/KEN/", "/themes/right-to-information/"]:
        for prefix in ("/fr", "/es"):
            response = client.get(prefix + url)
            assert response.status_code == 200, prefix + url
            assert html_lang(response) == prefix[1:], prefix + url


def test_language_switcher_and_hreflang_point_to_the_same_page(client, home):
    response = client.get("/fr/countries/?region=Sub-Saharan+Africa")
    html = response.content.decode()

    switcher = html[html.index('class="language-nav"') :]
    switcher = switcher[: switcher.index("</nav>")]
    assert 'href="/countries/?region=Sub-Saharan+Africa" lang="en"' in switcher
    assert 'href="/es/countries/?region=Sub-Saharan+Africa" lang="es"' in switcher
    assert (
        'href="/fr/countries/?region=Sub-Saharan+Africa" lang="fr" hreflang="fr" aria-current'
        in switcher
    )
    assert '<link rel="alternate" hreflang="es" href="http://testserver/es/countries/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/countries/">' in html


def test_links_in_a_french_page_stay_in_french(client, translated_site):
    html = client.get("/fr/case-studies/").content.decode()

    assert f'href="/fr/case-studies/{UNTRANSLATED}/"' in html
    assert 'href="/fr/countries/"' in html
    assert 'href="/fr/themes/' in html


def test_translated_case_study_is_read_in_french_without_notice(client, translated_site):
    response = client.get(f"/fr/case-studies/{TRANSLATED}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "La loi kényane sur l’accès à l’information" in html
    assert "Contenu d’exemple." in html  # still marked as sample content
    assert "pas encore disponible en français" not in html
    assert BeautifulSoup(html, "html.parser").select("main [lang]") == []  # all French


def test_untranslated_case_study_shows_english_with_a_notice_not_a_404(client, translated_site):
    english = CaseStudyPage.objects.get(slug=UNTRANSLATED)
    for prefix, notice in [
        ("/fr", "Cette page n’est pas encore disponible en français"),
        ("/es", "Esta página aún no está disponible en español"),
    ]:
        response = client.get(f"{prefix}/case-studies/{UNTRANSLATED}/")
        html = response.content.decode()

        assert response.status_code == 200
        assert english.title.replace("'", "&#x27;") in html
        assert notice in html
        # What the editors wrote is marked as English for screen readers; the interface
        # around it, inside the page's main part too, stays in the reader's language.
        page = BeautifulSoup(html, "html.parser")
        assert html_lang(response) == prefix[1:]
        assert page.main.get("lang") is None
        assert page.h1["lang"] == "en"
        assert page.select_one(".lead")["lang"] == "en"
        assert page.select_one(".case-study__body")["lang"] == "en"
        assert page.select_one("#commitments-heading").find_parent(lang=True).name == "html"


def test_a_page_that_exists_in_no_language_is_still_a_404(client, translated_site):
    assert client.get("/fr/case-studies/no-such-reform/").status_code == 404
    assert client.get("/fr/no-such-page/").status_code == 404


def test_a_french_list_of_case_studies_reads_its_translations_in_one_query(client, translated_site):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        client.get(url)  # warm: what every request reads anyway is cached
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    english, french = queries("/case-studies/"), queries("/fr/case-studies/")

    # Two queries more: routing finds the French listing page, then the cards' translations
    # are read by the translation keys the cards already carry (no query of their own).
    assert len(french) == len(english) + 2


def test_translations_appear_once_in_listings_and_the_search_index(client, translated_site):
    english_count = CaseStudyPage.objects.filter(locale=Locale.get_default()).count()
    assert CaseStudyPage.objects.count() == english_count + 6  # 3 in French, 3 in Spanish

    listing = client.get("/case-studies/").content.decode()
    assert f"{english_count} case studies" in listing
    assert listing.count(f"/case-studies/{TRANSLATED}/") == 1
    casestudies = registry.get("casestudy")
    assert casestudies.count() == english_count


def test_sample_translations_load_again_without_change(translated_site):
    again = load_sample_translations()

    assert again.created == [] and again.updated == []
    assert again.unchanged == 10  # 2 home pages, 6 case studies, 2 courses


def test_home_page_and_course_are_translated(client, translated_site):
    assert "Apprenez de pairs qui ont mené la réforme" in client.get("/fr/").content.decode()
    assert "Aprenda de pares que hicieron la reforma" in client.get("/es/").content.decode()
    course = client.get("/es/courses/making-commitments-transformative/").content.decode()
    assert "Compromisos transformadores" in course
    assert "Cómo lee el MRI un compromiso" in course  # its modules too


def test_dates_are_written_in_the_readers_language(client, demo_site):
    page = CaseStudyPage.objects.get(slug=UNTRANSLATED)
    month = page.last_published_at.month
    french = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ][month - 1]

    html = client.get(f"/fr/case-studies/{UNTRANSLATED}/").content.decode()

    assert f"Dernière mise à jour : {page.last_published_at.day} {french}" in html


@override_settings(PAGE_CACHE_SECONDS=300)
def test_page_cache_never_serves_one_language_to_another(client, home):
    english = client.get("/search/")
    french = client.get("/fr/search/")
    english_again = client.get("/search/")
    french_again = client.get("/fr/search/")

    assert english["X-Page-Cache"] == "miss" and french["X-Page-Cache"] == "miss"
    assert english_again["X-Page-Cache"] == "hit" and french_again["X-Page-Cache"] == "hit"
    assert html_lang(english_again) == "en"
    assert html_lang(french_again) == "fr"
    assert "Rechercher" not in english_again.content.decode()


@override_settings(PAGE_CACHE_SECONDS=300)
def test_page_cache_keeps_french_account_pages_out(client, home):
    client.get("/fr/accounts/login/")

    assert "X-Page-Cache" not in client.get("/fr/accounts/login/")


def test_signup_email_is_written_in_the_language_the_person_used(
    client, home, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/es/accounts/signup/",
            {
                "name": "Ana Pérez",
                "email": "ana@example.org",
                "password1": "una-clave-larga-2026",
                "password2": "una-clave-larga-2026",
            },
        )

    assert response.status_code == 302
    assert response["Location"] == "/es/accounts/signup/done/"
    (message,) = mail.outbox
    assert message.subject == "Verifique su dirección de correo para Reform Exchange"
    assert "Gracias por registrarse" in message.body
    assert "/es/accounts/verify/" in message.body


def test_editors_and_moderators_may_translate_pages(editor, moderator):
    assert editor.has_perm("simple_translation.submit_translation")
    assert moderator.has_perm("simple_translation.submit_translation")
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"en", "fr", "es"}


def test_an_editor_translates_a_page_from_the_admin(client, editor, case_study_index, demo_site):
    page = CaseStudyPageFactory(parent=case_study_index, title="Editor's reform", slug="editors")
    client.force_login(editor)
    french = Locale.objects.get(language_code="fr")

    response = client.post(f"/admin/translation/submit/page/{page.pk}/", {"locales": [french.pk]})

    assert response.status_code == 302
    assert page.get_translation(french).title == "Editor's reform"


def test_editors_see_which_pages_lack_a_translation(client, editor, translated_site):
    client.force_login(editor)

    html = client.get("/admin/reports/missing-translations/").content.decode()

    untranslated = CaseStudyPage.objects.get(slug=UNTRANSLATED)
    assert untranslated.title.replace("'", "&#x27;") in html
    assert "Kenya&#x27;s Access to Information Act" not in html  # in all three languages
    assert f"/admin/translation/submit/page/{untranslated.pk}/" in html


def test_learners_cannot_see_the_missing_translations_report(client, django_user_model, home):
    learner = django_user_model.objects.create_user("learner", "l@example.org", "pw-learner-1")
    client.force_login(learner)

    assert client.get("/admin/reports/missing-translations/").status_code in (302, 403)


def test_french_listing_shows_translated_titles_linking_to_translations(client, translated_site):
    html = client.get("/fr/case-studies/").content.decode()

    assert "La loi kényane sur l’accès à l’information" in html
    assert "Kenya&#x27;s Access to Information Act" not in html
    assert html.count(f'href="/fr/case-studies/{TRANSLATED}/"') == 1
    assert "Royaume-Uni" in html  # country names in French too


def _cards(response) -> list[tuple[str, str | None, str | None]]:
    """(title, lang of the title, lang of the summary) of each card on a page."""
    from bs4 import BeautifulSoup

    cards = BeautifulSoup(response.content, "html.parser").select("article.card")
    return [
        (
            card.select_one(".card__title").get_text(strip=True),
            card.select_one(".card__title").get("lang"),
            card.select_one(".card__meta + p").get("lang"),
        )
        for card in cards
    ]


@pytest.mark.parametrize("path", ["/fr/countries/KEN/", "/fr/themes/right-to-information/"])
def test_every_list_of_case_study_cards_shows_the_french_translation(client, translated_site, path):
    cards = _cards(client.get(path))
    assert ("La loi kényane sur l’accès à l’information", None, None) in cards


def test_an_untranslated_card_in_a_french_list_says_its_text_is_english(client, translated_site):
    cards = {title: lang for title, *lang in _cards(client.get("/fr/case-studies/"))}
    assert cards["La loi kényane sur l’accès à l’information"] == [None, None]
    assert cards["Slovakia's Register of Public Sector Partners"] == ["en", "en"]
    assert set(map(tuple, cards.values())) == {(None, None), ("en", "en")}
    # In English nothing is marked: the page's own language is the cards'.
    assert all(lang == [None, None] for _, *lang in _cards(client.get("/case-studies/")))


def test_the_french_course_listing_shows_the_course_translation(client, translated_site):
    cards = _cards(client.get("/fr/courses/"))
    translated = [card for card in cards if card[1] is None]
    assert [title for title, *_ in translated] == [
        "Rendre les engagements transformateurs : précision, ambition et mise en œuvre selon le MEI"
    ]
    assert all(lang == ["en", "en"] for title, *lang in cards if title != translated[0][0])


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("", "Access to information"),
        ("/fr", "Accès à l’information"),
        ("/es", "Acceso a la información"),
    ],
)
def test_a_case_studys_ogp_values_are_named_in_the_language(
    client, translated_site, prefix, values
):
    from bs4 import BeautifulSoup

    html = BeautifulSoup(client.get(f"{prefix}/case-studies/{TRANSLATED}/").content, "html.parser")
    [listed] = [
        dt.find_next_sibling("dd")
        for dt in html.select("dt")
        if "OGP" in dt.get_text() or "PGO" in dt.get_text() or "AGA" in dt.get_text()
    ]
    assert listed.get_text().startswith(values)

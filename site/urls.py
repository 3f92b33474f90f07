from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from exchange import localized_serving
from exchange.api import api_router

# Not language-prefixed: the admin (in each editor's own language), documents and the
# page API keep one URL each.
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every public URL in the three languages: English at the root (unchanged), French under
# /fr/, Spanish under /es/ (DESIGN §5). The JSON APIs keep their unprefixed URLs and answer
# under a prefix too, with labels in that language.
urlpatterns += i18n_patterns(
    path("", include("casestudies.urls")),
    path("", include("search.urls")),
    path("", include("learning.urls")),
    path("accounts/", include("learning.accounts.urls")),
    # Wagtail's page serving comes last: it answers every URL not matched above, and serves
    # the English page where a translation is missing (exchange.localized_serving).
    *[pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"],
    re_path(wagtail_urls.serve_pattern, localized_serving.serve, name="wagtail_serve"),
    prefix_default_language=False,
)

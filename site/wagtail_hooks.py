"""Admin additions of the site package: translating pages and the missing-translations report.

This app comes first in INSTALLED_APPS, so its admin URLs are matched before those of
wagtail.contrib.simple_translation: its "Translate page" address is served by
exchange.translation_admin.TranslatePageView.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from exchange import translation_admin


@hooks.register("register_admin_urls")
def register_translation_urls():
    return [
        path(
            "translation/submit/page/<int:page_id>/",
            translation_admin.TranslatePageView.as_view(),
            name="exchange_translate_page",
        ),
        path(
            "reports/missing-translations/",
            translation_admin.missing_translations_report,
            name="exchange_missing_translations",
        ),
    ]


class MissingTranslationsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(translation_admin.PERMISSION)


@hooks.register("register_reports_menu_item")
def register_missing_translations_menu_item():
    return MissingTranslationsMenuItem(
        _("Missing translations"),
        reverse("exchange_missing_translations"),
        icon_name="site",
        order=710,
    )

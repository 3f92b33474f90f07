"""Translating pages in the admin: the "Translate" action, and which pages lack a translation.

Wagtail's simple translation copies a page into another locale for editors to translate
(chosen over wagtail-localize: it needs no extra package, database tables or translation
memory, and editors translate in the page editor they know; the site has a handful of
editors and three languages). Out of the box it refuses a page whose parent has no
translation, so an editor could not translate one case study without first translating the
case study index, whose translation would then list only the translated case studies. Here
the parents are copied as aliases instead, as Wagtail does for a subtree: an alias mirrors
the English parent, and exchange.localized_serving serves the English section page at its
translated address.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.admin import messages
from wagtail.contrib.simple_translation.views import SubmitPageTranslationView
from wagtail.models import Locale, Page

from exchange.core.visibility import live_public

PERMISSION = "simple_translation.submit_translation"


class TranslatePageView(SubmitPageTranslationView):
    """Wagtail's "Translate page", for pages whose parent is not translated yet too."""

    def get_form(self):
        form = super().get_form()
        # Wagtail disables the locales the parent lacks; they are allowed here.
        form.fields["locales"].widget.disabled_values = []
        return form

    def post(self, request, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(**kwargs))
        locales = list(form.cleaned_data["locales"])
        with transaction.atomic():
            for locale in locales:
                CopyPageForTranslationAction(
                    page=self.object,
                    locale=locale,
                    include_subtree=form.cleaned_data["include_subtree"],
                    copy_parents=True,
                    user=request.user,
                ).execute(skip_permission_checks=True)
        names = ", ".join(locale.get_display_name() for locale in locales)
        messages.success(request, self.get_success_message(names))
        single = self.object.get_translation(locales[0]) if len(locales) == 1 else None
        return redirect(self.get_success_url(single))


def missing_translations() -> list[dict]:
    """Live English pages (sections and content, not the site root) with the languages they
    lack: a translation that exists but is only an alias or a draft counts as missing."""
    default = Locale.get_default()
    others = list(Locale.objects.exclude(pk=default.pk).order_by("language_code"))
    pages = list(
        live_public(Page.objects.filter(depth__gt=1)).filter(locale=default).order_by("path")
    )
    translated = {
        (key, locale_id)
        for key, locale_id in Page.objects.filter(
            translation_key__in=[page.translation_key for page in pages],
            live=True,
            alias_of__isnull=True,
        ).values_list("translation_key", "locale_id")
    }
    rows = []
    for page in pages:
        missing = [
            locale for locale in others if (page.translation_key, locale.pk) not in translated
        ]
        if missing:
            rows.append({"page": page, "missing": missing})
    return rows


def missing_translations_report(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    rows = missing_translations()
    return render(
        request,
        "exchange/admin/missing_translations.html",
        {
            "rows": rows,
            "languages": dict(settings.LANGUAGES),
            "page_title": _("Pages without a translation"),
            "header_icon": "site",
        },
    )

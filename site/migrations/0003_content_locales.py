"""The French and Spanish content locales, and the right to translate pages for editors.

Wagtail's migrations create the default locale (English, from LANGUAGE_CODE); pages are
translated into a locale only once it exists, so a fresh `migrate` creates the other two
of OGP's languages (the list is fixed here, as a migration must not read settings that
change later). Editors and Moderators may use the admin's "Translate" action
(wagtail.contrib.simple_translation).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_LANGUAGES = ("fr", "es")
TRANSLATING_GROUPS = ("Editors", "Moderators")


def add_locales_and_permission(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for language_code in CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=language_code)

    app_config = apps.get_app_config("simple_translation")
    # Permissions are normally created after all migrations; make sure this one exists now.
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="simple_translation", codename="submit_translation"
    )
    for group in Group.objects.filter(name__in=TRANSLATING_GROUPS):
        group.permissions.add(permission)


def remove_permission(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=TRANSLATING_GROUPS):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="simple_translation", codename="submit_translation"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0002_shared_cache_table"),
        ("simple_translation", "0001_initial"),
        # The Editors and Moderators groups.
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(add_locales_and_permission, remove_permission)]

"""Who brokers peer introductions, and who sees how useful they were.

Requests hold personal data (names, emails, what someone wants to learn): only the
"Introduction brokers" group sees and moves them; a superuser adds the Support Unit
staff who broker. The ratings report shows aggregates per peer country and theme
without names, so Editors and Moderators see it too.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

BROKERS = "Introduction brokers"
BROKER_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("learning", "view_introductionrequest"),
    ("learning", "change_introductionrequest"),
    ("learning", "view_introduction_ratings"),
]
RATINGS_GROUPS = ["Editors", "Moderators"]


def _permissions(apps, pairs):
    Permission = apps.get_model("auth", "Permission")
    for app_label, codename in pairs:
        yield from Permission.objects.filter(content_type__app_label=app_label, codename=codename)


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    brokers, _ = Group.objects.get_or_create(name=BROKERS)
    brokers.permissions.add(*_permissions(apps, BROKER_PERMISSIONS))
    ratings = list(_permissions(apps, [("learning", "view_introduction_ratings")]))
    for name in RATINGS_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*ratings)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=BROKERS).delete()
    for group in Group.objects.filter(name__in=RATINGS_GROUPS):
        group.permissions.remove(*group.permissions.filter(codename="view_introduction_ratings"))


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0005_peer_introductions"),
        ("learning", "0004_fellowship_reviewers"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

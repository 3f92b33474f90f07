"""Create the "Fellowship reviewers" group, the only one that sees applications.

Applications are personal data, so Editors and Moderators do not get these
permissions; a superuser adds the people who review to this group. Reviewers
need admin access to reach the applications.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Fellowship reviewers"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("learning", "view_fellowshipapplication"),
    ("learning", "change_fellowshipapplication"),
    ("learning", "view_applicationscore"),
    ("learning", "add_applicationscore"),
    ("learning", "change_applicationscore"),
]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0003_fellowships"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

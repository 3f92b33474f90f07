"""Let Wagtail's Editors and Moderators see the per-course figures report.

The report shows aggregates only; learners, who have no admin access, never
reach it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Editors", "Moderators"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    report = Permission.objects.filter(
        content_type__app_label="learning", codename="view_course_report"
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*report)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*group.permissions.filter(codename="view_course_report"))


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0001_initial"),
        ("casestudies", "0002_editor_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

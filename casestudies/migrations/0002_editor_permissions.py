"""Give Wagtail's Editors and Moderators groups the reference-data snippets.

Wagtail's own migrations create both groups, their page permissions (editors
can add and edit, only moderators publish) and the "Moderators approval"
workflow on the root page. This adds what our models need, so a fresh
`migrate` yields a working editorial set-up without clicking in the admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = {
    "commitment": ["add", "change", "view"],
    "country": ["change", "view"],
    "theme": ["add", "change", "view"],
}
MODERATOR_PERMISSIONS = {
    "commitment": ["add", "change", "delete", "view"],
    "country": ["add", "change", "delete", "view"],
    "theme": ["add", "change", "delete", "view"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, table in (("Editors", EDITOR_PERMISSIONS), ("Moderators", MODERATOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=group_name)
        for model, actions in table.items():
            codenames = [f"{action}_{model}" for action in actions]
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="casestudies",
                                           codename__in=codenames)
            )
        admin_access = Permission.objects.filter(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
        group.permissions.add(*admin_access)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="casestudies"))


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0001_initial"),
        ("wagtailcore", "0048_add_default_workflows"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

"""Customer service registers requests that came by letter, telephone or e-mail and verifies
the person's identity; the privacy officer works the whole queue (answers, extends, refuses)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMS = {
    "privacy_officer": [
        "view_subjectrequest",
        "add_subjectrequest",
        "change_subjectrequest",
    ],
    "customer_service": ["view_subjectrequest", "add_subjectrequest", "change_subjectrequest"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in PERMS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label="privacy", codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in PERMS.items():
        group = Group.objects.filter(name=group_name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="privacy", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0004_subject_requests")]
    operations = [migrations.RunPython(grant, revoke)]

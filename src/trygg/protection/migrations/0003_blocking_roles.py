"""The blocking line's agents take calls, register lost items and work the callback queue."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMS = {
    "blocking_agent": [
        "view_blockingcall",
        "add_blockingcall",
        "view_block",
        "view_item",
        "add_item",
        "view_callback",
        "change_callback",
        "view_issuer",
    ],
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
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="protection", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in PERMS.items():
        group = Group.objects.filter(name=group_name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="protection", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("protection", "0002_issuer_directory"), ("identity", "0002_staff_roles")]
    operations = [migrations.RunPython(grant, revoke)]

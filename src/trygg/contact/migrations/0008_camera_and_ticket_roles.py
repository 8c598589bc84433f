"""The security officer keeps the cameras and the footage register; customer service and the
privacy officer read support tickets."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMS = {
    "security_officer": [
        "view_camera",
        "add_camera",
        "change_camera",
        "view_footageviewing",
        "add_footageviewing",
        "view_footageexport",
        "add_footageexport",
        "change_footageexport",
    ],
    "privacy_officer": ["view_camera", "view_footageviewing", "view_footageexport"],
    "customer_service": ["view_supportticket", "add_supportticket", "change_supportticket"],
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
                Permission.objects.get(content_type__app_label="contact", codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in PERMS.items():
        group = Group.objects.filter(name=group_name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="contact", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("contact", "0007_cameras_and_tickets")]
    operations = [migrations.RunPython(grant, revoke)]

"""The reception signs visitors in and out and hands the evacuation list over; the security
officer may do the same and see the visits."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMS = {
    "reception": ["view_visit", "add_visit", "change_visit", "add_visitrelease", "view_site"],
    "security_officer": ["view_visit", "add_visit", "add_visitrelease", "view_visitrelease"],
    "privacy_officer": ["view_visit", "view_visitrelease"],
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
    Group.objects.filter(name="reception").delete()


class Migration(migrations.Migration):
    dependencies = [("contact", "0005_visitors")]
    operations = [migrations.RunPython(grant, revoke)]

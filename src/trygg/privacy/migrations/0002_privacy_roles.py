"""Every member of staff reads the register of processing activities; the privacy officer
places and lifts legal holds and reads the retention runs' reports."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ_REGISTER = ["view_processing"]
PERMS = {
    "privacy_officer": READ_REGISTER
    + ["view_legalhold", "add_legalhold", "change_legalhold", "view_retentionrun"],
    "customer_service": READ_REGISTER,
    "underwriter": READ_REGISTER,
    "claims_handler": READ_REGISTER,
    "billing_clerk": READ_REGISTER,
    "blocking_agent": READ_REGISTER,
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
    dependencies = [
        ("privacy", "0001_legal_holds_and_retention_runs"),
        ("identity", "0002_staff_roles"),
    ]
    operations = [migrations.RunPython(grant, revoke)]

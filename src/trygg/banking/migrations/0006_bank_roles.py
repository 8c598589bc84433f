"""Staff who may look at the bank's records: customer service and the billing clerk."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMS = {
    "customer_service": ["view_account", "view_payment", "view_tradeorder", "view_registration"],
    "billing_clerk": ["view_registration", "view_payment"],
    "privacy_officer": ["view_account"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in PERMS.items():
        group = Group.objects.get(name=group_name)
        for codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label="banking", codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in PERMS.items():
        group = Group.objects.filter(name=group_name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="banking", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("banking", "0005_trading"), ("identity", "0002_staff_roles")]
    operations = [migrations.RunPython(grant, revoke)]

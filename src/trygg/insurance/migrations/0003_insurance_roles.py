"""The insurance's permissions for the staff roles: underwriters decide and keep the product's
data; customer service enters paper applications; claims handlers read policies."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PRODUCT_DATA = [
    "view_pricebaseamount",
    "add_pricebaseamount",
    "change_pricebaseamount",
    "view_tariff",
    "add_tariff",
    "change_tariff",
    "view_tariffprice",
    "add_tariffprice",
    "change_tariffprice",
    "view_healthquestion",
    "add_healthquestion",
    "change_healthquestion",
]
PERMS = {
    "underwriter": PRODUCT_DATA
    + ["view_application", "underwrite_application", "view_policy", "view_policyterm"],
    "customer_service": ["view_application", "add_application", "view_policy"],
    "claims_handler": ["view_application", "view_policy", "view_policyterm"],
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
                Permission.objects.get(content_type__app_label="insurance", codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in PERMS.items():
        group = Group.objects.filter(name=group_name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="insurance", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("insurance", "0002_accident_product"), ("identity", "0002_staff_roles")]
    operations = [migrations.RunPython(grant, revoke)]

"""Claims on the protection insurances: claims handlers see, enter, decide and pay them and open
their documents; customer service sees them, enters paper claim forms and opens the documents;
both see a customer's whole engagement (through the agreements' view permission)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMS = {
    "claims_handler": [
        "view_protectionclaim",
        "add_protectionclaim",
        "decide_protectionclaim",
        "view_claimdocument",
        "view_agreement",
        "view_product",
    ],
    "customer_service": [
        "view_protectionclaim",
        "add_protectionclaim",
        "view_claimdocument",
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
    dependencies = [
        ("protection", "0009_protection_claims"),
        ("claims", "0002_claims_roles"),
    ]
    operations = [migrations.RunPython(grant, revoke)]

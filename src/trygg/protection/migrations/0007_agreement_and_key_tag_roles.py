"""Customer service reads agreements, invoices, letters and payments, reads in Nets' OCR giro
files and works found-keys cases; the blocking line's agents see a caller's agreements and take
the finders' calls."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMS = {
    "customer_service": [
        "view_agreement",
        "view_invoice",
        "view_agreementletter",
        "view_ocrfile",
        "add_ocrfile",
        "view_payment",
        "view_product",
        "view_legalentity",
        "view_keytagbatch",
        "view_keytag",
        "view_foundkeyscase",
        "change_foundkeyscase",
    ],
    # The 24/7 line also takes the finders' calls.
    "blocking_agent": [
        "view_agreement",
        "view_product",
        "view_legalentity",
        "view_foundkeyscase",
        "change_foundkeyscase",
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
    dependencies = [("protection", "0006_key_tags_and_found_keys")]
    operations = [migrations.RunPython(grant, revoke)]

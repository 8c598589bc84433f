"""Staff roles as groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ_CUSTOMERS = [
    ("parties", "view_party"),
    ("parties", "view_address"),
    ("parties", "view_contactmethod"),
    ("parties", "view_soletrader"),
]
ROLES = {
    "customer_service": READ_CUSTOMERS
    + [
        ("parties", "add_party"),
        ("parties", "change_party"),
        ("parties", "add_address"),
        ("parties", "change_address"),
        ("parties", "delete_address"),
        ("parties", "add_contactmethod"),
        ("parties", "change_contactmethod"),
        ("parties", "delete_contactmethod"),
        ("parties", "add_soletrader"),
        ("parties", "change_soletrader"),
        ("identity", "issue_pin_letter"),
        ("identity", "unlock_pin"),
        ("identity", "view_customer_audit"),
        ("identity", "view_pinletter"),
    ],
    "underwriter": READ_CUSTOMERS,
    "claims_handler": READ_CUSTOMERS,
    "billing_clerk": READ_CUSTOMERS,
    "privacy_officer": READ_CUSTOMERS
    + [
        ("kernel", "view_auditevent"),
        ("identity", "view_customer_audit"),
    ],
    "blocking_agent": READ_CUSTOMERS,
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0001_initial"),
        ("parties", "0001_initial"),
        ("kernel", "0002_audit_chain_append_only"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]

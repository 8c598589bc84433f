"""The accident insurance's billing terms, and the billing clerks' permissions."""

from decimal import Decimal

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMS = {
    "billing_clerk": [
        "view_mandate",
        "add_mandate",
        "change_mandate",
        "run_billing",
        "view_charge",
        "view_notice",
        "view_billingrun",
        "view_bankgirotfile",
        "view_billingterms",
        "change_billingterms",
    ],
    "customer_service": ["view_mandate", "add_mandate", "view_charge", "view_notice"],
}


def forwards(apps, schema_editor):
    Product = apps.get_model("insurance", "Product")
    BillingTerms = apps.get_model("billing", "BillingTerms")
    product = Product.objects.filter(code="accident").first()
    if product is not None:
        BillingTerms.objects.get_or_create(
            product=product,
            defaults={
                "non_payment": "B",
                "notice_fee": Decimal("25.00"),
                "invoice_days": 14,
                "max_attempts": 2,
            },
        )
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
                Permission.objects.get(content_type__app_label="billing", codename=codename)
            )


def backwards(apps, schema_editor):
    apps.get_model("billing", "BillingTerms").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
        ("insurance", "0004_term_is_the_schedule"),
        ("claims", "0002_claims_roles"),
        ("identity", "0002_staff_roles"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]

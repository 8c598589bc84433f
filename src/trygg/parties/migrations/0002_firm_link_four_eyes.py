"""Firm links with four eyes: the registered owner of a firm, a link's proposal and decision.

Existing Swedish sole traders' firms are registered under the owner's number, which becomes
their registered owner. An existing link stays in force only where that registration names
its person; any other waits, proposed, for a member of staff to approve or reject it.
Customer service may approve (never their own proposals: the database refuses that).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.db.models import F


def registrations_and_links(apps, schema_editor):
    Party = apps.get_model("parties", "Party")
    SoleTrader = apps.get_model("parties", "SoleTrader")
    Party.objects.filter(id_kind="sole_trader").update(registered_owner=F("id_number"))
    for link in SoleTrader.objects.select_related("person", "firm"):
        owned = (
            link.firm.kind == "organisation"
            and link.firm.registered_owner == link.person.id_number
            and link.firm.country == link.person.country
        )
        if owned:
            link.state = "approved"
            link.decided_by = "system:migration"
            link.decided_by_label = "migration"
        else:
            link.state = "proposed"
        link.save(update_fields=["state", "decided_by", "decided_by_label"])


def grant_approval(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="parties", codename="approve_soletrader"
    )
    for group in Group.objects.filter(name="customer_service"):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("parties", "0001_initial"),
        ("identity", "0002_staff_roles"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="soletrader",
            options={
                "permissions": [("approve_soletrader", "Can approve a sole trader's firm link")],
                "verbose_name": "sole trader's firm link",
                "verbose_name_plural": "sole traders' firm links",
            },
        ),
        migrations.AddField(
            model_name="party",
            name="registered_owner",
            field=models.CharField(
                blank=True,
                help_text="A sole proprietorship's owner as the business register records them: their normalised personal identity number (a Swedish sole trader's firm is registered under it).",
                max_length=12,
                verbose_name="registered owner",
            ),
        ),
        migrations.AddField(
            model_name="soletrader",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="decided"),
        ),
        migrations.AddField(
            model_name="soletrader",
            name="decided_by",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="soletrader",
            name="decided_by_label",
            field=models.CharField(blank=True, max_length=150, verbose_name="decided by"),
        ),
        migrations.AddField(
            model_name="soletrader",
            name="proposed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="proposed"),
        ),
        migrations.AddField(
            model_name="soletrader",
            name="proposed_by",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="soletrader",
            name="proposed_by_label",
            field=models.CharField(blank=True, max_length=150, verbose_name="proposed by"),
        ),
        migrations.AddField(
            model_name="soletrader",
            name="state",
            field=models.CharField(
                choices=[
                    ("proposed", "Waiting for approval"),
                    ("approved", "Approved"),
                    ("rejected", "Rejected"),
                ],
                default="proposed",
                max_length=10,
                verbose_name="state",
            ),
        ),
        migrations.RunPython(registrations_and_links, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="party",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("id_kind", "sole_trader"), _negated=True),
                    ("registered_owner", models.F("id_number")),
                    _connector="OR",
                ),
                name="party_sole_trader_owned_by_its_number",
            ),
        ),
        migrations.AddConstraint(
            model_name="party",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind", "organisation"), ("registered_owner", ""), _connector="OR"
                ),
                name="party_only_organisations_have_owners",
            ),
        ),
        migrations.AddConstraint(
            model_name="soletrader",
            constraint=models.CheckConstraint(
                condition=models.Q(("state__in", ["proposed", "approved", "rejected"])),
                name="sole_trader_state_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="soletrader",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("state", "proposed"),
                    models.Q(
                        models.Q(("decided_by", ""), _negated=True),
                        models.Q(("decided_by", models.F("proposed_by")), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="sole_trader_four_eyes",
            ),
        ),
        migrations.RunPython(grant_approval, migrations.RunPython.noop),
    ]

"""The audit chain's head row, and database triggers that refuse UPDATE and DELETE on the log."""

from django.db import migrations

from trygg.kernel.dbtriggers import install_append_only, remove_append_only

GENESIS = "0" * 64


def create_head(apps, schema_editor):
    apps.get_model("kernel", "AuditChainHead").objects.get_or_create(
        pk=1, defaults={"seq": 0, "hash": GENESIS}
    )


def triggers(apps, schema_editor):
    install_append_only(schema_editor.connection)


def drop_triggers(apps, schema_editor):
    remove_append_only(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("kernel", "0001_initial")]
    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(triggers, drop_triggers),
    ]

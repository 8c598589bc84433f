"""The audit chain's head row, and database triggers that refuse UPDATE and DELETE on the log."""

from django.db import migrations

GENESIS = "0" * 64

SQLITE = [
    """CREATE TRIGGER kernel_auditevent_no_update BEFORE UPDATE ON kernel_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER kernel_auditevent_no_delete BEFORE DELETE ON kernel_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS kernel_auditevent_no_update",
    "DROP TRIGGER IF EXISTS kernel_auditevent_no_delete",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION kernel_auditevent_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER kernel_auditevent_append_only BEFORE UPDATE OR DELETE ON kernel_auditevent
       FOR EACH ROW EXECUTE FUNCTION kernel_auditevent_append_only()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS kernel_auditevent_append_only ON kernel_auditevent",
    "DROP FUNCTION IF EXISTS kernel_auditevent_append_only()",
]


def create_head(apps, schema_editor):
    apps.get_model("kernel", "AuditChainHead").objects.get_or_create(
        pk=1, defaults={"seq": 0, "hash": GENESIS})


def triggers(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(
        schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("kernel", "0001_initial")]
    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(triggers, drop_triggers),
    ]

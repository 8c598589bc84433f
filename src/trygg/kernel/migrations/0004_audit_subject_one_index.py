"""The audit table keeps one index on the data subject, ``audit_subject_id (subject_id, id
DESC)``; the column's own index (and on PostgreSQL its LIKE twin) only cost every append and
every seal. Dropped in place: Django's default for this change on SQLite rebuilds the table,
which would drop the append-only triggers with it."""

from typing import Any

from django.db import migrations, models

INDEX = "kernel_auditevent_subject_id_b18f42cf"


def drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}_like"')


def restore(apps: Any, schema_editor: Any) -> None:
    """Back to ``db_index=True``: the column's index, and on PostgreSQL its LIKE twin."""
    schema_editor.execute(f'CREATE INDEX "{INDEX}" ON "kernel_auditevent" ("subject_id")')
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX "{INDEX}_like" ON "kernel_auditevent" ("subject_id" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [("kernel", "0003_jobs")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="subject_id",
                    field=models.CharField(
                        blank=True, help_text="The data subject (a person's id).", max_length=64
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop, restore)],
        ),
    ]

"""The audit table keeps one index on the data subject, ``audit_subject_id (subject_id, id
DESC)``; the column's own index (and on PostgreSQL its LIKE twin) only cost every append and
every seal. Dropped in place: Django's default for this change on SQLite rebuilds the table,
which would drop the append-only triggers with it."""

from django.db import migrations, models

DROP = [
    'DROP INDEX IF EXISTS "kernel_auditevent_subject_id_b18f42cf"',
    'DROP INDEX IF EXISTS "kernel_auditevent_subject_id_b18f42cf_like"',
]
RESTORE = [
    'CREATE INDEX "kernel_auditevent_subject_id_b18f42cf" ON "kernel_auditevent" ("subject_id")',
]


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
            database_operations=[migrations.RunSQL(DROP, reverse_sql=RESTORE)],
        ),
    ]

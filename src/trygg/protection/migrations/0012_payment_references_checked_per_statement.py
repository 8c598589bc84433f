"""On PostgreSQL, a payment's references to its OCR file and its invoice are checked once per
statement instead of once per row (decision 0096).

A foreign key checks each new row on its own, at commit for a deferred one: 1,900,000 look-ups
for an OCR file of 1,000,000 payments (36 s of a 90 s import). These triggers give the same
guarantee set-based: after each statement that writes payments, the files and invoices they
name are locked ``FOR KEY SHARE`` in one statement (as a foreign key locks them, so that no
concurrent transaction can delete them before this one commits; an invoice row this
transaction wrote itself needs no lock) and any payment whose file or
invoice does not exist refuses the statement with ``foreign_key_violation``; and deleting a file
or an invoice that a payment names, or changing its id, is refused the same way. SQLite keeps
the ordinary foreign keys."""

from django.db import migrations

CONSTRAINTS = (
    ("file_id", "protection_ocrfile"),
    ("invoice_id", "protection_invoice"),
)

CREATE = """
CREATE FUNCTION protection_payment_references() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM protection_ocrfile f
        WHERE f.id IN (SELECT n.file_id FROM new_payments n) FOR KEY SHARE OF f;
    -- An invoice whose row this transaction wrote itself (the import has just paid it) is
    -- already beyond any other transaction's reach until this one ends: no lock needed.
    PERFORM 1 FROM protection_invoice i
        WHERE i.id IN (SELECT n.invoice_id FROM new_payments n)
          AND i.xmin <> xid(pg_current_xact_id())
        FOR KEY SHARE OF i;
    IF EXISTS (
        SELECT 1 FROM new_payments n
        WHERE NOT EXISTS (SELECT 1 FROM protection_ocrfile f WHERE f.id = n.file_id)
    ) THEN
        RAISE EXCEPTION 'a payment names an OCR file that does not exist'
            USING ERRCODE = 'foreign_key_violation', TABLE = 'protection_payment';
    END IF;
    IF EXISTS (
        SELECT 1 FROM new_payments n
        WHERE n.invoice_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM protection_invoice i WHERE i.id = n.invoice_id)
    ) THEN
        RAISE EXCEPTION 'a payment names an invoice that does not exist'
            USING ERRCODE = 'foreign_key_violation', TABLE = 'protection_payment';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER protection_payment_references_insert
    AFTER INSERT ON protection_payment REFERENCING NEW TABLE AS new_payments
    FOR EACH STATEMENT EXECUTE FUNCTION protection_payment_references();
CREATE TRIGGER protection_payment_references_update
    AFTER UPDATE ON protection_payment REFERENCING NEW TABLE AS new_payments
    FOR EACH STATEMENT EXECUTE FUNCTION protection_payment_references();

CREATE FUNCTION protection_payment_parent_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM protection_payment p
        WHERE (TG_TABLE_NAME = 'protection_invoice'
               AND p.invoice_id IN (SELECT o.id FROM old_rows o))
           OR (TG_TABLE_NAME = 'protection_ocrfile'
               AND p.file_id IN (SELECT o.id FROM old_rows o))
    ) THEN
        RAISE EXCEPTION 'a payment still names a row of %', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION protection_payment_parent_id_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the id of a row of % does not change', TG_TABLE_NAME
        USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME;
END $$;

CREATE TRIGGER protection_invoice_paid_kept
    AFTER DELETE ON protection_invoice REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION protection_payment_parent_kept();
CREATE TRIGGER protection_ocrfile_lines_kept
    AFTER DELETE ON protection_ocrfile REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION protection_payment_parent_kept();
CREATE TRIGGER protection_invoice_id_kept
    BEFORE UPDATE OF id ON protection_invoice
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION protection_payment_parent_id_kept();
CREATE TRIGGER protection_ocrfile_id_kept
    BEFORE UPDATE OF id ON protection_ocrfile
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION protection_payment_parent_id_kept();
"""

DROP = """
DROP TRIGGER protection_ocrfile_id_kept ON protection_ocrfile;
DROP TRIGGER protection_invoice_id_kept ON protection_invoice;
DROP TRIGGER protection_ocrfile_lines_kept ON protection_ocrfile;
DROP TRIGGER protection_invoice_paid_kept ON protection_invoice;
DROP FUNCTION protection_payment_parent_id_kept();
DROP FUNCTION protection_payment_parent_kept();
DROP TRIGGER protection_payment_references_update ON protection_payment;
DROP TRIGGER protection_payment_references_insert ON protection_payment;
DROP FUNCTION protection_payment_references();
"""


def _foreign_keys(schema_editor, column):
    with schema_editor.connection.cursor() as cursor:
        return [
            name
            for name, info in schema_editor.connection.introspection.get_constraints(
                cursor, "protection_payment"
            ).items()
            if info["foreign_key"] and info["columns"] == [column]
        ]


def _run(schema_editor, script):
    """Run the SQL script through the driver without parameters: psycopg then sends it as one
    simple query (several statements allowed) and reads ``%`` in ``RAISE`` as text, not as a
    parameter marker, which ``schema_editor.execute`` (always with parameters) would not."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(script)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, _table in CONSTRAINTS:
        for name in _foreign_keys(schema_editor, column):
            schema_editor.execute(f'ALTER TABLE protection_payment DROP CONSTRAINT "{name}"')
    _run(schema_editor, CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _run(schema_editor, DROP)
    for column, table in CONSTRAINTS:
        schema_editor.execute(
            f"ALTER TABLE protection_payment ADD CONSTRAINT protection_payment_{column}_fk "
            f"FOREIGN KEY ({column}) REFERENCES {table} (id) DEFERRABLE INITIALLY DEFERRED"
        )


class Migration(migrations.Migration):
    dependencies = [("protection", "0011_invoice_updates_stay_on_their_page")]

    operations = [migrations.RunPython(forwards, backwards)]

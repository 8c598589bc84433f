"""PostgreSQL enforces the ledger: a transaction's postings add up to zero at commit (a deferred
constraint trigger), and postings are never changed or removed."""

from django.db import migrations

POSTGRES = [
    """CREATE OR REPLACE FUNCTION banking_posting_balanced() RETURNS trigger AS $$
       DECLARE total numeric;
       BEGIN
         SELECT COALESCE(SUM(amount), 0) INTO total FROM banking_posting
          WHERE transaction_id = NEW.transaction_id;
         IF total <> 0 THEN
           RAISE EXCEPTION 'ledger transaction % does not balance (sum %)',
             NEW.transaction_id, total;
         END IF;
         RETURN NULL;
       END; $$ LANGUAGE plpgsql""",
    """CREATE CONSTRAINT TRIGGER banking_posting_balanced AFTER INSERT ON banking_posting
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION banking_posting_balanced()""",
    """CREATE OR REPLACE FUNCTION banking_posting_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'postings are never changed or removed'; END; $$
       LANGUAGE plpgsql""",
    """CREATE TRIGGER banking_posting_append_only BEFORE UPDATE OR DELETE ON banking_posting
       FOR EACH ROW EXECUTE FUNCTION banking_posting_append_only()""",
]
SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS banking_posting_no_update BEFORE UPDATE ON banking_posting
       BEGIN SELECT RAISE(ABORT, 'postings are never changed or removed'); END""",
]
REVERSE = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS banking_posting_balanced ON banking_posting",
        "DROP FUNCTION IF EXISTS banking_posting_balanced()",
        "DROP TRIGGER IF EXISTS banking_posting_append_only ON banking_posting",
        "DROP FUNCTION IF EXISTS banking_posting_append_only()",
    ],
    "sqlite": ["DROP TRIGGER IF EXISTS banking_posting_no_update"],
}


def forward(apps, schema_editor):
    for sql in {"postgresql": POSTGRES, "sqlite": SQLITE}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    for sql in REVERSE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("banking", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]

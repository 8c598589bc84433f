"""Database triggers that make the audit log append-only (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

# Sealing sets seq and chain of an unsealed row once; nothing else may change, nothing be deleted.
SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS kernel_auditevent_no_update BEFORE UPDATE ON kernel_auditevent
       WHEN OLD.seq IS NOT NULL OR NEW.seq IS NULL OR NEW.hash IS NOT OLD.hash
         OR NEW.detail IS NOT OLD.detail OR NEW.subject_id IS NOT OLD.subject_id
         OR NEW.action IS NOT OLD.action OR NEW.occurred_at IS NOT OLD.occurred_at
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS kernel_auditevent_no_delete BEFORE DELETE ON kernel_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS kernel_auditevent_no_update",
    "DROP TRIGGER IF EXISTS kernel_auditevent_no_delete",
]
# Row triggers refuse UPDATE and DELETE; TRUNCATE (an owner's act, not a row change) is left to
# database privileges: the application role should not own the table in production.
POSTGRES = [
    """CREATE OR REPLACE FUNCTION kernel_auditevent_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
            AND NEW.hash = OLD.hash AND NEW.detail = OLD.detail
            AND NEW.subject_id = OLD.subject_id AND NEW.action = OLD.action
            AND NEW.occurred_at = OLD.occurred_at THEN
           RETURN NEW;
         END IF;
         RAISE EXCEPTION 'the audit log is append-only';
       END; $$ LANGUAGE plpgsql""",
    """DROP TRIGGER IF EXISTS kernel_auditevent_append_only ON kernel_auditevent""",
    """CREATE TRIGGER kernel_auditevent_append_only BEFORE UPDATE OR DELETE ON kernel_auditevent
       FOR EACH ROW EXECUTE FUNCTION kernel_auditevent_append_only()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS kernel_auditevent_append_only ON kernel_auditevent",
    "DROP FUNCTION IF EXISTS kernel_auditevent_append_only()",
]


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install_append_only(connection: Any) -> None:
    _run(connection, {"sqlite": SQLITE, "postgresql": POSTGRES}.get(connection.vendor, []))


def remove_append_only(connection: Any) -> None:
    _run(
        connection,
        {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(connection.vendor, []),
    )

"""``trygg backup`` and ``trygg restore``: a complete copy, kept at most 13 months (seed 002)."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.conftest import Customer
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM, audit_seal
from trygg.kernel.errors import ValidationFailed
from trygg.kernel.models import AuditEvent
from trygg.privacy.backup import backup_restore, backup_rotate, backup_take, backups

sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="the SQLite online backup")
postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="pg_dump and pg_restore"
)


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the database in use, in a stable order."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 (table names)
            rows[table] = [tuple(row) for row in cursor.fetchall()]
    return rows


def _sqlite_rows(path: Path, tables: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    # Read as Django reads (its converters for dates, decimals ... are registered globally).
    copy = sqlite3.connect(path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    try:
        return {
            table: [
                tuple(r)
                for r in copy.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608
            ]
            for table in tables
        }
    finally:
        copy.close()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restored_into_a_fresh_database_is_the_same(
    customer: Customer, tmp_path: Path
) -> None:
    before = _snapshot()
    taken, deleted = backup_take(ctx=SYSTEM, folder=tmp_path / "backups")
    assert taken.path.name.startswith(f"trygg-{clock.today().isoformat()}-")
    assert taken.path.suffix == ".sqlite3" and deleted == []
    assert not [p for p in taken.path.parent.iterdir() if p.name.endswith(".partial")]

    restored = tmp_path / "restored.sqlite3"
    backup_restore(ctx=SYSTEM, path=taken.path, into=str(restored))

    after = _sqlite_rows(restored, list(before))
    assert after == before
    assert after["parties_party"], "the seeded customer is in the copy"
    actions = list(
        AuditEvent.objects.filter(object_type__in=["backup", "restore"])
        .order_by("pk")
        .values_list("object_type", "action")
    )
    assert actions == [("backup", "create"), ("restore", "create")]


@pytest.mark.django_db(transaction=True)
def test_rotation_deletes_versions_older_than_13_months_by_the_business_clock(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    other = folder / "notes.txt"
    other.write_text("not a backup")
    with clock.business_date(dt.date(2026, 1, 15)):
        first, _ = backup_take(ctx=SYSTEM, folder=folder)
    with clock.business_date(dt.date(2026, 6, 30)):
        second, _ = backup_take(ctx=SYSTEM, folder=folder)
    # 13 months after 15 January 2026 is 15 February 2027: the day before, it is still kept.
    with clock.business_date(dt.date(2027, 2, 14)):
        _third, deleted = backup_take(ctx=SYSTEM, folder=folder)
    assert deleted == [] and first.path.exists()
    with clock.business_date(dt.date(2027, 2, 15)):
        _fourth, deleted = backup_take(ctx=SYSTEM, folder=folder)
    assert [b.path for b in deleted] == [first.path]
    assert not first.path.exists() and second.path.exists() and other.exists()
    assert [b.taken_on for b in backups(folder)] == [
        dt.date(2026, 6, 30),
        dt.date(2027, 2, 14),
        dt.date(2027, 2, 15),
    ]
    event = AuditEvent.objects.filter(object_type="backup", action="delete").get()
    assert event.detail["deleted"] == [first.path.name] and event.detail["rule"] == "backup"


@pytest.mark.django_db(transaction=True)
def test_rotation_for_a_future_date_is_refused(tmp_path: Path) -> None:
    with clock.business_date(dt.date(2026, 1, 15)):
        backup_take(ctx=SYSTEM, folder=tmp_path)
        with pytest.raises(ValidationFailed) as caught:
            backup_rotate(ctx=SYSTEM, folder=tmp_path, on=dt.date(2028, 1, 1))
    assert caught.value.code == "retention.future_date"
    assert len(backups(tmp_path)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [b"", b"hello, this is text\n", b"SQLite format 3\x00" + b"\x00" * 200, b"PGDMP garbage"],
    ids=["empty", "text", "truncated-sqlite", "fake-pgdump"],
)
def test_restore_of_a_file_that_is_not_a_backup_is_refused(tmp_path: Path, content: bytes) -> None:
    bogus = tmp_path / "trygg-2026-01-01-1.sqlite3"
    bogus.write_bytes(content)
    target = tmp_path / "target.sqlite3"
    with pytest.raises(ValidationFailed) as caught:
        backup_restore(ctx=SYSTEM, path=bogus, into=str(target))
    assert caught.value.code == "restore.not_a_backup" and caught.value.field == "file"
    assert "not a SQLite backup" in caught.value.message
    assert not target.exists()


@pytest.mark.django_db
def test_restore_of_a_sqlite_database_that_is_not_trygg_is_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "other.sqlite3"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(ValidationFailed) as caught:
        backup_restore(ctx=SYSTEM, path=foreign, into=str(tmp_path / "target.sqlite3"))
    assert caught.value.code == "restore.not_a_backup"


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_restore_into_a_database_that_holds_tables_is_refused_and_changes_nothing(
    tmp_path: Path,
) -> None:
    taken, _ = backup_take(ctx=SYSTEM, folder=tmp_path / "backups")
    target = tmp_path / "in-use.sqlite3"
    with sqlite3.connect(target) as db:
        db.execute("CREATE TABLE kept (x)")
        db.execute("INSERT INTO kept VALUES (1)")
    with pytest.raises(ValidationFailed) as caught:
        backup_restore(ctx=SYSTEM, path=taken.path, into=str(target))
    assert caught.value.code == "restore.target_not_empty" and caught.value.field == "into"
    assert _sqlite_rows(target, ["kept"]) == {"kept": [(1,)]}
    assert _sqlite_rows(target, ["sqlite_master"])["sqlite_master"][0][1] == "kept"


@pytest.mark.django_db(transaction=True)
def test_commands_back_up_and_refuse_a_bogus_restore(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("backup", "--folder", str(tmp_path), stdout=out)
    assert "Backup written to" in out.getvalue()
    bogus = tmp_path / "bogus.bin"
    bogus.write_text("no backup")
    with pytest.raises(
        CommandError, match=r"^file: .* is not a .* backup .*\[restore.not_a_backup\]"
    ):
        call_command("restore", str(bogus), "--into", str(tmp_path / "t.sqlite3"))
    with pytest.raises(CommandError, match="There is no file"):
        call_command("restore", str(tmp_path / "missing"), "--into", str(tmp_path / "t.sqlite3"))


def test_a_sqlite_backup_inside_a_transaction_is_refused_not_waited_for(
    db: Any, tmp_path: Path
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with pytest.raises(ValidationFailed) as caught:
        backup_take(ctx=SYSTEM, folder=tmp_path)
    assert caught.value.code == "backup.in_transaction"
    assert list(tmp_path.iterdir()) == []


def test_a_missing_pg_dump_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from trygg.privacy import backup

    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    monkeypatch.setattr(backup, "Path", _NoUsrBin)
    with pytest.raises(ValidationFailed) as caught:
        backup._tool("pg_dump")
    assert caught.value.code == "backup.tool_missing"
    assert "pg_dump is not installed" in caught.value.message


class _NoUsrBin(type(Path())):  # type: ignore[misc]
    def exists(self, *args: Any, **kwargs: Any) -> bool:
        return False if str(self).startswith("/usr/bin/") else super().exists(*args, **kwargs)


def _pg_digests(url: str, tables: list[str]) -> dict[str, tuple[int, str]]:
    """Per table: the row count and a digest of every row as PostgreSQL writes it as text."""
    import psycopg

    digest = "SELECT count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), ''))"
    with psycopg.connect(url) as db:
        return {
            table: tuple(db.execute(f'{digest} FROM "{table}" x').fetchone()) for table in tables
        }


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_pg_dump_backup_restored_into_a_fresh_database_is_the_same(
    customer: Customer, tmp_path: Path
) -> None:
    import psycopg

    audit_seal(wait=True)  # no sealing between the snapshot and the dump
    settings_dict = connection.settings_dict
    server = f"postgresql://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}"
    tables = connection.introspection.table_names()
    before = _pg_digests(f"{server}/{settings_dict['NAME']}", tables)
    taken, _ = backup_take(ctx=SYSTEM, folder=tmp_path)
    assert taken.path.suffix == ".pgdump" and taken.path.read_bytes()[:5] == b"PGDMP"

    name = f"{settings_dict['NAME']}_restore"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        backup_restore(ctx=SYSTEM, path=taken.path, into=f"{server}/{name}")
        after = _pg_digests(f"{server}/{name}", tables)
        assert after == before
        assert after["parties_party"][0] >= 1
        # A second restore into the now full database is refused and changes nothing.
        with pytest.raises(ValidationFailed) as caught:
            backup_restore(ctx=SYSTEM, path=taken.path, into=f"{server}/{name}")
        assert caught.value.code == "restore.target_not_empty"
        # A SQLite file is not a pg_dump backup.
        bogus = tmp_path / "x.sqlite3"
        bogus.write_bytes(b"SQLite format 3\x00")
        with pytest.raises(ValidationFailed, match="not a PostgreSQL"):
            backup_restore(ctx=SYSTEM, path=bogus, into=f"{server}/{name}")
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

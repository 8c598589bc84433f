"""Backups of the database, kept at most 13 months (seed 002), and their restore.

``backup_take`` writes one complete copy of the database into the backup folder
(``settings.TRYGG_BACKUP_DIR``): on SQLite through SQLite's online backup API (a consistent copy
while the application keeps running), on PostgreSQL with ``pg_dump`` in custom format. The copy is
written under a temporary name and renamed when complete, so that a failed run leaves no file that
looks like a backup. The file's name carries the business date it was taken on
(``trygg-2026-12-07-031500123456.sqlite3``); after each backup ``backup_rotate`` deletes every
version whose date has passed the retention rule ``backup`` (13 months, counted in the business
calendar as every other retention rule: ``rules.has_passed``).

``backup_restore`` reads a backup into an empty database: a file that is not a backup of the kind
the target needs, or a target that already holds tables, is refused before anything is written.
Restoring over a database in use is deliberately not offered: restore into a fresh database, check
it, then point the application at it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.privacy import rules

SQLITE_SUFFIX = ".sqlite3"
PG_SUFFIX = ".pgdump"
_NAME = re.compile(r"^trygg-(\d{4}-\d{2}-\d{2})-\d+\.(sqlite3|pgdump)$")
_SQLITE_MAGIC = b"SQLite format 3\x00"
_PG_MAGIC = b"PGDMP"


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_on: dt.date


def backup_folder() -> Path:
    return Path(settings.TRYGG_BACKUP_DIR)


def _is_postgresql(settings_dict: dict[str, Any]) -> bool:
    return bool(settings_dict["ENGINE"] == "django.db.backends.postgresql")


def _tool(name: str) -> str:
    """The path of a PostgreSQL client program, or a clear error naming what is missing."""
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else "")
    if not found:
        raise ValidationFailed(
            code="backup.tool_missing",
            field="database",
            message=(
                f"{name} is not installed (not on PATH nor in /usr/bin): install the PostgreSQL "
                f"client programs (Debian: postgresql-client) of the server's major version or "
                f"newer."
            ),
        )
    return found


def _pg_connection_args(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--no-password"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def backups(folder: Path | None = None) -> list[Backup]:
    """The backups in the folder, oldest first (files of other names are not touched)."""
    folder = folder or backup_folder()
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            found.append(Backup(path, dt.date.fromisoformat(match.group(1))))
    return sorted(found, key=lambda backup: (backup.taken_on, backup.path.name))


def _new_path(folder: Path, suffix: str) -> Path:
    stamp = clock.now().strftime("%H%M%S%f")
    return folder / f"trygg-{clock.today().isoformat()}-{stamp}{suffix}"


def _take_sqlite(target: Path) -> None:
    if connection.in_atomic_block:
        # The online backup waits for the connection's own open transaction: it would never end.
        raise ValidationFailed(
            code="backup.in_transaction",
            field="database",
            message="A SQLite backup is taken outside a transaction; nothing was written.",
        )
    connection.ensure_connection()
    source = connection.connection
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()


def _take_postgresql(settings_dict: dict[str, Any], target: Path) -> None:
    args, env = _pg_connection_args(settings_dict)
    command = [_tool("pg_dump"), *args, "--format=custom", "--file", str(target)]
    command += ["--dbname", str(settings_dict["NAME"])]
    done = subprocess.run(  # noqa: S603 (our arguments, no shell)
        command, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise ValidationFailed(
            code="backup.pg_dump_failed",
            field="database",
            message=f"pg_dump failed: {done.stderr.strip() or done.returncode}",
        )


def backup_take(*, ctx: AuditContext, folder: Path | None = None) -> tuple[Backup, list[Backup]]:
    """Write one backup of the database, then delete the versions past 13 months.

    Returns the new backup and the versions deleted by the rotation."""
    folder = folder or backup_folder()
    folder.mkdir(parents=True, exist_ok=True)
    settings_dict = connection.settings_dict
    postgresql = _is_postgresql(settings_dict)
    final = _new_path(folder, PG_SUFFIX if postgresql else SQLITE_SUFFIX)
    partial = final.with_name(f".{final.name}.partial")
    try:
        if postgresql:
            _take_postgresql(settings_dict, partial)
        else:
            _take_sqlite(partial)
        partial.replace(final)
    finally:
        partial.unlink(missing_ok=True)
    taken = Backup(final, clock.today())
    audit_record(
        ctx=ctx,
        action=AuditAction.CREATE,
        object_type="backup",
        object_id=final.name,
        detail={"bytes": final.stat().st_size, "taken_on": taken.taken_on.isoformat()},
    )
    return taken, backup_rotate(ctx=ctx, folder=folder)


def backup_rotate(
    *, ctx: AuditContext, folder: Path | None = None, on: dt.date | None = None
) -> list[Backup]:
    """Delete every backup whose business date has passed the 13 months of rule ``backup``."""
    on = on or clock.today()
    try:
        rules.check_run_date(on, clock.today())
    except rules.RuleError as error:
        raise ValidationFailed(code=error.code, field=error.field, message=error.message) from None
    retention = rules.rule("backup")
    expired = [b for b in backups(folder) if rules.has_passed(retention, b.taken_on, on)]
    for backup in expired:
        backup.path.unlink(missing_ok=True)
    if expired:
        audit_record(
            ctx=ctx,
            action=AuditAction.DELETE,
            object_type="backup",
            detail={
                "rule": retention.code,
                "on": on.isoformat(),
                "deleted": [backup.path.name for backup in expired],
            },
        )
    return expired


def _not_a_backup(path: Path, kind: str) -> ValidationFailed:
    return ValidationFailed(
        code="restore.not_a_backup",
        field="file",
        message=f"{path} is not a {kind} backup made by trygg backup; nothing was restored.",
    )


def _check_sqlite_backup(path: Path) -> None:
    with path.open("rb") as file:
        if file.read(len(_SQLITE_MAGIC)) != _SQLITE_MAGIC:
            raise _not_a_backup(path, "SQLite")
    try:
        probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (status,) = probe.execute("PRAGMA quick_check").fetchone()
            migrations = probe.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'django_migrations'"
            ).fetchone()[0]
        finally:
            probe.close()
    except sqlite3.DatabaseError:
        raise _not_a_backup(path, "SQLite") from None
    if status != "ok" or not migrations:
        raise _not_a_backup(path, "SQLite")


def _check_pg_backup(path: Path) -> None:
    with path.open("rb") as file:
        if file.read(len(_PG_MAGIC)) != _PG_MAGIC:
            raise _not_a_backup(path, "PostgreSQL (pg_dump custom format)")
    listing = subprocess.run(  # noqa: S603 (our arguments, no shell)
        [_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True, check=False
    )
    if listing.returncode != 0 or "django_migrations" not in listing.stdout:
        raise _not_a_backup(path, "PostgreSQL (pg_dump custom format)")


def _target_not_empty(target: str) -> ValidationFailed:
    return ValidationFailed(
        code="restore.target_not_empty",
        field="into",
        message=(
            f"The database {target} already holds tables: a backup is restored into a fresh, "
            f"empty database only; nothing was restored."
        ),
    )


def _restore_sqlite(path: Path, target: Path) -> None:
    if target.exists():
        probe = sqlite3.connect(target)
        try:
            tables = probe.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            probe.close()
        if tables:
            raise _target_not_empty(str(target))
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def _restore_postgresql(path: Path, target: str) -> None:
    import psycopg

    with psycopg.connect(target) as probe:
        row = probe.execute(
            "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
        ).fetchone()
    if row and row[0]:
        raise _target_not_empty(re.sub(r"//[^@/]*@", "//", target))
    command = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
    done = subprocess.run(  # noqa: S603 (our arguments, no shell)
        [*command, "--single-transaction", "--dbname", target, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ValidationFailed(
            code="restore.pg_restore_failed",
            field="file",
            message=f"pg_restore failed, nothing was restored: {done.stderr.strip()}",
        )


def backup_restore(*, ctx: AuditContext, path: Path, into: str) -> None:
    """Restore a backup into an empty database: a SQLite file path or a postgresql:// URL.

    The file is checked first (its kind, its integrity, that it holds trygg's tables); the target
    must be empty. On PostgreSQL the restore is one transaction: it completes or leaves nothing."""
    if not path.is_file():
        raise ValidationFailed(
            code="restore.no_file", field="file", message=f"There is no file {path}."
        )
    if into.startswith(("postgresql://", "postgres://")):
        _check_pg_backup(path)
        _restore_postgresql(path, into)
    else:
        _check_sqlite_backup(path)
        _restore_sqlite(path, Path(into))
    audit_record(
        ctx=ctx,
        action=AuditAction.CREATE,
        object_type="restore",
        object_id=path.name,
        detail={"into": re.sub(r"//[^@/]*@", "//", into)},
    )

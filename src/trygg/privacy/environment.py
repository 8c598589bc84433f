"""Production data stays out of test environments (seed 002: real data in a test only where
needed, and deleted when the test ends; the digest: "impossible to load real data into a test
environment without an explicit, logged decision").

The database carries a mark (``DatabaseMark``): the first ``migrate`` writes it from the
environment it runs in. A non-production environment (``TRYGG_ENV`` other than production)
refuses to start - ``trygg run``, the worker, the web server, every command that writes - on a
database marked production, unless ``TRYGG_PRODUCTION_DATA_OVERRIDE`` gives the reason for
using it; that decision is logged (warning) and written to the audit log with the reason, host
and user. ``trygg privacy scrub`` anonymises such a copy and marks it not production.
"""

from __future__ import annotations

import getpass
import logging
import os
import socket

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection

from trygg.kernel import clock

log = logging.getLogger("trygg.privacy.environment")

OVERRIDE = "TRYGG_PRODUCTION_DATA_OVERRIDE"

# Commands that write nothing (or, for scrub, exist to make a production copy safe).
READ_ONLY = frozenset(
    {
        "help",
        "check",
        "check-deploy",
        "showmigrations",
        "makemigrations",
        "sqlmigrate",
        "diffsettings",
        "otp",
        "token-code",
        "version",
        "compilemessages",
        "makemessages",
        "collectstatic",
    }
)


class ProductionDatabase(ImproperlyConfigured):
    """A non-production environment pointed at a database marked production."""


def who() -> str:
    try:
        user = getpass.getuser()
    except Exception:
        user = "?"
    return f"{user}@{socket.gethostname()}"


def database_is_production() -> bool:
    """The mark of the database; an unmarked (not yet migrated) one is not production."""
    from trygg.privacy.models import DatabaseMark

    try:
        mark = DatabaseMark.objects.filter(pk=1).values_list("production", flat=True).first()
    except DatabaseError:
        connection.close()
        return False
    return bool(mark)


def mark_database(*, production: bool, note: str = "") -> None:
    """Write the mark (``migrate`` the first time; ``scrub`` after anonymising a copy)."""
    from trygg.privacy.models import DatabaseMark

    DatabaseMark.objects.update_or_create(
        pk=1,
        defaults={
            "production": production,
            "marked_at": clock.now(),
            "marked_by": f"{settings.ENV} {who()}"[:200],
            "note": note[:200],
        },
    )


def mark_after_migrate(**_: object) -> None:
    """``post_migrate``: the first migration of a database marks it from the environment."""
    from trygg.privacy.models import DatabaseMark

    try:
        if not DatabaseMark.objects.filter(pk=1).exists():
            mark_database(production=settings.PRODUCTION, note="first migrate")
    except DatabaseError:
        return


def guard(command: str) -> None:
    """Refuse to start ``command`` in a non-production environment on a production database,
    unless an override gives the reason (then logged and audited)."""
    if settings.PRODUCTION or command in READ_ONLY or not database_is_production():
        return
    reason = os.environ.get(OVERRIDE, "").strip()
    if not reason:
        raise ProductionDatabase(
            f"This is a {settings.ENV} environment and the database is marked production: "
            f"'{command}' will not start on real data. Use a scrubbed copy "
            f"('trygg privacy scrub' on a restored backup), or set {OVERRIDE} to the reason "
            "real data is needed (the decision is logged)."
        )
    from trygg.kernel.audit import SYSTEM, audit_record
    from trygg.kernel.models import AuditAction

    log.warning(
        "Production data used in a %s environment by %s for '%s': %s",
        settings.ENV,
        who(),
        command,
        reason,
    )
    audit_record(
        ctx=SYSTEM,
        action=AuditAction.READ,
        object_type="production-data-override",
        detail={"command": command, "reason": reason[:500], "by": who(), "env": settings.ENV},
    )

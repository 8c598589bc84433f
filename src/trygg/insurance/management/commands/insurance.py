"""``trygg insurance renew [--date D]``: the annual renewal of every policy due (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.insurance.renewal import renewal_run
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext
from trygg.kernel.errors import DomainError
from trygg.kernel.models import AuditChannel

BATCH = AuditContext(actor_kind="system", actor_label="renewal", channel=AuditChannel.BATCH)


class Command(BaseCommand):
    help = "Renew every policy whose renewal date has come: trygg insurance renew --date 2026-12-01"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["renew"])
        parser.add_argument("--date", help="business date (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = clock.parse_date(options["date"]) if options["date"] else clock.today()
        except ValueError as error:
            raise CommandError(f"--date: {error}") from None
        try:
            days = renewal_run(ctx=BATCH, on=on)
        except DomainError as error:
            raise CommandError(f"{error.field}: {error.message} [{error.code}]") from None
        for day in days:
            self.stdout.write(
                f"{day.renewal_date}: {day.policies} policies renewed "
                f"(tariff {day.tariff_version}, PBB {day.pbb_year})"
            )
        if not days:
            self.stdout.write(f"No policy is due for renewal on {on}.")

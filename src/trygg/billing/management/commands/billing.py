"""``trygg billing run --date D``: the daily billing run (idempotent per date)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.billing.runs import billing_run, run_date_check, run_message
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import DomainError


class Command(BaseCommand):
    help = "Premium billing: 'run --date YYYY-MM-DD' plans, notices and orders the debits due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["run"])
        parser.add_argument("--date", help="business date (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = clock.parse_date(options["date"]) if options["date"] else clock.today()
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        try:
            if options["date"]:
                run_date_check(on)
            result = billing_run(ctx=SYSTEM, on=on)
        except DomainError as error:
            raise CommandError(f"{error.field or 'run'}: {error.message} [{error.code}]") from error
        self.stdout.write(run_message(result))
        self.stdout.write(json.dumps(result.run.summary, indent=2, ensure_ascii=False))
        if result.file is not None:
            self.stdout.write(f"File to Bankgirot: {result.file}")

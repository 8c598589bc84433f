"""``trygg manage payments book [--date D]``: book the scheduled payments due on the business
date (or earlier); one without cover is marked not paid. Safe to re-run: a payment is booked
once. The worker does the same once a day (``banking.scheduled_payments``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.banking.services import SCHEDULER, payments_scheduled_book
from trygg.kernel import clock


class Command(BaseCommand):
    help = "Book the scheduled payments due on the business date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["book"])
        parser.add_argument("--date", help="the business date (YYYY-MM-DD); default today")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = dt.date.fromisoformat(options["date"]) if options["date"] else clock.today()
        except ValueError as error:
            raise CommandError("--date must be YYYY-MM-DD") from error
        booked, failed = payments_scheduled_book(ctx=SCHEDULER, on=on)
        self.stdout.write(f"{on.isoformat()}: {booked} booked, {failed} not paid (no cover)")

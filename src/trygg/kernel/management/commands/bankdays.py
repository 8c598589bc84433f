"""``trygg bankdays YYYY-MM [--country SE|NO]``: a month's bank days, then its non-bank weekdays
with the reason (the holiday's name)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.kernel.bankdays import SUPPORTED_COUNTRIES, WEEKDAY_NAMES, calendar_for

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_month(text: str) -> tuple[int, int]:
    """``"2026-12"`` → ``(2026, 12)``; ``CommandError`` naming the form ``YYYY-MM`` otherwise."""
    match = _MONTH.fullmatch(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
        raise CommandError(f"malformed month {text!r}: expected YYYY-MM, e.g. 2026-12")
    return int(match.group(1)), int(match.group(2))


class Command(BaseCommand):
    help = (
        "List the bank days of a month (YYYY-MM), one per line, then the weekdays that are not "
        "bank days and why."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("month", help="the month, as YYYY-MM")
        parser.add_argument(
            "--country",
            default="SE",
            help=f"country code, one of {', '.join(SUPPORTED_COUNTRIES)} (default SE)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year, month = parse_month(str(options["month"]))
        try:
            calendar = calendar_for(str(options["country"]))
        except ValueError as error:
            raise CommandError(str(error)) from error

        bank_days = calendar.bank_days_in_month(year, month)
        self.stdout.write(
            f"Bank days in {year:04d}-{month:02d} ({calendar.country}): {len(bank_days)}"
        )
        for day in bank_days:
            self.stdout.write(f"{day.isoformat()} {WEEKDAY_NAMES[day.weekday()]}")

        first = dt.date(year, month, 1)
        closed = [
            (day, reason)
            for day in (first + dt.timedelta(days=i) for i in range(31))
            if day.month == month and day.weekday() < 5
            for reason in [calendar.non_bank_day_reason(day)]
            if reason is not None
        ]
        self.stdout.write(f"Non-bank weekdays: {len(closed)}")
        for day, reason in closed:
            self.stdout.write(f"{day.isoformat()} {WEEKDAY_NAMES[day.weekday()]}: {reason}")

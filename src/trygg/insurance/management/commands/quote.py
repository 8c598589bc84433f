"""``trygg quote``: the price and cover of the accident insurance for an insured person."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.insurance.tariffs import quote_for
from trygg.kernel import clock
from trygg.kernel.errors import DomainError


class Command(BaseCommand):
    help = (
        "Quote the accident insurance: trygg quote --insured 19811218-9876 --level 30 "
        "--period monthly [--date 2026-12-01] [--json]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--insured", required=True, help="birth date YYYY-MM-DD or personal identity number"
        )
        parser.add_argument("--level", required=True, type=int, help="10, 20, 30, 40 or 50 PBB")
        parser.add_argument(
            "--period", default="yearly", choices=["monthly", "half_yearly", "yearly"]
        )
        parser.add_argument("--date", help="start date (default: tomorrow)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = clock.parse_date(options["date"]) if options["date"] else None
        except ValueError as error:
            raise CommandError(f"--date: {error}") from None
        if on is None:
            on = clock.today() + dt.timedelta(days=1)
        try:
            result = quote_for(
                insured=options["insured"],
                level=options["level"],
                period=options["period"],
                on=on,
            )
        except DomainError as error:
            raise CommandError(
                f"{error.field or 'quote'}: {error.message} [{error.code}]"
            ) from None
        q = result.quote
        data = {
            "date": on.isoformat(),
            "tariff_version": q.tariff_version,
            "pbb_year": q.pbb_year,
            "pbb": str(q.pbb),
            "age": q.age,
            "level": q.level,
            "base_amount": str(q.base_amount),
            "max_disability": str(q.max_disability),
            "annual_price": str(q.annual_price),
            "period": q.period.value,
            "surcharge_percent": str(q.surcharge_percent),
            "year_total": str(q.year_total),
            "price_per_period": str(q.price_per_period),
            "instalments": [str(x) for x in q.instalments],
        }
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2))
            return
        for key, value in data.items():
            if key != "instalments":
                self.stdout.write(f"{key:<18} {value}")
